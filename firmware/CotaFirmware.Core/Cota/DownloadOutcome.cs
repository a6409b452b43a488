namespace CotaFirmware.Cota;

/// <summary>Where a <see cref="RangeDownload"/> stands: still running, or how it ended.</summary>
/// <remarks>
/// Transient failures (<see cref="Timeout"/>, <see cref="ConnectionFailed"/>, <see cref="Truncated"/>, an HTTP 5xx,
/// 408 or 429) are retried with backoff and only appear as <see cref="RangeDownload.LastFailure"/>; when the attempts
/// run out the download ends with <see cref="RetriesExhausted"/>. Every other failure ends it at once.
/// </remarks>
public enum DownloadOutcome
{
    /// <summary>Nothing started yet (or the download was forgotten).</summary>
    None = 0,

    /// <summary>Still working: call <see cref="RangeDownload.Step"/> again.</summary>
    Running = 1,

    /// <summary>All bytes are staged, their size and SHA-256 match the offer: the staging area is a candidate config.</summary>
    Completed = 2,

    /// <summary>The offer's size is above the board's maximum; nothing was requested.</summary>
    TooLarge = 3,

    /// <summary>The URL is not HTTPS (or HTTP when plain HTTP is allowed); nothing was requested.</summary>
    BadScheme = 4,

    /// <summary>The server answered with a status that is not 200/206; <see cref="RangeDownload.HttpStatusCode"/> holds it.</summary>
    HttpError = 5,

    /// <summary>The Content-Length is missing or differs from the size expected; nothing of that response was stored.</summary>
    SizeMismatch = 6,

    /// <summary>A 206 answer's Content-Range does not start where the download asked it to.</summary>
    RangeMismatch = 7,

    /// <summary>The staged bytes' SHA-256 differs from the offer's sign; the staging area was discarded.</summary>
    HashMismatch = 8,

    /// <summary>Nothing arrived within the timeout (transient).</summary>
    Timeout = 9,

    /// <summary>The connection could not be made or broke (unreachable, reset, TLS failure; transient).</summary>
    ConnectionFailed = 10,

    /// <summary>The body ended before the Content-Length was reached (transient).</summary>
    Truncated = 11,

    /// <summary>The board's storage refused a read or write; the download stopped.</summary>
    StorageFailed = 12,

    /// <summary>The download was cancelled, for example because a newer config superseded it.</summary>
    Cancelled = 13,

    /// <summary>The bounded number of attempts without progress is used up; <see cref="RangeDownload.LastFailure"/> says why.</summary>
    RetriesExhausted = 14,

    /// <summary>The HTTP client refused the URL as malformed.</summary>
    BadUrl = 15,
}
