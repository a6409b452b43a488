namespace CotaFirmware.Mqtt;

/// <summary>The UTF-8 rules of MQTT strings: a strict validator over byte views and an encoder for setup-time strings.</summary>
public static class MqttUtf8
{
    /// <summary>True when the bytes are well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF) with no U+0000.</summary>
    public static bool IsValid(byte[] buffer, int offset, int count)
    {
        int i = offset;
        int end = offset + count;
        while (i < end)
        {
            int b = buffer[i];
            if (b >= 0x01 && b < 0x80)
            {
                i++;
                continue;
            }

            int need;
            int min;
            int cp;
            if (b >= 0xC2 && b <= 0xDF)
            {
                need = 1;
                min = 0x80;
                cp = b & 0x1F;
            }
            else if (b >= 0xE0 && b <= 0xEF)
            {
                need = 2;
                min = 0x800;
                cp = b & 0x0F;
            }
            else if (b >= 0xF0 && b <= 0xF4)
            {
                need = 3;
                min = 0x10000;
                cp = b & 0x07;
            }
            else
            {
                return false; // 0x00, stray continuation, C0/C1 overlong leads, F5..FF
            }

            if (end - i <= need)
            {
                return false;
            }

            int j = i + 1;
            int last = i + need;
            while (j <= last)
            {
                int c = buffer[j];
                if ((c & 0xC0) != 0x80)
                {
                    return false;
                }

                cp = (cp << 6) | (c & 0x3F);
                j++;
            }

            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            {
                return false;
            }

            i = last + 1;
        }

        return true;
    }

    /// <summary>The number of bytes <paramref name="text"/> takes in UTF-8; -1 when it holds an unpaired surrogate.</summary>
    public static int ByteCount(string text)
    {
        int n = 0;
        int len = text.Length;
        for (int i = 0; i < len; i++)
        {
            int c = text[i];
            if (c < 0x80)
            {
                n += 1;
            }
            else if (c < 0x800)
            {
                n += 2;
            }
            else if (c >= 0xD800 && c <= 0xDBFF)
            {
                if (i + 1 >= len || text[i + 1] < 0xDC00 || text[i + 1] > 0xDFFF)
                {
                    return -1;
                }

                n += 4;
                i++;
            }
            else if (c >= 0xDC00 && c <= 0xDFFF)
            {
                return -1;
            }
            else
            {
                n += 3;
            }
        }

        return n;
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 at <paramref name="offset"/>; returns the byte count, or -1 on an unpaired surrogate or when it does not fit.</summary>
    public static int Encode(string text, byte[] buffer, int offset)
    {
        int count = ByteCount(text);
        if (count < 0 || offset + count > buffer.Length)
        {
            return -1;
        }

        EncodeCounted(text, buffer, offset);
        return count;
    }

    /// <summary>Writes <paramref name="text"/>, already known to be encodable and to fit, as UTF-8 at <paramref name="offset"/>.</summary>
    internal static void EncodeCounted(string text, byte[] buffer, int offset)
    {
        int o = offset;
        int len = text.Length;
        for (int i = 0; i < len; i++)
        {
            int c = text[i];
            if (c < 0x80)
            {
                buffer[o++] = (byte)c;
            }
            else if (c < 0x800)
            {
                buffer[o++] = (byte)(0xC0 | (c >> 6));
                buffer[o++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (c >= 0xD800 && c <= 0xDBFF)
            {
                int cp = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                i++;
                buffer[o++] = (byte)(0xF0 | (cp >> 18));
                buffer[o++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                buffer[o++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                buffer[o++] = (byte)(0x80 | (cp & 0x3F));
            }
            else
            {
                buffer[o++] = (byte)(0xE0 | (c >> 12));
                buffer[o++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                buffer[o++] = (byte)(0x80 | (c & 0x3F));
            }
        }
    }

    /// <summary>The UTF-8 bytes of <paramref name="text"/> in a new array (setup time only); throws on an unpaired surrogate.</summary>
    public static byte[] GetBytes(string text)
    {
        int count = ByteCount(text);
        if (count < 0)
        {
            throw new System.ArgumentException("not encodable as UTF-8", "text");
        }

        byte[] bytes = new byte[count];
        Encode(text, bytes, 0);
        return bytes;
    }

    /// <summary>True when <paramref name="text"/> encodes to exactly the <paramref name="count"/> bytes at <paramref name="offset"/>; allocates nothing.</summary>
    public static bool TextEquals(string text, byte[] buffer, int offset, int count)
    {
        int o = offset;
        int end = offset + count;
        int len = text.Length;
        for (int i = 0; i < len; i++)
        {
            int c = text[i];
            if (c < 0x80)
            {
                if (o >= end || buffer[o] != c)
                {
                    return false;
                }

                o++;
                continue;
            }

            int cp = c;
            if (c >= 0xD800 && c <= 0xDBFF && i + 1 < len)
            {
                cp = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                i++;
            }

            int n = cp < 0x800 ? 2 : (cp < 0x10000 ? 3 : 4);
            if (end - o < n)
            {
                return false;
            }

            int lead = n == 2 ? 0xC0 : (n == 3 ? 0xE0 : 0xF0);
            if (buffer[o] != (byte)(lead | (cp >> (6 * (n - 1)))))
            {
                return false;
            }

            for (int k = 1; k < n; k++)
            {
                if (buffer[o + k] != (byte)(0x80 | ((cp >> (6 * (n - 1 - k))) & 0x3F)))
                {
                    return false;
                }
            }

            o += n;
        }

        return o == end;
    }

    /// <summary>The UTF-8 byte count of a PUBLISH topic in one pass; -1 when it is empty or holds a wildcard, U+0000 or an unpaired surrogate.</summary>
    public static int TopicByteCount(string topic)
    {
        int n = 0;
        int len = topic.Length;
        for (int i = 0; i < len; i++)
        {
            int c = topic[i];
            if (c < 0x80)
            {
                if (c == '+' || c == '#' || c == 0)
                {
                    return -1;
                }

                n++;
            }
            else if (c < 0x800)
            {
                n += 2;
            }
            else if (c >= 0xD800 && c <= 0xDFFF)
            {
                if (c > 0xDBFF || i + 1 >= len || topic[i + 1] < 0xDC00 || topic[i + 1] > 0xDFFF)
                {
                    return -1;
                }

                n += 4;
                i++;
            }
            else
            {
                n += 3;
            }
        }

        return n == 0 ? -1 : n;
    }
}
