using CotaFirmware.Host.Cloud.Cota;

namespace CotaFirmware.Host.Cloud;

/// <summary>How a <see cref="LocalPlatform"/> is set up. Every port 0 means "the one the data folder's
/// platform.json recorded, else a free one".</summary>
public sealed class PlatformSettings
{
    /// <summary>Where registry.json, the CA and the config files live; null makes a temporary folder that is
    /// deleted when the platform stops.</summary>
    public string? DataFolder;

    /// <summary>Port of the plain-TCP MQTT listener (securemode=3).</summary>
    public int MqttPort;

    /// <summary>Port of the TLS MQTT listener (securemode=2).</summary>
    public int MqttTlsPort;

    /// <summary>Port of the HTTPS server (dynamic registration and config downloads).</summary>
    public int HttpsPort;

    /// <summary>Serve the web console (plain HTTP on 127.0.0.1); default false.</summary>
    public bool Console;

    /// <summary>Port of the web console.</summary>
    public int ConsolePort;

    /// <summary>Host name put in download URLs and endpoints: 127.0.0.1 (default) or localhost; both are in the
    /// server certificate. The servers listen on 127.0.0.1 only.</summary>
    public string Host = "127.0.0.1";

    /// <summary>The event identifier whose posts count as COTA results (…/thing/event/{identifier}/post).</summary>
    public string ResultEventIdentifier = "ConfigResult";

    /// <summary>How long a signed download URL stays valid.</summary>
    public TimeSpan DownloadUrlLifetime = TimeSpan.FromHours(1);

    /// <summary>Refuse a keep-alive outside Aliyun's 30–1200 s (default true).</summary>
    public bool EnforceKeepAliveRange = true;

    /// <summary>Refuse securemode=2 on plain TCP and securemode=3 on TLS (default true).</summary>
    public bool EnforceSecureMode = true;

    /// <summary>How long a new connection has to finish its TLS handshake and send its whole CONNECT (MQTT), or its
    /// TLS handshake and request headers (HTTPS); also the grace period before <see cref="MinRequestBodyBytesPerSecond"/>
    /// applies. Default 10 s.</summary>
    public TimeSpan ConnectDeadline = TimeSpan.FromSeconds(10);

    /// <summary>The slowest request body the HTTPS server waits for, after <see cref="ConnectDeadline"/>; default 240
    /// bytes/s. Downloads are never cut for reading slowly.</summary>
    public double MinRequestBodyBytesPerSecond = 240;

    /// <summary>The largest MQTT packet a device may send once logged in (remaining length, bytes); default 16384,
    /// the largest MQTT buffer of the boards.</summary>
    public int MaxPacketBytes = 16384;

    /// <summary>The most connections open at once on the MQTT listeners together, on the HTTPS server and on the
    /// console; one more is closed at once and logged. Default 4096.</summary>
    public int MaxConnections = 4096;

    /// <summary>How far a login's timestamp may be from the platform's clock; the no-clock timestamp
    /// (<see cref="PlatformBroker.NoClockTimestamp"/>) and a login without one are always accepted. Default 15 min.</summary>
    public TimeSpan LoginTimestampWindow = TimeSpan.FromMinutes(15);

    /// <summary>The largest config devices take (the host board's <c>maxConfigSize</c>); a larger one is refused
    /// before it is published.</summary>
    public int MaxConfigSize = ConfigText.DefaultMaxBytes;

    /// <summary>Optional sink for one-line notes on what the platform does (no secrets are written).</summary>
    public Action<string>? Log;
}
