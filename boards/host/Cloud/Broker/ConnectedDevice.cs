namespace CotaFirmware.Host.Cloud.Broker;

/// <summary>A device as the broker knows it once logged in: who an authenticated MQTT connection is.</summary>
/// <param name="ProductKey">The device's product.</param>
/// <param name="DeviceName">The device.</param>
/// <param name="ClientId">The full MQTT clientId it connected with.</param>
/// <param name="Secure">True on the TLS listener.</param>
public sealed record ConnectedDevice(string ProductKey, string DeviceName, string ClientId, bool Secure)
{
    /// <summary>True when <paramref name="other"/> is the same device (product key and device name).</summary>
    public bool IsSameDevice(ConnectedDevice other) => ProductKey == other.ProductKey && DeviceName == other.DeviceName;
}
