using CotaFirmware.Text;

namespace CotaFirmware.Mqtt;

// Decoding: what a broker sends, checked before use. Decoders that yield a packet id return it, or a negative
// MqttStatus when the packet is malformed: one int, no out parameter, as each call counts on the device.
public static partial class MqttCodec
{
    /// <summary>Reads the fixed header at <paramref name="offset"/>, of which <paramref name="count"/> bytes are at hand: the one remaining-length decoder.</summary>
    /// <returns>The header's length (2 to 5) with <paramref name="remaining"/> set; 0 when more bytes are needed; -1 when the remaining length would need a fifth byte (malformed).</returns>
    public static int ReadFixedHeader(byte[] buffer, int offset, int count, out int remaining)
    {
        remaining = 0;
        if (count < 2)
        {
            return 0;
        }

        // One or two length bytes, the common cases, without the loop.
        int b = buffer[offset + 1];
        if (b < 0x80)
        {
            remaining = b;
            return 2;
        }

        if (count < 3)
        {
            return 0;
        }

        int value = (b & 0x7F) | (buffer[offset + 2] << 7);
        if (buffer[offset + 2] < 0x80)
        {
            remaining = value;
            return 3;
        }

        value &= 0x3FFF;
        int shift = 14;
        for (int i = 3; i < 5; i++)
        {
            if (i >= count)
            {
                return 0;
            }

            b = buffer[offset + i];
            value |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                remaining = value;
                return i + 1;
            }

            shift += 7;
        }

