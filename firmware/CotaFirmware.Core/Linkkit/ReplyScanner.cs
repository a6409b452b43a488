namespace CotaFirmware.Linkkit;

/// <summary>A strict, allocation-free JSON checker that finds the few members LinkKit reads from replies.</summary>
/// <remarks>
/// It validates the whole text (RFC 8259 grammar, nesting up to <see cref="MaxDepth"/>) and finds top-level
/// members by plain ASCII names; it builds nothing. It stands in until the core's streaming JSON reader takes
/// over reply parsing. Every input gives a result: bad JSON gives <see cref="Malformed"/>, never an exception.
/// </remarks>
internal static class ReplyScanner
{
    /// <summary>The deepest nesting accepted.</summary>
    internal const int MaxDepth = 16;

    /// <summary>The text is not one well-formed JSON object.</summary>
    internal const int Malformed = -2;

    /// <summary>The object has no member of that name.</summary>
    internal const int Missing = -1;

    /// <summary>True when <paramref name="count"/> bytes from <paramref name="offset"/> are exactly one JSON object (whitespace around allowed).</summary>
    internal static bool IsObject(byte[] b, int offset, int count)
    {
        int end = offset + count;
        int i = SkipSpace(b, offset, end);
        if (i >= end || b[i] != '{')
        {
            return false;
        }

        i = Value(b, i, end, 0);
        return i >= 0 && SkipSpace(b, i, end) == end;
    }

    /// <summary>
    /// Finds member <paramref name="name"/> of the object that starts at <paramref name="objectStart"/> (the
    /// <c>{</c>) and ends before <paramref name="end"/>; the whole object is checked.
    /// </summary>
    /// <returns>The index of the member's value, <see cref="Missing"/>, or <see cref="Malformed"/>.</returns>
    internal static int FindMember(byte[] b, int objectStart, int end, string name)
    {
        if (objectStart < 0 || objectStart >= end || b[objectStart] != '{')
        {
            return Malformed;
        }

        int found = Missing;
        int i = SkipSpace(b, objectStart + 1, end);
        if (i < end && b[i] == '}')
        {
            return Missing;
        }

        while (true)
        {
            if (i >= end || b[i] != '"')
            {
                return Malformed;
            }

            int keyStart = i + 1;
            i = SkipString(b, i, end);
            if (i < 0)
            {
                return Malformed;
            }

            bool match = found == Missing && NameEquals(b, keyStart, i - 1, name);
            i = SkipSpace(b, i, end);
            if (i >= end || b[i] != ':')
            {
                return Malformed;
            }

            i = SkipSpace(b, i + 1, end);
            if (match)
            {
                found = i;
            }

            i = Value(b, i, end, 1);
            if (i < 0)
            {
                return Malformed;
            }

            i = SkipSpace(b, i, end);
            if (i >= end)
            {
                return Malformed;
            }

            if (b[i] == '}')
            {
                return found;
            }

            if (b[i] != ',')
            {
                return Malformed;
            }

            i = SkipSpace(b, i + 1, end);
        }
    }

    /// <summary>
    /// Reads an integer at <paramref name="i"/>: a JSON number without fraction or exponent, or (when
    /// <paramref name="allowString"/>) a string of such digits.
    /// </summary>
    /// <returns>False when the value is not such an integer or does not fit a long.</returns>
    internal static bool ReadInteger(byte[] b, int i, int end, bool allowString, out long value)
    {
        value = 0;
        bool quoted = false;
        if (i < end && b[i] == '"')
        {
            if (!allowString)
            {
                return false;
            }

            quoted = true;
            i++;
        }

        bool negative = false;
        if (i < end && b[i] == '-')
        {
            negative = true;
            i++;
        }

        int digits = 0;
        long v = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9')
        {
            int d = b[i] - '0';
            if (v < (long.MinValue + d) / 10)
            {
                return false;
            }

            // Accumulate negatively so long.MinValue fits.
            v = (v * 10) - d;
            digits++;
            i++;
        }

        if (digits == 0 || (digits > 1 && b[i - digits] == '0'))
        {
            return false;
        }

        if (quoted)
        {
            if (i >= end || b[i] != '"')
            {
                return false;
            }
        }
        else if (i < end && (b[i] == '.' || b[i] == 'e' || b[i] == 'E'))
        {
            return false;
        }

        if (!negative)
        {
            if (v == long.MinValue)
            {
                return false;
            }

            v = -v;
        }

        value = v;
        return true;
    }

    /// <summary>
    /// Reads a string value at <paramref name="i"/> made only of printable ASCII without escapes, at most
    /// <paramref name="maxLength"/> characters (what secrets and keys are).
    /// </summary>
    /// <returns>The text, or null when the value is not such a string.</returns>
    internal static string ReadPlainString(byte[] b, int i, int end, int maxLength)
    {
        if (i >= end || b[i] != '"')
        {
            return null;
        }

        int start = i + 1;
        int j = start;
        while (j < end && b[j] != '"')
        {
            int c = b[j];
            if (c < 0x20 || c > 0x7E || c == '\\' || j - start >= maxLength)
            {
                return null;
            }

            j++;
        }

        if (j >= end || j == start)
        {
            return null;
        }

        char[] text = new char[j - start];
        for (int k = 0; k < text.Length; k++)
        {
            text[k] = (char)b[start + k];
        }

        return new string(text);
    }

