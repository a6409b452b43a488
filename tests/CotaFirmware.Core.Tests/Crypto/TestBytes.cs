using CotaFirmware.Crypto;

namespace CotaFirmware.Tests.Crypto;

/// <summary>Builds the crypto tests' inputs in code (no Encoding on the device), runs a hash over them, and checks what every hash owes its callers.</summary>
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

    /// <summary>The digest of one million 'a', fed in 1000-byte chunks.</summary>
    public static string DigestOfAMillionA(HashFunction hash)
    {
        byte[] chunk = Repeat((byte)'a', 1000);
        for (int i = 0; i < 1000; i++)
        {
            hash.Update(chunk, 0, chunk.Length);
        }

        return Final(hash);
    }

    /// <summary>Asserts that every chunking of a 300-byte message, 1 to 130 bytes a piece, gives the digest of the whole.</summary>
    public static void AssertSameDigestForEveryChunking(HashFunction hash)
    {
        byte[] data = Pattern(300, 7);
        string whole = Digest(hash, data);
        for (int chunk = 1; chunk <= 130; chunk++)
        {
            Assert.AreEqual(whole, DigestInChunks(hash, data, chunk), "chunk " + chunk);
        }
    }

    /// <summary>Asserts that <paramref name="hash"/> starts over after Final, and after Reset of a half-fed message: "abc" gives <paramref name="abcDigest"/> each time.</summary>
    public static void AssertReusableAfterFinalAndReset(HashFunction hash, string abcDigest)
    {
        byte[] abc = Ascii("abc");
        Assert.AreEqual(abcDigest, Digest(hash, abc));
        Assert.AreEqual(abcDigest, Digest(hash, abc));
        hash.Update(Pattern(100, 1), 0, 100);
        hash.Reset();
        Assert.AreEqual(abcDigest, Digest(hash, abc));
    }
}