        return -1;
    }

    /// <summary>Checks a fixed header's first byte as a packet a broker may send: type and reserved flags.</summary>
    /// <returns><see cref="MqttStatus.Ok"/>, <see cref="MqttStatus.MalformedPacketType"/> or <see cref="MqttStatus.MalformedFlags"/>.</returns>
    public static MqttStatus CheckServerHeader(int firstByte)
    {
        int type = (firstByte >> 4) & 0x0F;
        int flags = firstByte & 0x0F;
        switch (type)
        {
            case Publish:
                int qos = (flags >> 1) & 3;
                if (qos == 3 || (qos == 0 && (flags & 0x08) != 0))
                {
                    return MqttStatus.MalformedFlags;
                }

                return MqttStatus.Ok;
            case Pubrel:
                return flags == 2 ? MqttStatus.Ok : MqttStatus.MalformedFlags;
            case Connack:
            case Puback:
            case Pubrec:
            case Pubcomp:
            case Suback:
            case Unsuback:
            case Pingresp:
                return flags == 0 ? MqttStatus.Ok : MqttStatus.MalformedFlags;
            default:
                return MqttStatus.MalformedPacketType; // 0 and 15 are reserved; the rest only clients send
        }
    }

    /// <summary>
    /// Decodes a PUBLISH with first byte <paramref name="first"/> and a body of <paramref name="length"/> bytes at
    /// <paramref name="body"/>, of which <paramref name="visible"/> are in the buffer (fewer for an oversize packet),
    /// into <paramref name="message"/>.
    /// </summary>
    /// <remarks>The common packet: its flags are checked here, as <see cref="CheckServerHeader"/> would, to spare it that call.</remarks>
    /// <returns>The packet id to acknowledge (0 at QoS 0, or when it lies beyond the buffer); a negative <see cref="MqttStatus"/> when malformed.</returns>
    internal static int ReadPublish(byte[] buffer, int first, int body, int length, int visible, MqttMessage message)
    {
        int qos = (first >> 1) & 3;
        if (qos == 3 || (qos == 0 && (first & 0x08) != 0))
        {
            return -(int)MqttStatus.MalformedFlags;
        }

        if (qos == 2)
        {
            return -(int)MqttStatus.ProtocolViolation; // subscriptions ask for QoS 1 at most
        }

        if (length < 2)
        {
            return -(int)MqttStatus.MalformedLength;
        }

        int topicCount = (buffer[body] << 8) | buffer[body + 1];
        int idBytes = qos > 0 ? 2 : 0;
        if (topicCount + 2 + idBytes > length)
        {
            return -(int)MqttStatus.MalformedLength;
        }

        int payloadOffset = body + 2 + topicCount + idBytes;
        int payloadCount = length - 2 - topicCount - idBytes;
        if (topicCount + 2 > visible)
        {
            message.Set(first, body + 2, 0, 0, payloadOffset, payloadCount);
            return 0; // oversize with a topic beyond the buffer: reported without one
        }

        if (!IsTopicName(buffer, body + 2, topicCount))
        {
            return -(int)MqttStatus.MalformedTopic;
        }

        int id = 0;
        if (qos > 0 && topicCount + 4 <= visible)
        {
            id = (buffer[body + 2 + topicCount] << 8) | buffer[body + 3 + topicCount];
            if (id == 0)
            {
                return -(int)MqttStatus.MalformedPacketId;
            }
        }

        message.Set(first, body + 2, topicCount, id, payloadOffset, payloadCount);
        return id;
    }

    /// <summary>Decodes a CONNACK body.</summary>
    /// <returns><see cref="MqttStatus.Ok"/> when accepted, with <paramref name="sessionPresent"/> set; a Refused* code; or the malformation.</returns>
    internal static MqttStatus ReadConnack(byte[] buffer, int body, int length, out bool sessionPresent)
    {
        sessionPresent = false;
        if (length != 2)
        {
            return MqttStatus.MalformedLength;
        }

        int ackFlags = buffer[body];
        int code = buffer[body + 1];
        if ((ackFlags & 0xFE) != 0)
        {
            return MqttStatus.MalformedField;
        }

        sessionPresent = (ackFlags & 1) != 0;
        return code <= 5 ? (MqttStatus)code : MqttStatus.RefusedUnknownCode;
    }

    /// <summary>Decodes the body of an ack that holds only a packet id (PUBACK, UNSUBACK).</summary>
    /// <returns>The packet id, or a negative <see cref="MqttStatus"/> when malformed.</returns>
    internal static int ReadAck(byte[] buffer, int body, int length)
    {
        if (length != 2)
        {
            return -(int)MqttStatus.MalformedLength;
        }

        int id = (buffer[body] << 8) | buffer[body + 1];
        return id == 0 ? -(int)MqttStatus.MalformedPacketId : id;
    }

    /// <summary>Decodes a SUBACK body; every return code must be 0, 1, 2 or 0x80 (failure).</summary>
    /// <returns>The packet id with <paramref name="code"/> the first return code, or a negative <see cref="MqttStatus"/> when malformed.</returns>
    internal static int ReadSuback(byte[] buffer, int body, int length, out int code)
    {
        code = 0;
        if (length < 3)
        {
            return -(int)MqttStatus.MalformedLength;
        }

        int id = (buffer[body] << 8) | buffer[body + 1];
        if (id == 0)
        {
            return -(int)MqttStatus.MalformedPacketId;
        }

        int end = body + length;
        for (int p = body + 2; p < end; p++)
        {
            int c = buffer[p];
            if (c > 2 && c != 0x80)
            {
                return -(int)MqttStatus.MalformedField;
            }
        }

        code = buffer[body + 2];
        return id;
    }

    /// <summary>True when the bytes are a PUBLISH topic name: not empty, no wildcard characters, and an MQTT UTF-8 string (see <see cref="IsValidString"/>).</summary>
    /// <remarks>
    /// Every received PUBLISH is checked, so plain ASCII is scanned 8 bytes per step (a byte-wise loop costs several
    /// times more on the device's interpreter). A top bit in the mask marks a byte that is not plain: one of its own
    /// (0x80 and up), or a borrow out of a NUL, '+' or '#' (the last two turned to 0 by the OR and XOR). From the
    /// first marked word on, the exact checks go byte by byte.
    /// </remarks>
    public static bool IsTopicName(byte[] buffer, int offset, int count)
    {
        if (count <= 0)
        {
            return false;
        }

        // Words wholly before the last 8 bytes, then the last 8 bytes as one word (overlapping when the length is not
        // a multiple of 8). '+' and '#' differ only in 0x08: with that bit set both become '+', one XOR finds either.
        int i = offset;
        int end = offset + count;
        int last = end - 8;
        ulong v;
        while (i < last)
        {
            v = System.BitConverter.ToUInt64(buffer, i);
            if (((v | (v - 0x0101010101010101UL) | (((v | 0x0808080808080808UL) ^ 0x2B2B2B2B2B2B2B2BUL) - 0x0101010101010101UL))
                & 0x8080808080808080UL) != 0)
            {
                goto Exact;
            }

            i += 8;
        }

        if (last >= offset)
        {
            v = System.BitConverter.ToUInt64(buffer, last);
            if (((v | (v - 0x0101010101010101UL) | (((v | 0x0808080808080808UL) ^ 0x2B2B2B2B2B2B2B2BUL) - 0x0101010101010101UL))
                & 0x8080808080808080UL) == 0)
            {
                return true;
            }

            i = last;
        }

    Exact:
        for (int k = i; k < end; k++)
        {
            byte b = buffer[k];
            if (b == (byte)'+' || b == (byte)'#')
            {
                return false;
            }
        }

        return IsValidString(buffer, i, end - i);
    }

    /// <summary>True when the bytes are an MQTT UTF-8 string: well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF) with no U+0000.</summary>
    public static bool IsValidString(byte[] buffer, int offset, int count)
    {
        int i = offset;
        int end = offset + count;
        while (i < end)
        {
            int b = buffer[i];
            if (b == 0)
            {
                return false;
            }

            if (b < 0x80)
            {
                i++;
                continue;
            }

            int length = Utf8.SequenceLength(buffer, i, end);
            if (length <= 0)
            {
                return false;
            }

            i += length;
        }

        return true;
    }
}
