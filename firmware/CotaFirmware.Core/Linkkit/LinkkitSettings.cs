using CotaFirmware.Mqtt;
using CotaFirmware.Platform;

namespace CotaFirmware.Linkkit;

/// <summary>How a device reaches the platform, how it retries, and the sizes of its fixed tables: the seed's IOT_Ioctl settings.</summary>
/// <remarks>
/// Set before <see cref="LinkkitDevice.Open"/>: the device sizes its tables from them there and signs every connection
/// attempt from them. A board whose broker can move supplies host and port through <see cref="IBrokerEndpoint"/>.
/// </remarks>
public sealed class LinkkitSettings
{
    /// <summary>The usual LinkKit MQTT port; Aliyun serves TLS (securemode=2) and plain TCP (securemode=3) on it.</summary>
    public const int DefaultPort = 1883;

    /// <summary>The longest client id (the part before the first <c>|</c>) the platform accepts.</summary>
    public const int MaxClientIdLength = 64;

    /// <summary>The region whose public endpoint is used when no custom domain is set (IOTX_IOCTL_SET_DOMAIN).</summary>
    public CloudRegion Region = CloudRegion.Shanghai;

    /// <summary>A custom MQTT host used verbatim instead of <c>{pk}.iot-as-mqtt.{region}.aliyuncs.com</c> (IOTX_IOCTL_SET_MQTT_DOMAIN), or null.</summary>
    public string MqttDomain;

    /// <summary>
    /// A custom registration host (IOTX_IOCTL_SET_HTTP_DOMAIN), or null for <c>iot-auth.{region}.aliyuncs.com</c>.
    /// A bare <c>host[:port]</c> is reached over HTTPS; a value starting with <c>https://</c> or <c>http://</c> is the URL's base.
    /// </summary>
    public string HttpDomain;

    /// <summary>The MQTT port.</summary>
    public int Port = DefaultPort;

    /// <summary>Connect with TLS (securemode=2). Clearing it (securemode=3) needs <see cref="AllowPlainTransport"/>.</summary>
    public bool UseTls = true;

    /// <summary>Permits plain TCP for MQTT and plain HTTP for registration; the platform refuses plain TCP for devices created since 2022-08-02.</summary>
    public bool AllowPlainTransport;

    /// <summary>The HMAC of the connection password.</summary>
    public MacMethod SignMethod = MacMethod.HmacSha256;

    /// <summary>The MQTT keep-alive in seconds, 30..1200.</summary>
    public int KeepAliveSeconds = 300;

    /// <summary>The MQTT clean-session flag; the C SDK connects with it cleared.</summary>
    public bool CleanSession;

    /// <summary>The client id before the <c>|</c>, at most 64 characters; null for <c>{pk}.{dn}</c>.</summary>
    public string ClientId;

    /// <summary>The size of the buffer every outgoing payload is written into, in bytes.</summary>
    public int TxBufferSize = 2048;

    /// <summary>How many requests may wait for their replies at once.</summary>
    public int MaxPendingRequests = 8;

    /// <summary>How many topics (routes, request topics and events) the device can hold.</summary>
    public int MaxTopics = 16;

    /// <summary>How long a request waits for its reply, in milliseconds, unless the request says otherwise.</summary>
    public int RequestTimeoutMs = 10000;

    /// <summary>How long one connection attempt may take to set up the MQTT session, in milliseconds.</summary>
    public int ConnectTimeoutMs = 15000;

    /// <summary>The bound of the wait after the first failed attempt or a lost connection, in milliseconds; it doubles with each further failure (<see cref="Timing.Backoff"/>).</summary>
    public int BackoffMinMs = 1000;

    /// <summary>The largest bound of the wait between connection attempts, in milliseconds.</summary>
    public int BackoffMaxMs = 60000;

    /// <summary>Checks the settings.</summary>
    /// <returns><see cref="LinkkitStatus.Ok"/> or the <see cref="LinkkitStatus"/> code naming the first bad setting.</returns>
    public LinkkitStatus Validate()
    {
        if (KeepAliveSeconds < MqttClient.MinKeepAliveSeconds || KeepAliveSeconds > MqttClient.MaxKeepAliveSeconds)
        {
            return LinkkitStatus.BadKeepAlive;
        }

        if (ClientId != null && !IsClientId(ClientId))
        {
            return LinkkitStatus.BadClientId;
        }

        if (!UseTls && !AllowPlainTransport)
        {
            return LinkkitStatus.PlainTransportNotAllowed;
        }

        if (Port <= 0 || Port > 65535 || TxBufferSize < 64 || MaxPendingRequests < 1 || MaxTopics < 1
            || RequestTimeoutMs < 1 || ConnectTimeoutMs < 1 || BackoffMinMs < 1 || BackoffMaxMs < BackoffMinMs || (int)Region < 0 || (int)Region > (int)CloudRegion.Germany
            || (SignMethod != MacMethod.HmacSha256 && SignMethod != MacMethod.HmacSha1))
        {
            return LinkkitStatus.BadSettings;
        }

        if (MqttDomain != null && !IsHost(MqttDomain, 0))
        {
            return LinkkitStatus.BadSettings;
        }

        if (HttpDomain != null)
        {
            int scheme = HttpScheme.LengthOf(HttpDomain.ToCharArray());
            if (scheme == HttpScheme.Plain.Length && !AllowPlainTransport)
            {
                return LinkkitStatus.PlainTransportNotAllowed;
            }

            if (!IsHost(HttpDomain, scheme))
            {
                return LinkkitStatus.BadSettings;
            }
        }

        return LinkkitStatus.Ok;
    }

    /// <summary>True when <paramref name="value"/> is 1..64 printable ASCII characters other than space, <c>|</c>, <c>,</c> and <c>=</c>.</summary>
    public static bool IsClientId(string value) => DeviceIdentity.IsText(value, MaxClientIdLength, "|,=", true);

    // A host name or address with an optional :port, from position start: letters, digits, '.', '-', ':', '[', ']'.
    private static bool IsHost(string text, int start) => DeviceIdentity.IsText(text.Substring(start), 253, ".-:[]", false);
}
