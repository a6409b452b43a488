namespace CotaFirmware.Linkkit;

/// <summary>Outcome of a LinkKit call: zero is success, every failure is negative.</summary>
/// <remarks>Calls that return a topic handle or a request id return one of the negative values, as an int, on failure.</remarks>
public enum LinkkitStatus
{
    /// <summary>The operation succeeded.</summary>
    Ok = 0,

    /// <summary>The ProductKey is missing, too long, or not letters and digits only.</summary>
    BadProductKey = -1,

    /// <summary>The DeviceName is missing, longer than 32 characters, or has a character outside <c>A-Z a-z 0-9 _ - @ . :</c>.</summary>
    BadDeviceName = -2,

    /// <summary>The DeviceSecret is missing (and no registration supplied it), too long, or not printable ASCII.</summary>
    BadDeviceSecret = -3,

    /// <summary>The ProductSecret is missing for dynamic registration, too long, or not printable ASCII.</summary>
    BadProductSecret = -4,

    /// <summary>The client id is longer than 64 characters or holds a character outside printable ASCII or a <c>|</c>, <c>,</c> or <c>=</c>.</summary>
    BadClientId = -5,

    /// <summary>The keep-alive is outside 30..1200 seconds.</summary>
    BadKeepAlive = -6,

    /// <summary>A custom domain, the port or a buffer size is not usable.</summary>
    BadSettings = -7,

    /// <summary>Plain TCP (or plain HTTP) was asked for without <see cref="LinkkitSettings.AllowPlainTransport"/>.</summary>
    PlainTransportNotAllowed = -8,

    /// <summary>The device is not connected.</summary>
    NotConnected = -9,

    /// <summary>The MQTT connection could not be set up (network, TLS, or the broker refused the credentials).</summary>
    ConnectFailed = -10,

    /// <summary>A subscription was refused or could not be sent.</summary>
    SubscribeFailed = -11,

    /// <summary>A publish could not be sent.</summary>
    PublishFailed = -12,

    /// <summary>The message did not fit the transmit buffer.</summary>
    PayloadTooLarge = -13,

    /// <summary>Every slot of the pending-request table is taken.</summary>
    TooManyPending = -14,

    /// <summary>The device was closed.</summary>
    Closed = -15,

    /// <summary>The signer could not compute the HMAC (the board's <see cref="Platform.IMac"/> lacks the method).</summary>
    SigningFailed = -16,

    /// <summary>A topic suffix or event identifier is empty, too long, or holds a character a topic must not have; or its topic is defined already.</summary>
    BadTopic = -17,

    /// <summary>Every slot of the topic table is taken.</summary>
    TooManyTopics = -18,
}
