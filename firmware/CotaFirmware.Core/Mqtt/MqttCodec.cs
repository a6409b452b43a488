using CotaFirmware.Text;

namespace CotaFirmware.Mqtt;

/// <summary>The MQTT 3.1.1 serializer: encodes packets into caller buffers (this file) and decodes and checks what a broker sends (MqttCodec.Decode.cs).</summary>
/// <remarks>Encoders return the packet's length, or -1 when it does not fit; they never write past the buffer's end.</remarks>
public static partial class MqttCodec
{
    /// <summary>Packet type CONNECT.</summary>
    public const int Connect = 1;

    /// <summary>Packet type CONNACK.</summary>
    public const int Connack = 2;

    /// <summary>Packet type PUBLISH.</summary>
    public const int Publish = 3;

    /// <summary>Packet type PUBACK.</summary>
    public const int Puback = 4;

    /// <summary>Packet type PUBREC.</summary>
    public const int Pubrec = 5;

    /// <summary>Packet type PUBREL.</summary>
    public const int Pubrel = 6;

    /// <summary>Packet type PUBCOMP.</summary>
    public const int Pubcomp = 7;

    /// <summary>Packet type SUBSCRIBE.</summary>
    public const int Subscribe = 8;

    /// <summary>Packet type SUBACK.</summary>
    public const int Suback = 9;

    /// <summary>Packet type UNSUBSCRIBE.</summary>
    public const int Unsubscribe = 10;

    /// <summary>Packet type UNSUBACK.</summary>
    public const int Unsuback = 11;

    /// <summary>Packet type PINGREQ.</summary>
    public const int Pingreq = 12;

    /// <summary>Packet type PINGRESP.</summary>
    public const int Pingresp = 13;

    /// <summary>Packet type DISCONNECT.</summary>
    public const int Disconnect = 14;

    /// <summary>The largest remaining length four bytes can encode.</summary>
    public const int MaxRemainingLength = 268435455;

    /// <summary>The number of bytes the remaining length <paramref name="value"/> takes (1 to 4).</summary>
    public static int RemainingLengthSize(int value) =>
        value < 128 ? 1 : (value < 16384 ? 2 : (value < 2097152 ? 3 : 4));

    /// <summary>Writes <paramref name="value"/> (0..<see cref="MaxRemainingLength"/>) as a remaining length; returns the bytes written.</summary>
    public static int WriteRemainingLength(byte[] buffer, int offset, int value)
    {
        int o = offset;
        do
        {
            int digit = value & 0x7F;
            value >>= 7;
            if (value > 0)
            {
                digit |= 0x80;
            }

            buffer[o++] = (byte)digit;
        }
        while (value > 0);
        return o - offset;
    }

    /// <summary>Encodes CONNECT (protocol level 4), writing the strings as UTF-8 straight into the packet (allocates their char copies). User name and password may be null.</summary>
    /// <returns>The packet's length; -1 when it does not fit or a string is longer than 65,535 bytes.</returns>
    public static int WriteConnect(byte[] buffer, int offset, MqttConnectInfo info)
    {
        char[] id = info.ClientId.ToCharArray();
        string username = info.Username;
        string password = info.Password;
        int keepAliveSeconds = info.KeepAliveSeconds;
        char[] user = username == null ? null : username.ToCharArray();
        char[] pass = password == null ? null : password.ToCharArray();
        int idCount = Utf8.ByteCount(id, 0, id.Length);
        int userCount = user == null ? 0 : Utf8.ByteCount(user, 0, user.Length);
        int passCount = pass == null ? 0 : Utf8.ByteCount(pass, 0, pass.Length);
        if (idCount > 65535 || userCount > 65535 || passCount > 65535)
        {
            return -1;
        }

        int remaining = 10 + 2 + idCount;
        int flags = info.CleanSession ? 0x02 : 0;
        if (user != null)
        {
            remaining += 2 + userCount;
            flags |= 0x80;
        }

        if (pass != null)
        {
            remaining += 2 + passCount;
            flags |= 0x40;
        }

        int o = offset;
        if (!Fits(buffer, offset, remaining))
        {
            return -1;
        }

        buffer[o++] = Connect << 4;
        o += WriteRemainingLength(buffer, o, remaining);
        buffer[o++] = 0;
        buffer[o++] = 4;
        buffer[o++] = (byte)'M';
        buffer[o++] = (byte)'Q';
        buffer[o++] = (byte)'T';
        buffer[o++] = (byte)'T';
        buffer[o++] = 4;
        buffer[o++] = (byte)flags;
        buffer[o++] = (byte)(keepAliveSeconds >> 8);
        buffer[o++] = (byte)keepAliveSeconds;
        o = WriteField(buffer, o, id, idCount);
        if (user != null)
        {
            o = WriteField(buffer, o, user, userCount);
        }

        if (pass != null)
        {
            o = WriteField(buffer, o, pass, passCount);
        }

        return o - offset;
    }

