namespace CotaFirmware.Linkkit;

/// <summary>Receives the end of a request sent with <see cref="LinkkitDevice.Query"/>: its reply, or why none came.</summary>
public interface IReplyHandler
{
    /// <summary>
    /// Request <paramref name="requestId"/> ended with <paramref name="status"/>. LinkKit has read the reply's envelope:
    /// <paramref name="code"/> is its <c>code</c> (200 is success; -1 when it has none, and for every status but
    /// <see cref="ReplyStatus.Replied"/>), <paramref name="size"/> the reply's whole size in bytes (0 when none arrived),
    /// and the view holds its <c>data</c> value as JSON text (empty when it has none). For <see cref="ReplyStatus.TooLarge"/>
    /// and <see cref="ReplyStatus.Malformed"/> the view holds the part of <c>data</c> that arrived, which may be cut off.
    /// The view is valid only during the call.
    /// </summary>
    /// <remarks>As the unmatched-reply handler of a request topic, it gets the replies no request waits for: the
    /// reply's own id (0 when it has no usable one), as <see cref="ReplyStatus.Replied"/>, <see cref="ReplyStatus.TooLarge"/>
    /// or <see cref="ReplyStatus.Malformed"/>.</remarks>
    public void OnReply(LinkkitDevice device, int requestId, ReplyStatus status, int code, int size, byte[] data, int offset, int count);
}
