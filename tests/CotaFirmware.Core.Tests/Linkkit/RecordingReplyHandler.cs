using CotaFirmware.Linkkit;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>Records the end of requests (and, as a topic's unmatched-reply handler, the replies no request waits for).</summary>
public sealed class RecordingReplyHandler : IReplyHandler
{
    /// <summary>How many requests ended.</summary>
    public int Calls;

    /// <summary>The last request's id, code and the reply's whole size.</summary>
    public int Id, Code, Size;

    /// <summary>The last request's status.</summary>
    public ReplyStatus Status;

    /// <summary>The last reply's data view as text.</summary>
    public string Data;

    /// <inheritdoc/>
    public void OnReply(LinkkitDevice device, int requestId, ReplyStatus status, int code, int size, byte[] data, int offset, int count)
    {
        Calls++;
        Id = requestId;
        Status = status;
        Code = code;
        Size = size;
        Data = Ascii.Text(data, offset, count);
    }
}
