namespace CotaFirmware.Linkkit;

/// <summary>Result codes of the LinkKit layer: zero is success, every failure is negative.</summary>
public static class LinkkitStatus
{
    /// <summary>The operation succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The ProductKey is missing, too long, or not letters and digits only.</summary>
    public const int BadProductKey = -1;

    /// <summary>The DeviceName is missing, longer than 32 characters, or has a character outside <c>A-Z a-z 0-9 _ - @ . :</c>.</summary>
    public const int BadDeviceName = -2;

    /// <summary>The DeviceSecret is missing (and no registration supplied it), too long, or not printable ASCII.</summary>
    public const int BadDeviceSecret = -3;

    /// <summary>The ProductSecret is missing for dynamic registration, too long, or not printable ASCII.</summary>
    public const int BadProductSecret = -4;

    /// <summary>The client id is longer than 64 characters or holds a character outside printable ASCII or a <c>|</c>, <c>,</c> or <c>=</c>.</summary>
    public const int BadClientId = -5;

    /// <summary>The keep-alive is outside 30..1200 seconds.</summary>
    public const int BadKeepAlive = -6;

    /// <summary>A custom domain, the port or a buffer size is not usable.</summary>
    public const int BadOptions = -7;

    /// <summary>Plain TCP (or plain HTTP) was asked for without <see cref="LinkkitOptions.AllowPlainTransport"/>.</summary>
    public const int PlainTransportNotAllowed = -8;

    /// <summary>The device is not connected.</summary>
    public const int NotConnected = -9;

    /// <summary>The MQTT connection could not be set up (network, TLS, or the broker refused the credentials).</summary>
    public const int ConnectFailed = -10;

    /// <summary>A subscription was refused or could not be sent.</summary>
    public const int SubscribeFailed = -11;

    /// <summary>A publish could not be sent.</summary>
    public const int PublishFailed = -12;

    /// <summary>The message did not fit the transmit buffer.</summary>
    public const int PayloadTooLarge = -13;

    /// <summary>Every slot of the pending-request table is taken.</summary>
    public const int TooManyPending = -14;

    /// <summary>The device was closed.</summary>
    public const int Closed = -15;

    /// <summary>The signer could not compute the HMAC (the board's <see cref="Platform.IMac"/> lacks the method).</summary>
    public const int SigningFailed = -16;

    /// <summary>A topic suffix or event identifier is empty, too long, or holds a character a topic must not have.</summary>
    public const int BadTopic = -17;

    /// <summary>Every slot of the topic table is taken.</summary>
    public const int TooManyTopics = -18;

    /// <summary>Names a status code for log lines.</summary>
    public static string Name(int status)
    {
        switch (status)
        {
            case Ok: return "ok";
            case BadProductKey: return "bad product key";
            case BadDeviceName: return "bad device name";
            case BadDeviceSecret: return "bad device secret";
            case BadProductSecret: return "bad product secret";
            case BadClientId: return "bad client id";
            case BadKeepAlive: return "bad keep-alive";
            case BadOptions: return "bad options";
            case PlainTransportNotAllowed: return "plain transport not allowed";
            case NotConnected: return "not connected";
            case ConnectFailed: return "connect failed";
            case SubscribeFailed: return "subscribe failed";
            case PublishFailed: return "publish failed";
            case PayloadTooLarge: return "payload too large";
            case TooManyPending: return "too many pending requests";
            case Closed: return "closed";
            case SigningFailed: return "signing failed";
            case BadTopic: return "bad topic";
            case TooManyTopics: return "too many topics";
            default: return status > 0 ? "ok" : "unknown";
        }
    }
}
