using CotaFirmware.Json;
using CotaFirmware.Platform;

namespace CotaFirmware.Linkkit;

/// <summary>
/// The requests that wait for their replies: their ids, topics and deadlines in a fixed table, and the delivery of
/// what ends each one. A reply's envelope (<c>id</c>, <c>code</c>, where <c>data</c> lies) is read here once, in place,
/// and handed up with a view of <c>data</c>, so no layer above reads it again.
/// </summary>
/// <remarks>A slot is free when its handler is null. Every callback runs on the device's one thread.</remarks>
internal sealed class PendingRequests
{
    private static readonly byte[] NoData = new byte[0];

    private readonly int[] _id;
    private readonly int[] _topic;
    private readonly long[] _deadline;
    private readonly IReplyHandler[] _handler;
    private readonly JsonReader _reader = new JsonReader(null);
    private readonly ILog _log;
    private int _count;
    private int _lastId;

    // The envelope read last: its id (0 when unreadable, -1 when a whole object has none), code (-1 when none) and data view.
    private long _replyId;
    private int _replyCode;
    private int _dataOffset;
    private int _dataCount;

    /// <summary>A table of <paramref name="capacity"/> slots.</summary>
    internal PendingRequests(int capacity, ILog log)
    {
        _id = new int[capacity];
        _topic = new int[capacity];
        _deadline = new long[capacity];
        _handler = new IReplyHandler[capacity];
        _log = log;
    }

    /// <summary>How many requests wait.</summary>
    internal int Count => _count;

    /// <summary>The id of the most recent request, 0 before the first.</summary>
    internal int LastId => _lastId;

    /// <summary>The next request id: one more than the last, from 1 again after <see cref="int.MaxValue"/>.</summary>
    internal int NextId()
    {
        _lastId = _lastId == int.MaxValue ? 1 : _lastId + 1;
        return _lastId;
    }

