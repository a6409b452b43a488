namespace CotaFirmware.Platform;

/// <summary>Result codes of <see cref="IByteChannel"/>: zero is success, every failure is negative.</summary>
public static class ChannelStatus
{
    /// <summary>The operation succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The peer closed the connection, or it was never open.</summary>
    public const int Closed = -1;

    /// <summary>The host name could not be resolved or the host could not be reached.</summary>
    public const int Unreachable = -2;

    /// <summary>The peer refused the connection.</summary>
    public const int Refused = -3;

    /// <summary>The connection could not be set up in the time given.</summary>
    public const int Timeout = -4;

    /// <summary>The TLS handshake failed: untrusted certificate, wrong host name, or an invalid clock.</summary>
    public const int TlsFailed = -5;

    /// <summary>Any other I/O failure.</summary>
    public const int Failed = -6;

    /// <summary>Names a status code for log lines.</summary>
    public static string Name(int status)
    {
        switch (status)
        {
            case Ok: return "ok";
            case Closed: return "closed";
            case Unreachable: return "unreachable";
            case Refused: return "refused";
            case Timeout: return "timeout";
            case TlsFailed: return "tls failed";
            case Failed: return "failed";
            default: return status > 0 ? "ok" : "unknown";
        }
    }
}
