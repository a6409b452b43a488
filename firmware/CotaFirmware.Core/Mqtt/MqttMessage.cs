using CotaFirmware.Text;

namespace CotaFirmware.Mqtt;

/// <summary>An incoming PUBLISH as views into the client's receive buffer; valid only during the handler call.</summary>
/// <remarks>The client reuses one instance for every message, so a handler must copy what it keeps.</remarks>
public sealed class MqttMessage
{
    /// <summary>The buffer that holds topic and payload (the client's receive buffer).</summary>
    public byte[] Buffer { get; internal set; }

    /// <summary>Where the topic's UTF-8 bytes start in <see cref="Buffer"/>.</summary>
    public int TopicOffset { get; internal set; }

    /// <summary>The topic's length in bytes; 0 for an oversize message whose topic did not fit the buffer.</summary>
    public int TopicCount { get; internal set; }

    /// <summary>Where the payload starts in <see cref="Buffer"/>.</summary>
    public int PayloadOffset { get; internal set; }

    /// <summary>The length of the payload view in bytes: the whole payload, or for an oversize message the part that fit the buffer.</summary>
    public int PayloadCount { get; internal set; }

    /// <summary>The payload's whole size in bytes: <see cref="PayloadCount"/>, except for an oversize message, whose payload did not fit.</summary>
    public int PayloadSize { get; internal set; }

    /// <summary>The delivery QoS: 0 or 1.</summary>
    public int Qos { get; internal set; }

    /// <summary>True for a retained message (sent because of a subscription, not a new publish).</summary>
    public bool Retain { get; internal set; }

    /// <summary>True when the broker marked this as a redelivery.</summary>
    public bool Duplicate { get; internal set; }

    /// <summary>The packet identifier of a QoS 1 message; 0 for QoS 0.</summary>
    public int PacketId { get; internal set; }

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
}
