namespace CotaFirmware.Crypto;

/// <summary>Hexadecimal text: two digits per byte, most significant first.</summary>
/// <remarks>
/// Decoding reads ASCII hex (either case) from bytes and returns the byte count, or -1 for untrusted text that is
/// not hex; it never throws for bad text. Encoding makes a string and allocates: it is for the edges (a signature
/// sent as text), not for per-message work.
/// </remarks>
public static class Hex
{
    private const byte NotADigit = 0xFF;

    private static readonly byte[] DigitValues = BuildDigitValues();

    /// <summary>Returns <paramref name="count"/> bytes of <paramref name="source"/> from <paramref name="offset"/> as a hex string (allocates).</summary>
    public static string EncodeToString(byte[] source, int offset, int count, bool upperCase)
    {
        ByteView.Check(source, offset, count);
        char[] text = new char[count * 2];
        int d = 0;
        int end = offset + count;
        for (int i = offset; i < end; i++)
        {
            int b = source[i];
            text[d] = (char)Digit(b >> 4, upperCase);
            text[d + 1] = (char)Digit(b & 0x0F, upperCase);
            d += 2;
        }

        return new string(text);
    }

    /// <summary>The ASCII hex digit of <paramref name="value"/> (0 to 15).</summary>
    public static int Digit(int value, bool upperCase)
    {
        return value < 10 ? '0' + value : (upperCase ? 'A' : 'a') - 10 + value;
    }

    /// <summary>Decodes <paramref name="count"/> ASCII hex digits (either case) of <paramref name="source"/> from <paramref name="offset"/> into <paramref name="destination"/> at <paramref name="destinationOffset"/>.</summary>
    /// <returns>The number of bytes written (<paramref name="count"/> / 2); -1 when the count is odd, a character is not a hex digit or the destination is too short (it may then hold the bytes decoded before the fault).</returns>
    public static int Decode(byte[] source, int offset, int count, byte[] destination, int destinationOffset)
    {
        ByteView.Check(source, offset, count);
        ByteView.Check(destination, destinationOffset, 0);
        int length = count / 2;
        if ((count & 1) != 0 || length > destination.Length - destinationOffset)
        {
            return -1;
        }

        byte[] values = DigitValues;
        int end = offset + count;
        int d = destinationOffset;
        for (int i = offset; i < end; i += 2)
        {
            int high = values[source[i]];
            int low = values[source[i + 1]];
            if ((high | low) == NotADigit)
            {
                return -1;
            }

            destination[d++] = (byte)(high << 4 | low);
        }

        return length;
    }

    private static byte[] BuildDigitValues()
    {
        byte[] values = new byte[256];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = NotADigit;
        }

        for (int i = 0; i < 10; i++)
        {
            values['0' + i] = (byte)i;
        }

        for (int i = 0; i < 6; i++)
        {
            values['a' + i] = (byte)(10 + i);
            values['A' + i] = (byte)(10 + i);
        }

        return values;
    }
}
