using CotaFirmware.Crypto;

namespace CotaFirmware.Tests.Crypto;

/// <summary>Builds the crypto tests' inputs in code (no Encoding on the device) and runs a hash over them.</summary>
public static class TestBytes
{
    /// <summary>The bytes of an ASCII string.</summary>
    public static byte[] Ascii(string text) => Linkkit.Ascii.Latin1(text);

    /// <summary><paramref name="count"/> copies of <paramref name="value"/>.</summary>
    public static byte[] Repeat(byte value, int count)
    {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++)
        {
            bytes[i] = value;
        }

        return bytes;
    }

    /// <summary>The bytes first, first + 1, ..., first + count - 1.</summary>
    public static byte[] Sequence(int first, int count)
    {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++)
        {
            bytes[i] = (byte)(first + i);
        }

        return bytes;
    }

    /// <summary>A deterministic, irregular pattern (a linear congruential sequence) of <paramref name="count"/> bytes.</summary>
    public static byte[] Pattern(int count, int seed)
    {
        byte[] bytes = new byte[count];
        uint x = (uint)seed;
        for (int i = 0; i < count; i++)
        {
            x = x * 1103515245 + 12345;
            bytes[i] = (byte)(x >> 16);
        }

        return bytes;
    }

    /// <summary>Hashes all of <paramref name="data"/> in one Update and returns the digest as lower-case hex.</summary>
    public static string Digest(HashFunction hash, byte[] data)
    {
        hash.Update(data, 0, data.Length);
        return Final(hash);
    }

    /// <summary>Hashes <paramref name="data"/> in pieces of <paramref name="chunk"/> bytes (the last may be shorter).</summary>
    public static string DigestInChunks(HashFunction hash, byte[] data, int chunk)
    {
        for (int offset = 0; offset < data.Length; offset += chunk)
        {
            int count = data.Length - offset < chunk ? data.Length - offset : chunk;
            hash.Update(data, offset, count);
        }

        return Final(hash);
    }

    /// <summary>Finishes <paramref name="hash"/> into a buffer with guard bytes around it and returns the digest as lower-case hex.</summary>
    public static string Final(HashFunction hash)
    {
        byte[] output = Repeat(0xEE, hash.HashSize + 6);
        hash.Final(output, 3);
        if (output[0] != 0xEE || output[2] != 0xEE || output[hash.HashSize + 3] != 0xEE || output[hash.HashSize + 5] != 0xEE)
        {
            return "Final wrote outside its digest";
        }

        return Hex.EncodeToString(output, 3, hash.HashSize, false);
    }
}
