namespace CotaFirmware.Text;

/// <summary>The core's one UTF-8 codec: text to UTF-8 bytes and back, over the caller's buffers (mscorlib has no Encoding).</summary>
/// <remarks>
/// <para>
/// A string is read once, through <see cref="string.ToCharArray()"/>: on the device a string is UTF-8 inside, and
/// indexing it walks it from its start (a loop over <c>s[i]</c> is quadratic) and gives the high surrogate again at
/// a pair's low half. That char copy is why every form taking a string allocates: they are for setup and for rare
/// messages. Steady-state code keeps its text as bytes, encoded once.
/// </para>
/// <para>
/// A lone surrogate is encoded as U+FFFD, which is what the device makes of it when the string is created, so a text
/// gives the same bytes on the device and on .NET. Decoding never throws: a byte that does not start a well-formed
/// sequence (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) decodes to U+FFFD.
/// </para>
/// </remarks>
public static class Utf8
{
    /// <summary>The number of bytes <paramref name="count"/> chars of <paramref name="chars"/> from <paramref name="offset"/> take in UTF-8.</summary>
    public static int ByteCount(char[] chars, int offset, int count)
    {
        int n = count;
        int end = offset + count;
        for (int i = offset; i < end; i++)
        {
            int c = chars[i];
            if (c < 0x80)
            {
                continue;
            }

            if (c < 0x800)
            {
                n++;
            }
            else if (c <= 0xDBFF && c >= 0xD800 && i + 1 < end && chars[i + 1] >= 0xDC00 && chars[i + 1] <= 0xDFFF)
            {
                n += 2; // four bytes for the pair's two chars
                i++;
            }
            else
            {
                n += 2;
            }
        }

        return n;
    }

