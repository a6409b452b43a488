namespace CotaFirmware.Linkkit;

/// <summary>Called when a <see cref="LinkkitDevice"/> connects to or disconnects from the platform.</summary>
public delegate void LinkkitConnectionHandler(LinkkitDevice device);