    /// <summary>The encoded size of a PUBLISH with a topic of <paramref name="topicCount"/> bytes and a payload of <paramref name="payloadCount"/> bytes.</summary>
    public static int PublishSize(int topicCount, int payloadCount, int qos)
    {
        int remaining = 2 + topicCount + (qos > 0 ? 2 : 0) + payloadCount;
        return 1 + RemainingLengthSize(remaining) + remaining;
    }

    /// <summary>Encodes PUBLISH with a topic given as bytes. <paramref name="packetId"/> is used only when <paramref name="qos"/> is above 0.</summary>
    public static int WritePublish(byte[] buffer, int offset, byte[] topic, int topicOffset, int topicCount,
        byte[] payload, int payloadOffset, int payloadCount, int qos, bool retain, bool duplicate, int packetId)
    {
        int o = WritePublishHeader(buffer, offset, topicCount, payloadCount, qos, retain, duplicate);
        if (o < 0)
        {
            return -1;
        }

        System.Array.Copy(topic, topicOffset, buffer, o, topicCount);
        return WritePublishTail(buffer, offset, o + topicCount, payload, payloadOffset, payloadCount, qos, packetId);
    }

    /// <summary>Encodes PUBLISH with a topic given as a string, written as UTF-8 straight into the packet (allocates a char copy of the topic).</summary>
    public static int WritePublish(byte[] buffer, int offset, string topic,
        byte[] payload, int payloadOffset, int payloadCount, int qos, bool retain, bool duplicate, int packetId)
    {
        char[] chars = topic.ToCharArray();
        return WritePublish(buffer, offset, chars, Utf8.ByteCount(chars, 0, chars.Length), payload, payloadOffset, payloadCount, qos, retain, duplicate, packetId);
    }

    /// <summary>As the string overload, with the topic as chars whose UTF-8 byte count is already known (it is not counted again).</summary>
    internal static int WritePublish(byte[] buffer, int offset, char[] topic, int topicCount,
        byte[] payload, int payloadOffset, int payloadCount, int qos, bool retain, bool duplicate, int packetId)
    {
        int o = WritePublishHeader(buffer, offset, topicCount, payloadCount, qos, retain, duplicate);
        if (o < 0)
        {
            return -1;
        }

        Utf8.Encode(topic, 0, topic.Length, buffer, o);
        return WritePublishTail(buffer, offset, o + topicCount, payload, payloadOffset, payloadCount, qos, packetId);
    }

    /// <summary>Encodes SUBSCRIBE for one topic filter, written as UTF-8 straight into the packet (allocates a char copy of the filter).</summary>
    /// <returns>The packet's length; -1 when it does not fit or the filter is empty.</returns>
    public static int WriteSubscribe(byte[] buffer, int offset, int packetId, string filter, int qos)
    {
        char[] chars = filter.ToCharArray();
        return WriteSubscribe(buffer, offset, packetId, chars, Utf8.ByteCount(chars, 0, chars.Length), qos);
    }

