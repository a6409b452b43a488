using CotaFirmware.Config.Modules;
using CotaFirmware.Cota;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;

namespace CotaFirmware.App;

/// <summary>What a board sets for one device: its identity, where it connects, and the sizes and times of every layer.</summary>
public sealed class DeviceSettings
{
    private readonly DeviceIdentity _identity;

    /// <summary>Creates settings with the defaults below for <paramref name="identity"/>.</summary>
    public DeviceSettings(DeviceIdentity identity)
    {
        _identity = identity;
    }

    /// <summary>ProductKey, DeviceName and DeviceSecret.</summary>
    public DeviceIdentity Identity => _identity;

    /// <summary>The dynamic-registration switch (one secret per product, the C SDK's <c>IOTX_IOCTL_SET_DYNAMIC_REGISTER</c>): when the identity has no DeviceSecret, the device obtains it before its first connect (the stored one, or a new one from the platform).</summary>
    public bool DynamicRegistration;

    /// <summary>Region or custom domains, port, TLS, keep-alive, reconnect bounds, LinkKit buffer and table sizes.</summary>
    public LinkkitSettings Linkkit = new LinkkitSettings();

    /// <summary>The MQTT client's buffers, in-flight set and timeouts; the receive buffer takes pushes whole, and their URLs run to ~800 characters.</summary>
    public MqttClientSettings Mqtt = new MqttClientSettings { ReceiveBufferSize = 4096 };

    /// <summary>The config download: buffer, retries, timeouts.</summary>
    public DownloadSettings Download = new DownloadSettings();

    /// <summary>COTA: URL bound, download start jitter, get timeout, trial deadline, retries, result slots and event.</summary>
    public CotaSettings Cota = new CotaSettings();

    /// <summary>The longest config the store keeps, in bytes (an offer above it is refused before any download).</summary>
    public int MaxConfigSize = 64 * 1024;

    /// <summary>How many boots a config may start on trial before the boot rolls it back.</summary>
    public int MaxTrialBoots = 3;

    /// <summary>The store's work buffer and the window a config is parsed through (the longest string a config may hold).</summary>
    public int ConfigWindowSize = 512;

    /// <summary>How many errors a config result keeps.</summary>
    public int MaxResultErrors = 8;

    /// <summary>How long one <see cref="CotaDevice.Step"/> may wait for MQTT input when nothing else has work.</summary>
    public int IdleYieldMs = 100;

    /// <summary>The telemetry interval used when the config has no <c>telemetry</c> section.</summary>
    public int DefaultTelemetrySeconds = 60;

    /// <summary>The status LED pattern used when the config has no <c>statusLed</c> section.</summary>
    public StatusLedPattern DefaultLedPattern = StatusLedPattern.Solid;

    /// <summary>The provisioned Wi-Fi network, used when the config has no <c>wifi</c> section.</summary>
    public string DefaultWifiSsid = "";

    /// <summary>The provisioned Wi-Fi password (never logged).</summary>
    public string DefaultWifiPassword = "";
}
