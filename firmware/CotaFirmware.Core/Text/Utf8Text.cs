namespace CotaFirmware.Text;

/// <summary>UTF-8 bytes to strings at the edges where an API speaks strings (M2Mqtt topics, settings values); mscorlib has no Encoding.</summary>
public static class Utf8Text
{
    /// <summary>
    /// Decodes <paramref name="buffer"/>[<paramref name="offset"/>..+<paramref name="count"/>] (for example what
    /// <c>JsonReader.CopyString</c> wrote, which is valid UTF-8). Never throws: each byte that does not start a
    /// well-formed sequence becomes <c>'?'</c>.
    /// </summary>
    public static string Decode(byte[] buffer, int offset, int count)
    {
        char[] text = new char[count];
        int n = 0;
        int i = offset;
        int end = offset + count;
        while (i < end)
        {
            int c = buffer[i];
            int need = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : -1;
            int cp = need == 0 ? c : need == 1 ? c & 0x1F : need == 2 ? c & 0x0F : c & 0x07;
            bool ok = need >= 0 && i + need < end;
            for (int k = 1; ok && k <= need; k++)
            {
                int b = buffer[i + k];
                ok = (b & 0xC0) == 0x80;
                cp = (cp << 6) | (b & 0x3F);
            }

            // Overlong forms, encoded surrogates and values above U+10FFFF are not well formed.
            ok = ok && !(need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) && !(need == 3 && (cp < 0x10000 || cp > 0x10FFFF));
            if (!ok)
            {
                text[n++] = '?';
                i++;
            }
            else if (cp >= 0x10000)
            {
                cp -= 0x10000;
                text[n++] = (char)(0xD800 + (cp >> 10));
                text[n++] = (char)(0xDC00 + (cp & 0x3FF));
                i += 4;
            }
            else
            {
                text[n++] = (char)cp;
                i += need + 1;
            }
        }

        return new string(text, 0, n);
    }
}
