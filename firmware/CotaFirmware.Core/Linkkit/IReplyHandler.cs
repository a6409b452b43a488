namespace CotaFirmware.Linkkit;

/// <summary>Receives the end of a request sent with <see cref="LinkkitDevice.Query"/>: its reply, or why none came.</summary>
public interface IReplyHandler
{
    /// <summary>
    /// Request <paramref name="requestId"/> ended with <paramref name="status"/>. For <see cref="ReplyStatus.Replied"/>,
    /// <paramref name="code"/> is the reply's <c>code</c> (200 is success; -1 when the reply has none) and the payload
    /// view holds the whole reply; for <see cref="ReplyStatus.TooLarge"/>, the prefix that fit the MQTT receive buffer (code
    /// -1); otherwise the view is empty. The view is valid only during the call.
    /// </summary>
    public void OnReply(LinkkitDevice device, int requestId, ReplyStatus status, int code, byte[] payload, int offset, int count);
}
