using CotaFirmware.Config;
using CotaFirmware.Config.Modules;
using CotaFirmware.Cota;

namespace CotaFirmware.App;

/// <summary>What a device runs now, read-only: the config in force and whether it is on trial, each module's value, the COTA work left.</summary>
/// <remarks>
/// A board reads it for its display and its own checks (the host's demo and fleet, a console); it changes nothing. Read
/// it on the device's thread, or accept a value one loop turn old. Only <see cref="WifiSsid"/> allocates (a new string).
/// </remarks>
public sealed class DeviceState
{
    private readonly ConfigStore _store;
    private readonly CotaService _service;
    private readonly TelemetryIntervalModule _telemetry;
    private readonly StatusLedPatternModule _led;
    private readonly WifiCredentialsModule _wifi;

    internal DeviceState(ConfigStore store, CotaService service, TelemetryIntervalModule telemetry, StatusLedPatternModule led, WifiCredentialsModule wifi)
    {
        _store = store;
        _service = service;
        _telemetry = telemetry;
        _led = led;
        _wifi = wifi;
    }

    /// <summary>True while the config in force is on trial: committed, neither confirmed nor rolled back.</summary>
    public bool IsOnTrial => _store.IsOnTrial;

    /// <summary>True while an offer is being downloaded or waits for its download to start.</summary>
    public bool IsDownloading => _service.IsBusy;

    /// <summary>How many config results wait to be sent (in flash, and one flash has not taken yet).</summary>
    public int PendingResults => _service.PendingResults;

    /// <summary>The telemetry interval in force, in seconds.</summary>
    public int TelemetryIntervalSeconds => _telemetry.IntervalSeconds;

    /// <summary>The status LED pattern in force.</summary>
    public StatusLedPattern LedPattern => _led.Pattern;

    /// <summary>The Wi-Fi network in force (its password is never shown).</summary>
    public string WifiSsid => _wifi.Ssid;

    /// <summary>Copies the id of the config in force into <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    /// <returns>Its length in bytes, or -1 when the device runs no config (every module on its defaults).</returns>
    public int CopyActiveConfigId(byte[] buffer, int offset) => _store.CopyActiveConfigId(buffer, offset);

    /// <summary>Points <paramref name="reader"/> at the config in force, to read it whole.</summary>
    /// <returns><see cref="ConfigStatus.Ok"/>, or <see cref="ConfigStatus.NoConfig"/> when the device runs none.</returns>
    public ConfigStatus OpenActiveConfig(ConfigReader reader) => _store.OpenActive(reader);
}
