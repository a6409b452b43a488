namespace CotaFirmware.Platform;

/// <summary>Failure codes of <see cref="IHttpClient"/>, all negative so they never collide with HTTP status codes.</summary>
public static class HttpStatus
{
    /// <summary>The host name could not be resolved or the host could not be reached.</summary>
    public const int Unreachable = -2;

    /// <summary>Nothing arrived within the time given.</summary>
    public const int Timeout = -4;

    /// <summary>The TLS handshake failed: untrusted certificate, wrong host name, or an invalid clock.</summary>
    public const int TlsFailed = -5;

    /// <summary>The connection broke (reset, closed early).</summary>
    public const int Broken = -6;

    /// <summary>The URL is not one the client accepts (malformed, or a scheme the board does not allow).</summary>
    public const int BadUrl = -7;

    /// <summary>Names a failure code for log lines.</summary>
    public static string Name(int status)
    {
        switch (status)
        {
            case Unreachable: return "unreachable";
            case Timeout: return "timeout";
            case TlsFailed: return "tls failed";
            case Broken: return "connection broken";
            case BadUrl: return "bad url";
            default: return status >= 0 ? "http" : "unknown";
        }
    }
}