    /// <summary>A free slot for <see cref="Add"/>, or -1 when every slot waits.</summary>
    internal int FreeSlot()
    {
        for (int i = 0; i < _handler.Length; i++)
        {
            if (_handler[i] == null)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Request <paramref name="id"/> on <paramref name="topic"/> waits in <paramref name="slot"/> until <paramref name="deadlineMs"/>.</summary>
    internal void Add(int slot, int id, int topic, long deadlineMs, IReplyHandler handler)
    {
        _id[slot] = id;
        _topic[slot] = topic;
        _deadline[slot] = deadlineMs;
        _handler[slot] = handler;
        _count++;
    }

    /// <summary>Lets the request in <paramref name="slot"/> go without telling its handler (it was never sent).</summary>
    internal void Remove(int slot)
    {
        _handler[slot] = null;
        _id[slot] = 0;
        _count--;
    }

    /// <summary>Ends every request whose deadline is at or before <paramref name="nowMs"/> with <see cref="ReplyStatus.TimedOut"/>.</summary>
    internal void Expire(LinkkitDevice device, long nowMs)
    {
        if (_count == 0)
        {
            return;
        }

        for (int i = 0; i < _handler.Length; i++)
        {
            if (_handler[i] != null && nowMs - _deadline[i] >= 0)
            {
                End(device, i, ReplyStatus.TimedOut);
            }
        }
    }

    /// <summary>Ends every waiting request with <paramref name="status"/> (the connection was lost, or the device closed).</summary>
    internal void EndAll(LinkkitDevice device, ReplyStatus status)
    {
        for (int i = 0; i < _handler.Length; i++)
        {
            if (_handler[i] != null)
            {
                End(device, i, status);
            }
        }
    }

    /// <summary>
    /// A message on request topic <paramref name="topic"/>: its envelope is read once; the request with its id ends
    /// with it, and a reply no request waits for goes to <paramref name="unmatched"/> (null: dropped).
    /// </summary>
    internal void Deliver(LinkkitDevice device, int topic, IReplyHandler unmatched, byte[] payload, int offset, int count)
    {
        if (_count == 0 && unmatched == null)
        {
            return;
        }

        if (!ReadEnvelope(payload, offset, count))
        {
            _log.Write(LogLevel.Warning, "linkkit", _replyId < 0 ? "reply without id" : "reply is not valid JSON with an integer id");
            if (unmatched != null)
            {
                unmatched.OnReply(device, 0, ReplyStatus.Malformed, -1, count, payload, _dataOffset, _dataCount);
            }

            return;
        }

        IReplyHandler handler = Take(topic, _replyId);
        if (handler == null)
        {
            handler = unmatched;
        }

        if (handler != null)
        {
            handler.OnReply(device, ReplyId(), ReplyStatus.Replied, _replyCode, count, payload, _dataOffset, _dataCount);
        }
    }

    /// <summary>
    /// A reply of <paramref name="size"/> bytes on request topic <paramref name="topic"/> that did not fit the receive
    /// buffer: the request whose id its <paramref name="count"/>-byte prefix names ends as <see cref="ReplyStatus.TooLarge"/>;
    /// without a readable id it goes to <paramref name="unmatched"/>. The view is the part of <c>data</c> that fit.
    /// </summary>
    internal void DeliverOversize(LinkkitDevice device, int topic, IReplyHandler unmatched, int size, byte[] prefix, int offset, int count)
    {
        if (_count == 0 && unmatched == null)
        {
            return;
        }

        // A prefix that is a whole envelope (the size was miscounted below) still names its id.
        bool whole = ReadEnvelope(prefix, offset, count);
        IReplyHandler handler = whole || _replyId > 0 ? Take(topic, _replyId) : null;
        if (handler == null)
        {
            handler = unmatched;
        }

        if (handler != null)
        {
            handler.OnReply(device, ReplyId(), ReplyStatus.TooLarge, -1, size, prefix, _dataOffset, _dataCount);
        }
    }

    // The waiting request's handler for this id on this topic, its slot freed; null when none waits.
    private IReplyHandler Take(int topic, long id)
    {
        for (int i = 0; i < _handler.Length; i++)
        {
            IReplyHandler handler = _handler[i];
            if (handler != null && _id[i] == id && _topic[i] == topic)
            {
                Remove(i);
                return handler;
            }
        }

        return null;
    }

    private void End(LinkkitDevice device, int slot, ReplyStatus status)
    {
        IReplyHandler handler = _handler[slot];
        int id = _id[slot];
        Remove(slot);
        handler.OnReply(device, id, status, -1, 0, NoData, 0, 0);
    }

    private int ReplyId() => _replyId > 0 && _replyId <= int.MaxValue ? (int)_replyId : 0;

    /// <summary>
    /// One pass over a reply: its first top-level <c>id</c>, <c>code</c> and <c>data</c>. The data view runs from its
    /// value's first byte to its last; a value cut off (a prefix, broken JSON) runs to the end of what arrived.
    /// </summary>
    /// <returns>True only when the reply is one valid JSON object with an integer id.</returns>
    private bool ReadEnvelope(byte[] payload, int offset, int count)
    {
        JsonReader r = _reader;
        r.Begin(payload, offset, count);
        bool isObject = r.Read() && r.TokenKind == JsonTokenKind.BeginObject;
        bool hasId = false;
        bool idOk = false;
        bool hasCode = false;
        bool hasData = false;
        long id = 0;
        _replyCode = -1;
        _dataOffset = offset;
        _dataCount = 0;
        while (isObject && r.Read())
        {
            if (r.Depth != 1 || r.TokenKind != JsonTokenKind.PropertyName)
            {
                continue;
            }

            if (!hasId && r.ValueEquals(EnvelopeNames.Id))
            {
                hasId = true;

                // A number running to the end of the bytes may be cut short (12 of 1234): no id to match a request by.
                idOk = r.Read() && WireInteger.TryRead(r, out id)
                    && (r.TokenKind != JsonTokenKind.Number || r.TokenIndex + r.TokenLength < offset + count);
            }
            else if (!hasCode && r.ValueEquals(EnvelopeNames.Code))
            {
                hasCode = true;
                long value;
                if (r.Read() && WireInteger.TryRead(r, out value) && value >= int.MinValue && value <= int.MaxValue)
                {
                    _replyCode = (int)value;
                }
            }
            else if (!hasData && r.ValueEquals(EnvelopeNames.Data))
            {
                hasData = true;
                if (r.Read())
                {
                    int start = r.TokenIndex;
                    int end = r.Skip() ? r.TokenIndex + r.TokenLength : offset + count;
                    _dataOffset = start;
                    _dataCount = end - start;
                }
            }

            if (r.TokenKind == JsonTokenKind.PropertyName || r.TokenKind == JsonTokenKind.BeginObject || r.TokenKind == JsonTokenKind.BeginArray)
            {
                r.Skip();
            }
        }

        bool valid = isObject && r.Error == JsonError.None && idOk;
        _replyId = idOk ? id : isObject && r.Error == JsonError.None && !hasId ? -1 : 0;
        return valid;
    }
}