    /// <summary>As the string overload, with the filter as chars whose UTF-8 byte count is already known.</summary>
    internal static int WriteSubscribe(byte[] buffer, int offset, int packetId, char[] filter, int filterCount, int qos)
    {
        int remaining = 2 + 2 + filterCount + 1;
        if (filterCount <= 0 || filterCount > 65535 || !Fits(buffer, offset, remaining))
        {
            return -1;
        }

        int o = offset;
        buffer[o++] = (Subscribe << 4) | 2;
        o += WriteRemainingLength(buffer, o, remaining);
        buffer[o++] = (byte)(packetId >> 8);
        buffer[o++] = (byte)packetId;
        o = WriteField(buffer, o, filter, filterCount);
        buffer[o++] = (byte)qos;
        return o - offset;
    }

    /// <summary>Encodes a 4-byte acknowledgement (PUBACK, or any type with a packet id only).</summary>
    public static int WriteAck(byte[] buffer, int offset, int type, int packetId)
    {
        if (offset + 4 > buffer.Length)
        {
            return -1;
        }

        buffer[offset] = (byte)((type << 4) | (type == Pubrel ? 2 : 0));
        buffer[offset + 1] = 2;
        buffer[offset + 2] = (byte)(packetId >> 8);
        buffer[offset + 3] = (byte)packetId;
        return 4;
    }

    /// <summary>Encodes a 2-byte packet with no body (PINGREQ, DISCONNECT).</summary>
    public static int WriteEmpty(byte[] buffer, int offset, int type)
    {
        if (offset + 2 > buffer.Length)
        {
            return -1;
        }

        buffer[offset] = (byte)(type << 4);
        buffer[offset + 1] = 0;
        return 2;
    }

    /// <summary>The UTF-8 byte count of a PUBLISH topic; -1 when it is empty or holds a wildcard or U+0000.</summary>
    internal static int TopicByteCount(char[] topic)
    {
        for (int i = 0; i < topic.Length; i++)
        {
            char c = topic[i];
            if (c == '+' || c == '#' || c == '\0')
            {
                return -1;
            }
        }

        return topic.Length == 0 ? -1 : Utf8.ByteCount(topic, 0, topic.Length);
    }

    private static bool Fits(byte[] buffer, int offset, int remaining) =>
        remaining <= MaxRemainingLength && offset + 1 + RemainingLengthSize(remaining) + remaining <= buffer.Length;

    private static int WriteField(byte[] buffer, int o, char[] field, int count)
    {
        buffer[o++] = (byte)(count >> 8);
        buffer[o++] = (byte)count;
        Utf8.Encode(field, 0, field.Length, buffer, o);
        return o + count;
    }

    private static int WritePublishHeader(byte[] buffer, int offset, int topicCount, int payloadCount, int qos, bool retain, bool duplicate)
    {
        int remaining = 2 + topicCount + (qos > 0 ? 2 : 0) + payloadCount;
        if (topicCount > 65535 || !Fits(buffer, offset, remaining))
        {
            return -1;
        }

        int o = offset;
        buffer[o++] = (byte)((Publish << 4) | (duplicate ? 0x08 : 0) | (qos << 1) | (retain ? 1 : 0));
        o += WriteRemainingLength(buffer, o, remaining);
        buffer[o++] = (byte)(topicCount >> 8);
        buffer[o++] = (byte)topicCount;
        return o;
    }

    private static int WritePublishTail(byte[] buffer, int offset, int o, byte[] payload, int payloadOffset, int payloadCount, int qos, int packetId)
    {
        if (qos > 0)
        {
            buffer[o++] = (byte)(packetId >> 8);
            buffer[o++] = (byte)packetId;
        }

        if (payloadCount > 0)
        {
            System.Array.Copy(payload, payloadOffset, buffer, o, payloadCount);
        }

        return o + payloadCount - offset;
    }
}
