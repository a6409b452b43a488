namespace CotaFirmware.Platform;

/// <summary>Result codes of <see cref="IByteChannel"/>: zero is success, every failure is negative.</summary>
/// <remarks><see cref="IByteChannel.Read"/> and <see cref="IByteChannel.Write"/> return a count, or one of these negative values as an int.</remarks>
public enum ChannelStatus
{
    /// <summary>The operation succeeded.</summary>
    Ok = 0,

    /// <summary>The peer closed the connection, or it was never open.</summary>
    Closed = -1,

    /// <summary>The host name could not be resolved or the host could not be reached.</summary>
    Unreachable = -2,

    /// <summary>The peer refused the connection.</summary>
    Refused = -3,

    /// <summary>The connection could not be set up in the time given.</summary>
    Timeout = -4,

    /// <summary>The TLS handshake failed: untrusted certificate, wrong host name, or an invalid clock.</summary>
    TlsFailed = -5,

    /// <summary>Any other I/O failure.</summary>
    Failed = -6,

    /// <summary>The board ran out of memory for the connection (a TLS handshake allocates); nothing is open.</summary>
    OutOfMemory = -7,
}
