using System;

namespace CotaFirmware.Crypto;

/// <summary>Hexadecimal text as ASCII bytes: two digits per byte, most significant first.</summary>
/// <remarks>
/// Encoding writes into a caller's buffer in the case the caller picks. Decoding accepts either case and returns
/// the byte count, or a negative failure value for untrusted text that is not hex; it never throws for bad text.
/// On failure the destination may hold the bytes decoded before the fault. The string forms allocate and are for
/// the edges (a password or a key in board settings), not for per-message work.
/// </remarks>
public static class Hex
{
    /// <summary>Decoding failed: the text has an odd number of digits.</summary>
    public const int OddLength = -1;

    /// <summary>Decoding failed: a character is not a hex digit.</summary>
    public const int BadDigit = -2;

    /// <summary>Decoding failed: the destination is too short for the decoded bytes.</summary>
    public const int NoRoom = -3;

    const byte NotADigit = 0xFF;

    static readonly byte[] LowerDigits = Ascii("0123456789abcdef");
    static readonly byte[] UpperDigits = Ascii("0123456789ABCDEF");
    static readonly byte[] DigitValues = BuildDigitValues();

    /// <summary>Writes <paramref name="count"/> bytes of <paramref name="source"/> from <paramref name="offset"/> as 2 * <paramref name="count"/> ASCII hex digits into <paramref name="destination"/> at <paramref name="destinationOffset"/>.</summary>
    /// <returns>The number of characters written: 2 * <paramref name="count"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The destination view is too short (a programming error: the caller knows the length).</exception>
    public static int Encode(byte[] source, int offset, int count, byte[] destination, int destinationOffset, bool upperCase)
    {
        ByteView.Check(source, offset, count);
        ByteView.Check(destination, destinationOffset, count * 2);
        byte[] digits = upperCase ? UpperDigits : LowerDigits;
        int end = offset + count;
        int d = destinationOffset;
        for (int i = offset; i < end; i++)
        {
            int b = source[i];
            destination[d] = digits[b >> 4];
            destination[d + 1] = digits[b & 0x0F];
            d += 2;
        }

        return count * 2;
    }

    /// <summary>Returns <paramref name="count"/> bytes of <paramref name="source"/> from <paramref name="offset"/> as a hex string (allocates).</summary>
    public static string EncodeToString(byte[] source, int offset, int count, bool upperCase)
    {
        ByteView.Check(source, offset, count);
        byte[] digits = upperCase ? UpperDigits : LowerDigits;
        char[] text = new char[count * 2];
        int d = 0;
        for (int i = offset; i < offset + count; i++)
        {
            int b = source[i];
            text[d] = (char)digits[b >> 4];
            text[d + 1] = (char)digits[b & 0x0F];
            d += 2;
        }

        return new string(text);
    }

    /// <summary>Decodes <paramref name="count"/> ASCII hex digits (either case) of <paramref name="source"/> from <paramref name="offset"/> into <paramref name="destination"/> at <paramref name="destinationOffset"/>.</summary>
    /// <returns>The number of bytes written (<paramref name="count"/> / 2), or <see cref="OddLength"/>, <see cref="BadDigit"/> or <see cref="NoRoom"/>.</returns>
    public static int Decode(byte[] source, int offset, int count, byte[] destination, int destinationOffset)
    {
        ByteView.Check(source, offset, count);
        ByteView.Check(destination, destinationOffset, 0);
        if ((count & 1) != 0)
        {
            return OddLength;
        }

        int length = count / 2;
        if (length > destination.Length - destinationOffset)
        {
            return NoRoom;
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
                return BadDigit;
            }

            destination[d++] = (byte)(high << 4 | low);
        }

        return length;
    }

    /// <summary>Decodes the hex digits of <paramref name="text"/> (either case) into <paramref name="destination"/> at <paramref name="destinationOffset"/>.</summary>
    /// <returns>As <see cref="Decode"/>: the byte count, or a negative failure value.</returns>
    public static int DecodeString(string text, byte[] destination, int destinationOffset)
    {
        if (text == null)
        {
            throw new ArgumentNullException("text");
        }

        ByteView.Check(destination, destinationOffset, 0);
        int count = text.Length;
        if ((count & 1) != 0)
        {
            return OddLength;
        }

        int length = count / 2;
        if (length > destination.Length - destinationOffset)
        {
            return NoRoom;
        }

        byte[] values = DigitValues;
        int d = destinationOffset;
        for (int i = 0; i < count; i += 2)
        {
            char hc = text[i];
            char lc = text[i + 1];
            if (hc > 0xFF || lc > 0xFF)
            {
                return BadDigit;
            }

            int high = values[hc];
            int low = values[lc];
            if ((high | low) == NotADigit)
            {
                return BadDigit;
            }

            destination[d++] = (byte)(high << 4 | low);
        }

        return length;
    }

    static byte[] Ascii(string text)
    {
        byte[] bytes = new byte[text.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)text[i];
        }

        return bytes;
    }

    static byte[] BuildDigitValues()
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
