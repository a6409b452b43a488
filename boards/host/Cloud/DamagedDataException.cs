namespace CotaFirmware.Host.Cloud;

/// <summary>A file in the platform's data folder that cannot be read as what it holds: the message names it and what to do.</summary>
public sealed class DamagedDataException(string message) : Exception(message);
