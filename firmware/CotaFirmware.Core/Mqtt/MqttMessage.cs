using CotaFirmware.Text;

namespace CotaFirmware.Mqtt;

/// <summary>An incoming PUBLISH as views into the client's receive buffer; valid only during the handler call.</summary>
/// <remarks>The client reuses one instance for every message, so a handler must copy what it keeps.</remarks>
public sealed class MqttMessage
{
    /// <summary>The buffer that holds topic and payload (the client's receive buffer).</summary>
    public byte[] Buffer { get; internal set; }

    // Backing fields, filled by the client in one call per message: on the device every property set is a call.
    private int _topicOffset;
    private int _topicCount;
    private int _payloadOffset;
    private int _payloadCount;
    private int _payloadSize;
    private int _qos;
    private bool _retain;
    private bool _duplicate;
    private int _packetId;

    /// <summary>Where the topic's UTF-8 bytes start in <see cref="Buffer"/>.</summary>
    public int TopicOffset => _topicOffset;

    /// <summary>The topic's length in bytes; 0 for an oversize message whose topic did not fit the buffer.</summary>
    public int TopicCount => _topicCount;

    /// <summary>Where the payload starts in <see cref="Buffer"/>.</summary>
    public int PayloadOffset => _payloadOffset;

    /// <summary>The length of the payload view in bytes: the whole payload, or for an oversize message the part that fit the buffer.</summary>
    public int PayloadCount => _payloadCount;

    /// <summary>The payload's whole size in bytes: <see cref="PayloadCount"/>, except for an oversize message, whose payload did not fit.</summary>
    public int PayloadSize => _payloadSize;

    /// <summary>The delivery QoS: 0 or 1.</summary>
    public int Qos => _qos;

    /// <summary>True for a retained message (sent because of a subscription, not a new publish).</summary>
    public bool Retain => _retain;

    /// <summary>True when the broker marked this as a redelivery.</summary>
    public bool Duplicate => _duplicate;

    /// <summary>The packet identifier of a QoS 1 message; 0 for QoS 0.</summary>
    public int PacketId => _packetId;

    /// <summary>True when the topic is exactly <paramref name="topic"/>, compared as UTF-8 (allocates a char copy of <paramref name="topic"/>; steady-state code compares bytes).</summary>
    public bool TopicEquals(string topic) => Utf8.TextEquals(topic, Buffer, TopicOffset, TopicCount);

    /// <summary>True when the topic's bytes are exactly the <paramref name="count"/> bytes at <paramref name="offset"/> in <paramref name="bytes"/>.</summary>
    public bool TopicEquals(byte[] bytes, int offset, int count)
    {
        if (count != TopicCount)
        {
            return false;
        }

        byte[] b = Buffer;
        int t = TopicOffset;
        for (int i = 0; i < count; i++)
        {
            if (b[t + i] != bytes[offset + i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Sets every field from a PUBLISH's first byte (QoS, DUP, RETAIN), its checked topic (0 bytes when none), packet id and payload view.</summary>
    internal void Set(int firstByte, int topicOffset, int topicCount, int packetId, int payloadOffset, int payloadCount)
    {
        _qos = (firstByte >> 1) & 3;
        _retain = (firstByte & 1) != 0;
        _duplicate = (firstByte & 0x08) != 0;
        _packetId = packetId;
        _topicOffset = topicOffset;
        _topicCount = topicCount;
        _payloadOffset = payloadOffset;
        _payloadCount = payloadCount;
        _payloadSize = payloadCount;
    }

    /// <summary>Narrows the payload view to what fit the buffer (an oversize message).</summary>
    internal void SetPayloadView(int payloadOffset, int payloadCount)
    {
        _payloadOffset = payloadOffset;
        _payloadCount = payloadCount;
    }
}
