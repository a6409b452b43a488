namespace CotaFirmware.Host.Cloud.Cota;

/// <summary>One step of one device with one config, as the platform saw it.</summary>
/// <param name="Time">When.</param>
/// <param name="ProductKey">The device's product.</param>
/// <param name="DeviceName">The device.</param>
/// <param name="ConfigId">The config.</param>
/// <param name="Stage">The stage it entered.</param>
/// <param name="Received">Bytes the file server has sent to it so far (downloads), else 0.</param>
/// <param name="Total">The config's size.</param>
public sealed record FleetEvent(DateTimeOffset Time, string ProductKey, string DeviceName, string ConfigId,
    RolloutStage Stage, long Received, long Total);
