namespace CotaFirmware.Host.Cloud;

/// <summary>Who an authenticated MQTT connection is.</summary>
/// <param name="ProductKey">The device's product.</param>
/// <param name="DeviceName">The device.</param>
/// <param name="ClientId">The full MQTT clientId it connected with.</param>
/// <param name="Secure">True on the TLS listener.</param>
public sealed record DeviceIdentity(string ProductKey, string DeviceName, string ClientId, bool Secure);
