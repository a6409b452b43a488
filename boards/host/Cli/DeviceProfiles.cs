using CotaFirmware.App;
using CotaFirmware.Linkkit;

namespace CotaFirmware.Host.Cli;

/// <summary>The settings of a virtual device for each kind of broker it can run against; buffers, limits and the
/// trial come from the host board's board.json (<see cref="HostBoard"/>).</summary>
public static class DeviceProfiles
{
    /// <summary>The Wi-Fi network a virtual device is provisioned with (the host has no radio; the wifi module still takes it).</summary>
    public const string FactorySsid = "factory-net";

    /// <summary>Settings for the local IoT platform: MQTT over TLS on loopback.</summary>
    public static DeviceSettings Local(string host, int tlsPort, string productKey, string deviceName, string secret, int jitterMs)
    {
        var settings = Common(new DeviceIdentity(productKey, deviceName, secret, null), jitterMs);
        settings.Linkkit.MqttDomain = host;
        settings.Linkkit.Port = tlsPort;
        settings.Linkkit.UseTls = true;
        return settings;
    }

    /// <summary>Settings for a plain MQTT broker such as mosquitto (no TLS, no signature check on its side); config
    /// downloads may be plain HTTP too (the SHA-256 the push names still checks every byte).</summary>
    public static DeviceSettings Plain(string host, int port, string productKey, string deviceName, string secret, int jitterMs)
    {
        var settings = Common(new DeviceIdentity(productKey, deviceName, secret, null), jitterMs);
        settings.Linkkit.MqttDomain = host;
        settings.Linkkit.Port = port;
        settings.Linkkit.UseTls = false;
        settings.Linkkit.AllowPlainTransport = true;
        settings.Download.AllowPlainHttp = true;
        return settings;
    }

    /// <summary>Settings for Alibaba Cloud IoT Platform: a region's public endpoint, or custom domains; TLS on port 1883.</summary>
    public static DeviceSettings Aliyun(string productKey, string deviceName, string secret, CloudRegion region,
        string? mqttDomain, string? httpDomain, int jitterMs)
    {
        var settings = Common(new DeviceIdentity(productKey, deviceName, secret, null), jitterMs);
        settings.Linkkit.Region = region;
        settings.Linkkit.MqttDomain = mqttDomain;
        settings.Linkkit.HttpDomain = httpDomain;
        settings.Linkkit.UseTls = true;
        return settings;
    }

    private static DeviceSettings Common(DeviceIdentity identity, int jitterMs)
    {
        var settings = new DeviceSettings(identity)
        {
            IdleYieldMs = 50,
            DefaultWifiSsid = FactorySsid,
            DefaultWifiPassword = "factory-passphrase",
        };
        HostBoard.Apply(settings);
        // Reconnects keep the core's one policy in every mode (1 s doubling to 60 s, jittered): a fleet retrying at
        // a fixed short interval floods a broker that is down or refuses it.
        settings.Linkkit.ConnectTimeoutMs = 10000;
        settings.Linkkit.MaxTopics = 24;
        settings.Cota.StartJitterMs = jitterMs;
        settings.Download.TimeoutMs = 10000;
        settings.Download.BackoffMinMs = 500;
        settings.Download.BackoffMaxMs = 4000;
        return settings;
    }
}