    /// <summary>True when the string value at <paramref name="i"/> is exactly the ASCII <paramref name="text"/> (no escapes).</summary>
    internal static bool StringEquals(byte[] b, int i, int end, string text)
    {
        if (i >= end || b[i] != '"' || i + text.Length + 1 >= end)
        {
            return false;
        }

        return NameEquals(b, i + 1, i + 1 + text.Length, text) && b[i + 1 + text.Length] == '"';
    }

    private static bool NameEquals(byte[] b, int start, int stop, string name)
    {
        if (stop - start != name.Length)
        {
            return false;
        }

        for (int k = 0; k < name.Length; k++)
        {
            if (b[start + k] != name[k])
            {
                return false;
            }
        }

        return true;
    }

    private static int SkipSpace(byte[] b, int i, int end)
    {
        while (i < end)
        {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            {
                break;
            }

            i++;
        }

        return i;
    }

    // Checks the value starting exactly at i; returns the index after it, or -1.
    private static int Value(byte[] b, int i, int end, int depth)
    {
        if (i >= end)
        {
            return -1;
        }

        byte c = b[i];
        if (c == '"')
        {
            return SkipString(b, i, end);
        }

        if (c == '{' || c == '[')
        {
            if (depth >= MaxDepth)
            {
                return -1;
            }

            bool isObject = c == '{';
            byte close = isObject ? (byte)'}' : (byte)']';
            i = SkipSpace(b, i + 1, end);
            if (i < end && b[i] == close)
            {
                return i + 1;
            }

            while (true)
            {
                if (isObject)
                {
                    if (i >= end || b[i] != '"')
                    {
                        return -1;
                    }

                    i = SkipString(b, i, end);
                    if (i < 0)
                    {
                        return -1;
                    }

                    i = SkipSpace(b, i, end);
                    if (i >= end || b[i] != ':')
                    {
                        return -1;
                    }

                    i = SkipSpace(b, i + 1, end);
                }

                i = Value(b, i, end, depth + 1);
                if (i < 0)
                {
                    return -1;
                }

                i = SkipSpace(b, i, end);
                if (i >= end)
                {
                    return -1;
                }

                if (b[i] == close)
                {
                    return i + 1;
                }

                if (b[i] != ',')
                {
                    return -1;
                }

                i = SkipSpace(b, i + 1, end);
            }
        }

        if (c == 't')
        {
            return Literal(b, i, end, "true");
        }

        if (c == 'f')
        {
            return Literal(b, i, end, "false");
        }

        if (c == 'n')
        {
            return Literal(b, i, end, "null");
        }

        return Number(b, i, end);
    }

    private static int Literal(byte[] b, int i, int end, string word)
    {
        if (end - i < word.Length)
        {
            return -1;
        }

        for (int k = 0; k < word.Length; k++)
        {
            if (b[i + k] != word[k])
            {
                return -1;
            }
        }

        return i + word.Length;
    }

    private static int Number(byte[] b, int i, int end)
    {
        if (i < end && b[i] == '-')
        {
            i++;
        }

        if (i >= end || b[i] < '0' || b[i] > '9')
        {
            return -1;
        }

        if (b[i] == '0')
        {
            i++;
        }
        else
        {
            while (i < end && b[i] >= '0' && b[i] <= '9')
            {
                i++;
            }
        }

        if (i < end && b[i] == '.')
        {
            i++;
            int s = i;
            while (i < end && b[i] >= '0' && b[i] <= '9')
            {
                i++;
            }

            if (i == s)
            {
                return -1;
            }
        }

        if (i < end && (b[i] == 'e' || b[i] == 'E'))
        {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-'))
            {
                i++;
            }

            int s = i;
            while (i < end && b[i] >= '0' && b[i] <= '9')
            {
                i++;
            }

            if (i == s)
            {
                return -1;
            }
        }

        return i;
    }

    // Checks the string starting at the quote at i (control characters, escapes, UTF-8); returns the index after the closing quote, or -1.
    private static int SkipString(byte[] b, int i, int end)
    {
        i++;
        while (i < end)
        {
            int c = b[i];
            if (c == '"')
            {
                return i + 1;
            }

            if (c < 0x20)
            {
                return -1;
            }

            if (c == '\\')
            {
                if (i + 1 >= end)
                {
                    return -1;
                }

                int e = b[i + 1];
                if (e == 'u')
                {
                    if (i + 5 >= end)
                    {
                        return -1;
                    }

                    for (int k = i + 2; k < i + 6; k++)
                    {
                        int h = b[k];
                        if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
                        {
                            return -1;
                        }
                    }

                    i += 6;
                    continue;
                }

                if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't')
                {
                    return -1;
                }

                i += 2;
                continue;
            }

            if (c < 0x80)
            {
                i++;
                continue;
            }

            // UTF-8: the lead byte fixes the length; reject overlongs, surrogates and code points above U+10FFFF.
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF)
            {
                n = 1;
                min = 0x80;
            }
            else if (c >= 0xE0 && c <= 0xEF)
            {
                n = 2;
                min = 0x800;
            }
            else if (c >= 0xF0 && c <= 0xF4)
            {
                n = 3;
                min = 0x10000;
            }
            else
            {
                return -1;
            }

            if (i + n >= end)
            {
                return -1;
            }

            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++)
            {
                int t = b[i + k];
                if ((t & 0xC0) != 0x80)
                {
                    return -1;
                }

                cp = (cp << 6) | (t & 0x3F);
            }

            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            {
                return -1;
            }

            i += n + 1;
        }

        return -1;
    }
}
