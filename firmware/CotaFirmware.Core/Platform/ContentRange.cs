namespace CotaFirmware.Platform;

/// <summary>Reads an HTTP <c>Content-Range</c> header value, for boards whose HTTP client hands it over as text.</summary>
public static class ContentRange
{
    private static readonly char[] Unit = { 'b', 'y', 't', 'e', 's', ' ' };

    /// <summary>The first byte position of <c>bytes first-last/length</c> (RFC 9110) in <paramref name="header"/>, or -1 for anything else (absent, <c>bytes */length</c>, malformed, beyond 18 digits).</summary>
    public static long StartOf(string header)
    {
        if (header == null)
        {
            return -1;
        }

        // Read as chars once: on the device indexing a string walks it from its start.
        char[] value = header.ToCharArray();
        if (value.Length < 9)
        {
            return -1;
        }

        // The unit is case-insensitive; one space follows it.
        for (int k = 0; k < 6; k++)
        {
            char c = value[k];
            char want = Unit[k];
            if (c != want && !(want != ' ' && c == (char)(want - 32)))
            {
                return -1;
            }
        }

        long first = 0;
        int digits = 0;
        int i = 6;
        while (i < value.Length && value[i] >= '0' && value[i] <= '9' && digits < 19)
        {
            first = (first * 10) + (value[i] - '0');
            digits++;
            i++;
        }

        if (digits == 0 || digits > 18 || i >= value.Length || value[i] != '-')
        {
            return -1;
        }

        // The rest must be "last/length" or "last/*" with last >= first.
        long last = 0;
        int lastDigits = 0;
        i++;
        while (i < value.Length && value[i] >= '0' && value[i] <= '9' && lastDigits < 19)
        {
            last = (last * 10) + (value[i] - '0');
            lastDigits++;
            i++;
        }

        if (lastDigits == 0 || lastDigits > 18 || last < first || i >= value.Length || value[i] != '/' || i + 1 >= value.Length)
        {
            return -1;
        }

        for (int j = i + 1; j < value.Length; j++)
        {
            char c = value[j];
            if (!((c >= '0' && c <= '9') || (c == '*' && j == i + 1 && j == value.Length - 1)))
            {
                return -1;
            }
        }

        return first;
    }
}
