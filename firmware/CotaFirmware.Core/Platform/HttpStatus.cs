namespace CotaFirmware.Platform;

/// <summary>Why an <see cref="IHttpClient"/> exchange got no usable answer; every value is negative, so none collides with an HTTP status code or a byte count.</summary>
/// <remarks>
/// <see cref="IHttpClient.Get"/> and <see cref="IHttpClient.Read"/> return an HTTP status code or a byte count, or one of
/// these values as an int; map the int once where it is received: <c>status &lt; 0 ? (HttpStatus)status : ...</c>.
/// <see cref="PlatformNames.Of(HttpStatus)"/> names it for logs and results.
/// </remarks>
public enum HttpStatus
{
    /// <summary>The host name could not be resolved or the host could not be reached.</summary>
    Unreachable = -2,

    /// <summary>Nothing arrived within the time given. After <see cref="IHttpClient.Read"/> the exchange stays open: reading again keeps waiting.</summary>
    Timeout = -4,

    /// <summary>The TLS handshake failed: untrusted certificate, wrong host name, or an invalid clock.</summary>
    TlsFailed = -5,

    /// <summary>The connection broke (reset, closed early).</summary>
    Broken = -6,

    /// <summary>The URL is not one the client accepts (malformed, or a scheme the board does not allow).</summary>
    BadUrl = -7,

    /// <summary>The board ran out of memory for the exchange (its HTTP and TLS stacks allocate per request); the exchange is closed.</summary>
    OutOfMemory = -8,
}
