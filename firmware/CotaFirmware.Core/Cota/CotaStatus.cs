namespace CotaFirmware.Cota;

/// <summary>
/// What an operation of the COTA layer came to, and the reason a config result carries: a message parsed, a download
/// step, an offer's end. <see cref="CotaNames.Of(CotaStatus)"/> gives the name (the device prints an enum as its number).
/// </summary>
/// <remarks>
/// A config result's <c>status</c> follows from its reason (<see cref="CotaNames.ResultStatus"/>): <see cref="Ok"/> is
/// applied; a refused offer or content is rejected; <see cref="ModuleFailed"/>, <see cref="DeadlineWithoutContact"/> and
/// <see cref="BootLoopGuard"/> are rolled_back; <see cref="Superseded"/> is superseded; everything else is failed.
/// </remarks>
public enum CotaStatus
{
    /// <summary>Nothing happened yet.</summary>
    None = 0,

    /// <summary>Done: a valid offer, a verified download sealed in the store, a config applied and confirmed.</summary>
    Ok,

    /// <summary>Still working: call the step again.</summary>
    Running,

    /// <summary>Not one JSON object, no usable <c>id</c>, or no <c>params</c>/<c>data</c> object (push_reply 400).</summary>
    Malformed,

    /// <summary>configId is missing, empty or longer than 64 bytes (push_reply 460).</summary>
    ConfigIdInvalid,

    /// <summary>configSize is missing or not a non-negative integer (push_reply 460).</summary>
    ConfigSizeInvalid,

    /// <summary>getType is not <c>file</c> (push_reply 460).</summary>
    GetTypeNotFile,

    /// <summary>signMethod is not Sha256 (Md5 is refused: the core has no MD5) (push_reply 460).</summary>
    SignMethodUnsupported,

    /// <summary>sign is not 64 hex digits (push_reply 460).</summary>
    SignInvalid,

    /// <summary>url is missing, longer than the device takes, or not printable ASCII (push_reply 460).</summary>
    UrlInvalid,

    /// <summary>configSize is above the device's maximum; nothing is downloaded (push_reply 460).</summary>
    TooLarge,

    /// <summary>A get_reply without a config (its code is not 200: 6710 no config published, 6713 not available).</summary>
    NoConfig,

    /// <summary>The message was larger than the MQTT receive buffer (push_reply 400 when its id could be read).</summary>
    MessageTooLarge,

    /// <summary>The url is not HTTPS (or HTTP when plain HTTP is allowed); nothing was requested.</summary>
    BadScheme,

    /// <summary>The board's HTTP client refused the url as malformed.</summary>
    BadUrl,

    /// <summary>The file server answered a status other than 200/206 (the result carries it as <c>httpStatus</c>).</summary>
    HttpError,

    /// <summary>The Content-Length is missing or differs from configSize, or more bytes came than offered.</summary>
    SizeMismatch,

    /// <summary>A 206 answer's Content-Range does not start where the download asked it to.</summary>
    RangeMismatch,

    /// <summary>The bytes in flash do not hash to the offer's sign.</summary>
    HashMismatch,

    /// <summary>Nothing arrived within the download's timeout (retried with backoff).</summary>
    Timeout,

    /// <summary>The connection to the file server could not be made or broke (retried with backoff).</summary>
    ConnectionFailed,

    /// <summary>The body ended before its Content-Length (retried with backoff).</summary>
    Truncated,

    /// <summary>The bounded number of attempts without progress is used up, counted across reboots.</summary>
    RetriesExhausted,

    /// <summary>The config store refused (full flash, a failed write, a trial it could not end); the result names the store's status.</summary>
    StoreFailed,

    /// <summary>The modules refused the config (the result lists their errors); nothing was applied.</summary>
    Rejected,

    /// <summary>A module threw while taking the config: it was rolled back.</summary>
    ModuleFailed,

    /// <summary>The trial deadline passed while the device could not reach the cloud: it was rolled back.</summary>
    DeadlineWithoutContact,

    /// <summary>The config on trial kept the device rebooting past the board's limit: the boot rolled it back.</summary>
    BootLoopGuard,

    /// <summary>A newer offer arrived before this one's download ended.</summary>
    Superseded,

    /// <summary>The file server's certificate did not verify against the board's root CA (or the handshake failed): nothing was read from it.</summary>
    TlsFailed,

    /// <summary>The board ran out of memory for the download's HTTP exchange (retried with backoff: memory may come back), or while a config not yet committed was validated.</summary>
    OutOfMemory,
}
