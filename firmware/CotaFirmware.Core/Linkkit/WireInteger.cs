using CotaFirmware.Json;

namespace CotaFirmware.Linkkit;

/// <summary>Reads an integer as LinkKit peers send it: a JSON number, or a string of decimal digits (<c>"id":"42"</c>).</summary>
public static class WireInteger
{
    /// <summary>
    /// Reads the reader's current token as an integer: a number without fraction or exponent, or a string holding
    /// an optional <c>-</c> and digits without leading zeros or escapes, within the range of a long.
    /// </summary>
    /// <returns>False, with <paramref name="value"/> 0, when the token is not such an integer.</returns>
    public static bool TryRead(JsonReader reader, out long value)
    {
        value = 0;
        if (reader.TokenKind == JsonTokenKind.Number)
        {
            return reader.TryGetInt64(out value);
        }

        if (reader.TokenKind != JsonTokenKind.String || reader.HasEscapes)
        {
            return false;
        }

        byte[] b = reader.TokenBuffer;
        int i = reader.TokenIndex + 1;
        int end = reader.TokenIndex + reader.TokenLength - 1;
        bool negative = i < end && b[i] == '-';
        if (negative)
        {
            i++;
        }

        int digits = end - i;
        if (digits < 1 || (digits > 1 && b[i] == '0'))
        {
            return false;
        }

        // Accumulated negatively so that long.MinValue fits.
        long v = 0;
        while (i < end)
        {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || v < (long.MinValue + d) / 10)
            {
                return false;
            }

            v = (v * 10) - d;
            i++;
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
}
