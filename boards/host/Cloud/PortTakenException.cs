namespace CotaFirmware.Host.Cloud;

/// <summary>A port the platform's data folder records is held by another program.</summary>
public sealed class PortTakenException(string message) : Exception(message);
