namespace CotaFirmware.Host.Cloud.Cota;

/// <summary>The first result that refused a config: it stops the config being offered (see the rollout rule in
/// <see cref="DeviceRegistry.CurrentConfig"/>).</summary>
/// <param name="At">When the result arrived.</param>
/// <param name="DeviceName">The device that reported it.</param>
/// <param name="Status">rejected or rolled_back.</param>
/// <param name="Errors">The reasons the device gave, one line each.</param>
public sealed record ConfigRejection(DateTimeOffset At, string DeviceName, string Status, IReadOnlyList<string> Errors);
