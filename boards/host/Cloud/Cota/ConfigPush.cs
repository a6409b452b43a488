namespace CotaFirmware.Host.Cloud.Cota;

/// <summary>A thing.config.push the console sent to one device.</summary>
/// <param name="ProductKey">The device's product.</param>
/// <param name="DeviceName">The device.</param>
/// <param name="PushId">The push's id (a numeric string); the device's push_reply echoes it.</param>
/// <param name="Config">The config pushed.</param>
/// <param name="Url">The signed download URL it carried.</param>
/// <param name="Payload">The JSON published on /sys/{pk}/{dn}/thing/config/push.</param>
public sealed record ConfigPush(string ProductKey, string DeviceName, string PushId, ConfigFile Config, string Url,
    string Payload);
