using CotaFirmware.Linkkit;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>Records the end of requests.</summary>
public sealed class RecordingReplyHandler : IReplyHandler
{
    /// <summary>How many requests ended.</summary>
    public int Calls;

    /// <summary>The last request's id, status and code.</summary>
    public int Id, Code;

    /// <summary>The last request's status.</summary>
    public ReplyStatus Status;

    /// <summary>The last reply payload as text.</summary>
    public string Payload;

    /// <inheritdoc/>
    public void OnReply(LinkkitDevice device, int requestId, ReplyStatus status, int code, byte[] payload, int offset, int count)
    {
        Calls++;
        Id = requestId;
        Status = status;
        Code = code;
        Payload = Ascii.Text(payload, offset, count);
    }
}
