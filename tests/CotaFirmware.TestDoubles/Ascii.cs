using System;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>ASCII text to bytes and back, for test data (the device has no Encoding).</summary>
public static class Ascii
{
    /// <summary>The bytes of an ASCII text.</summary>
    public static byte[] Bytes(string text)
    {
        char[] chars = text.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (chars[i] > 0x7F)
            {
                throw new ArgumentException("not ASCII");
            }
        }

        return Latin1(text);
    }

    /// <summary>The bytes of a text, one per char: ASCII, or Latin-1 where a test needs raw bytes above 0x7F.</summary>
    public static byte[] Latin1(string text)
    {
        char[] chars = text.ToCharArray();
        byte[] b = new byte[chars.Length];
        for (int i = 0; i < b.Length; i++)
        {
            b[i] = (byte)chars[i];
        }

        return b;
    }

    /// <summary>The text of a byte view, each byte one char.</summary>
    public static string Text(byte[] b, int offset, int count)
    {
        char[] c = new char[count];
        for (int i = 0; i < count; i++)
        {
            c[i] = (char)b[offset + i];
        }

        return new string(c);
    }

    /// <summary>Uppercase hex of a byte view.</summary>
    public static string Hex(byte[] b, int offset, int count)
    {
        char[] digits = "0123456789ABCDEF".ToCharArray();
        char[] c = new char[count * 2];
        for (int i = 0; i < count; i++)
        {
            c[2 * i] = digits[b[offset + i] >> 4];
            c[(2 * i) + 1] = digits[b[offset + i] & 0xF];
        }

        return new string(c);
    }
}