    /// <summary>
    /// Writes <paramref name="count"/> chars of <paramref name="chars"/> from <paramref name="offset"/> as UTF-8 into
    /// <paramref name="buffer"/> at <paramref name="bufferOffset"/>.
    /// </summary>
    /// <returns>The number of bytes written; -1 when they do not fit in the buffer (the bytes after <paramref name="bufferOffset"/> may then have changed).</returns>
    public static int Encode(char[] chars, int offset, int count, byte[] buffer, int bufferOffset)
    {
        int o = bufferOffset;
        int room = buffer.Length;
        int end = offset + count;
        for (int i = offset; i < end; i++)
        {
            int c = chars[i];
            if (c < 0x80)
            {
                if (o >= room)
                {
                    return -1;
                }

                buffer[o++] = (byte)c;
                continue;
            }

            if (c >= 0xD800 && c <= 0xDFFF)
            {
                if (c <= 0xDBFF && i + 1 < end && chars[i + 1] >= 0xDC00 && chars[i + 1] <= 0xDFFF)
                {
                    c = 0x10000 + ((c - 0xD800) << 10) + (chars[i + 1] - 0xDC00);
                    i++;
                }
                else
                {
                    c = 0xFFFD;
                }
            }

            if (o + 4 > room && o + (c < 0x800 ? 2 : (c < 0x10000 ? 3 : 4)) > room)
            {
                return -1;
            }

            o += EncodeCodePoint(c, buffer, o);
        }

        return o - bufferOffset;
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 into <paramref name="buffer"/> at <paramref name="offset"/> (allocates a char copy).</summary>
    /// <returns>The number of bytes written; -1 when they do not fit (the bytes after <paramref name="offset"/> may then have changed).</returns>
    public static int Encode(string text, byte[] buffer, int offset)
    {
        char[] chars = text.ToCharArray();
        return Encode(chars, 0, chars.Length, buffer, offset);
    }

    /// <summary>The UTF-8 bytes of <paramref name="text"/> in a new array (setup time: this allocates).</summary>
    public static byte[] GetBytes(string text)
    {
        char[] chars = text.ToCharArray();
        byte[] bytes = new byte[ByteCount(chars, 0, chars.Length)];
        Encode(chars, 0, chars.Length, bytes, 0);
        return bytes;
    }

    /// <summary>The UTF-8 bytes of each of <paramref name="texts"/>, in the same order (setup time: this allocates).</summary>
    public static byte[][] GetBytes(string[] texts)
    {
        byte[][] bytes = new byte[texts.Length][];
        for (int i = 0; i < texts.Length; i++)
        {
            bytes[i] = GetBytes(texts[i]);
        }

        return bytes;
    }

    /// <summary>Decodes <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/> into a new string; each byte that does not start a well-formed sequence becomes U+FFFD.</summary>
    public static string GetString(byte[] buffer, int offset, int count)
    {
        // At most one char per byte: a four-byte sequence gives two.
        char[] chars = new char[count];
        int n = 0;
        int i = offset;
        int end = offset + count;
        while (i < end)
        {
            int b = buffer[i];
            if (b < 0x80)
            {
                chars[n++] = (char)b;
                i++;
                continue;
            }

            int length = SequenceLength(buffer, i, end);
            if (length <= 0)
            {
                chars[n++] = '\uFFFD';
                i++;
            }
            else if (length == 2)
            {
                chars[n++] = (char)(((b & 0x1F) << 6) | (buffer[i + 1] & 0x3F));
                i += 2;
            }
            else if (length == 3)
            {
                chars[n++] = (char)(((b & 0x0F) << 12) | ((buffer[i + 1] & 0x3F) << 6) | (buffer[i + 2] & 0x3F));
                i += 3;
            }
            else
            {
                int cp = ((b & 0x07) << 18) | ((buffer[i + 1] & 0x3F) << 12) | ((buffer[i + 2] & 0x3F) << 6) | (buffer[i + 3] & 0x3F);
                cp -= 0x10000;
                chars[n++] = (char)(0xD800 + (cp >> 10));
                chars[n++] = (char)(0xDC00 + (cp & 0x3FF));
                i += 4;
            }
        }

        return new string(chars, 0, n);
    }

    /// <summary>True when <paramref name="text"/> encodes to exactly the <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/> (allocates its encoding).</summary>
    public static bool TextEquals(string text, byte[] buffer, int offset, int count)
    {
        byte[] bytes = GetBytes(text);
        if (bytes.Length != count)
        {
            return false;
        }

        for (int i = 0; i < count; i++)
        {
            if (bytes[i] != buffer[offset + i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes the code point <paramref name="codePoint"/> (0..0x10FFFF, not a surrogate) as 1 to 4 bytes of UTF-8 at <paramref name="offset"/>.</summary>
    /// <returns>The number of bytes written; the caller has made room for them.</returns>
    public static int EncodeCodePoint(int codePoint, byte[] buffer, int offset)
    {
        if (codePoint < 0x80)
        {
            buffer[offset] = (byte)codePoint;
            return 1;
        }

        if (codePoint < 0x800)
        {
            buffer[offset] = (byte)(0xC0 | (codePoint >> 6));
            buffer[offset + 1] = (byte)(0x80 | (codePoint & 0x3F));
            return 2;
        }

        if (codePoint < 0x10000)
        {
            buffer[offset] = (byte)(0xE0 | (codePoint >> 12));
            buffer[offset + 1] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
            buffer[offset + 2] = (byte)(0x80 | (codePoint & 0x3F));
            return 3;
        }

        buffer[offset] = (byte)(0xF0 | (codePoint >> 18));
        buffer[offset + 1] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
        buffer[offset + 2] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
        buffer[offset + 3] = (byte)(0x80 | (codePoint & 0x3F));
        return 4;
    }

    /// <summary>
    /// The length (1 to 4) of the well-formed UTF-8 sequence at <paramref name="index"/> of <paramref name="buffer"/>,
    /// looking no further than <paramref name="end"/>: 0 when the bytes there do not start one (RFC 3629: no overlong
    /// forms, surrogates or values above U+10FFFF), -1 when the bytes before <paramref name="end"/> begin one that
    /// continues past it.
    /// </summary>
    public static int SequenceLength(byte[] buffer, int index, int end)
    {
        int b = buffer[index];
        if (b < 0x80)
        {
            return 1;
        }

        // The lead byte gives the length; the second byte's allowed range (RFC 3629's table) rules out the rest.
        int length;
        int low = 0x80;
        int high = 0xBF;
        if (b >= 0xC2 && b <= 0xDF)
        {
            length = 2;
        }
        else if (b >= 0xE0 && b <= 0xF4)
        {
            // The four lead bytes with a narrower second byte: no overlong form, no surrogate, nothing above U+10FFFF.
            length = b < 0xF0 ? 3 : 4;
            if (b == 0xE0)
            {
                low = 0xA0;
            }
            else if (b == 0xF0)
            {
                low = 0x90;
            }
            else if (b == 0xED)
            {
                high = 0x9F;
            }
            else if (b == 0xF4)
            {
                high = 0x8F;
            }
        }
        else
        {
            return 0;
        }

        int available = end - index < length ? end - index : length;
        if (available > 1)
        {
            int second = buffer[index + 1];
            if (second < low || second > high)
            {
                return 0;
            }
        }

        for (int k = 2; k < available; k++)
        {
            if ((buffer[index + k] & 0xC0) != 0x80)
            {
                return 0;
            }
        }

        return available < length ? -1 : length;
    }
}
