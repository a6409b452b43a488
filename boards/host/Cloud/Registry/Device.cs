namespace CotaFirmware.Host.Cloud.Registry;

/// <summary>A device of the registry.</summary>
/// <param name="ProductKey">The product it belongs to.</param>
/// <param name="DeviceName">Its DeviceName ({dn} in topics).</param>
/// <param name="DeviceSecret">Its DeviceSecret; null until it registers dynamically.</param>
/// <param name="Activated">True once it has connected with valid credentials (it may then not register again).</param>
public sealed record Device(string ProductKey, string DeviceName, string? DeviceSecret, bool Activated);
