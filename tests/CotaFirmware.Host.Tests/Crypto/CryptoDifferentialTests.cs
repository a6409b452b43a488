using System.Security.Cryptography;
using CotaFirmware.Crypto;

namespace CotaFirmware.HostTests.Crypto;

/// <summary>The core's hashes, HMAC, CRC-32, hex and comparisons against .NET (or a plain reference) on seeded random inputs and random chunkings.</summary>
[TestClass]
public sealed class CryptoDifferentialTests
{
    // Lengths around the padding edges (55/56 bytes fit the length in one block, 64 fills it) and across blocks.
    private static readonly int[] EdgeLengths = { 0, 1, 3, 55, 56, 57, 63, 64, 65, 100, 119, 120, 121, 127, 128, 129, 191, 192, 1000, 4099 };

    private const int LargeLength = 4 * 1024 * 1024 + 13;

    private static byte[] RandomBytes(Random random, int length)
    {
        var data = new byte[length];
        random.NextBytes(data);
        return data;
    }

    /// <summary>Feeds <paramref name="data"/> in random pieces: empty, tiny, around a block, and large.</summary>
    private static void Feed(HashFunction hash, byte[] data, Random random)
    {
        int offset = 0;
        while (offset < data.Length)
        {
            int left = data.Length - offset;
            int piece = random.Next(5) switch
            {
                0 => 0,
                1 => random.Next(1, 8),
                2 => random.Next(1, 130),
                3 => random.Next(1, 5000),
                _ => random.Next(1, Math.Max(2, left + 1)),
            };
            piece = Math.Min(piece, left);
            hash.Update(data, offset, piece);
            offset += piece;
        }
    }

    private static byte[] Finish(HashFunction hash)
    {
        var output = new byte[hash.HashSize + 2];
        hash.Final(output, 1);
        return output[1..^1];
    }

    private static void AssertHashMatches(HashFunction hash, Func<byte[], byte[]> reference, int seed)
    {
        var random = new Random(seed);
        foreach (int length in EdgeLengths)
        {
            byte[] data = RandomBytes(random, length);
            byte[] expected = reference(data);
            for (int split = 0; split < 8; split++)
            {
                Feed(hash, data, random);
                CollectionAssert.AreEqual(expected, Finish(hash), $"length {length}, split {split}");
            }
        }

        byte[] large = RandomBytes(random, LargeLength);
        byte[] expectedLarge = reference(large);
        Feed(hash, large, random);
        CollectionAssert.AreEqual(expectedLarge, Finish(hash), "4 MB");
        hash.Update(large, 0, large.Length);
        CollectionAssert.AreEqual(expectedLarge, Finish(hash), "4 MB in one piece");
    }

    [TestMethod]
    public void Sha256MatchesDotNet() => AssertHashMatches(new Sha256(), SHA256.HashData, 256);

    [TestMethod]
    public void Sha1MatchesDotNet() => AssertHashMatches(new Sha1(), SHA1.HashData, 1);

    private static readonly int[] KeyLengths = { 0, 1, 16, 20, 32, 63, 64, 65, 100, 128, 131, 300 };

    private static void AssertHmacMatches(Func<HashFunction> hash, Func<byte[], byte[], byte[]> reference, int seed)
    {
        var random = new Random(seed);
        foreach (int keyLength in KeyLengths)
        {
            byte[] key = RandomBytes(random, keyLength);
            int keyOffset = random.Next(4);
            byte[] framedKey = new byte[keyOffset + keyLength + 3];
            key.CopyTo(framedKey, keyOffset);
            var hmac = new Hmac(hash(), framedKey, keyOffset, keyLength);
            foreach (int length in EdgeLengths)
            {
                byte[] data = RandomBytes(random, length);
                byte[] expected = reference(key, data);
                for (int split = 0; split < 3; split++)
                {
                    Feed(hmac, data, random);
                    CollectionAssert.AreEqual(expected, Finish(hmac), $"key {keyLength}, length {length}, split {split}");
                }
            }
        }

        byte[] largeKey = RandomBytes(random, 200);
        byte[] large = RandomBytes(random, LargeLength);
        var largeHmac = new Hmac(hash(), largeKey, 0, largeKey.Length);
        Feed(largeHmac, large, random);
        CollectionAssert.AreEqual(reference(largeKey, large), Finish(largeHmac), "4 MB");
    }

    [TestMethod]
    public void HmacSha256MatchesDotNet() => AssertHmacMatches(() => new Sha256(), HMACSHA256.HashData, 4231);

    [TestMethod]
    public void HmacSha1MatchesDotNet() => AssertHmacMatches(() => new Sha1(), HMACSHA1.HashData, 2202);

    /// <summary>CRC-32 one bit at a time, straight from the definition: the reference for the table-driven core.</summary>
    private static uint BitwiseCrc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc >> 1) ^ (0xEDB88320 & (0 - (crc & 1)));
            }
        }

        return ~crc;
    }

    [TestMethod]
    public void Crc32MatchesABitwiseReference()
    {
        var random = new Random(802);
        foreach (int length in EdgeLengths.Append(LargeLength))
        {
            byte[] data = RandomBytes(random, length + 7);
            int offset = random.Next(0, 8);
            Assert.AreEqual(BitwiseCrc32(data[offset..(offset + length)]), Crc32.Compute(data, offset, length), $"length {length}");
        }
    }

    [TestMethod]
    public void HexRoundTripsAndMatchesDotNet()
    {
        var random = new Random(16);
        for (int i = 0; i < 2000; i++)
        {
            byte[] data = RandomBytes(random, random.Next(0, 201));
            bool upper = random.Next(2) == 0;
            string expected = upper ? Convert.ToHexString(data) : Convert.ToHexStringLower(data);
            Assert.AreEqual(expected, Hex.EncodeToString(data, 0, data.Length, upper));
            byte[] text = System.Text.Encoding.ASCII.GetBytes(expected);
            var back = new byte[data.Length];
            Assert.AreEqual(data.Length, Hex.Decode(text, 0, text.Length, back, 0));
            CollectionAssert.AreEqual(data, back);
        }
    }

    [TestMethod]
    public void HexDecodeAgreesWithDotNetOnArbitraryText()
    {
        const string Alphabet = "0123456789abcdefABCDEFxgG /:@`";
        var random = new Random(61);
        for (int i = 0; i < 5000; i++)
        {
            // Mostly near-hex text, sometimes raw bytes.
            byte[] text = RandomBytes(random, random.Next(0, 41));
            if (random.Next(4) != 0)
            {
                for (int j = 0; j < text.Length; j++)
                {
                    text[j] = (byte)Alphabet[random.Next(random.Next(3) == 0 ? Alphabet.Length : 22)];
                }
            }

            var output = new byte[20];
            int result = Hex.Decode(text, 0, text.Length, output, 0);
            string s = new string(text.Select(b => (char)b).ToArray());
            if (text.Length % 2 != 0 || !text.All(b => Uri.IsHexDigit((char)b)))
            {
                Assert.AreEqual(-1, result, s);
            }
            else
            {
                Assert.AreEqual(text.Length / 2, result, s);
                CollectionAssert.AreEqual(Convert.FromHexString(s), output[..result], s);
            }
        }
    }

    [TestMethod]
    public void ConstantTimeComparisonAgreesWithAPlainOne()
    {
        var random = new Random(99);
        for (int i = 0; i < 5000; i++)
        {
            byte[] left = RandomBytes(random, random.Next(0, 41));
            int mode = random.Next(4);
            // Most cases compare a value with a copy that differs in at most one place, where the answer is most often "equal".
            byte[] right = mode == 0 ? RandomBytes(random, random.Next(0, 41)) : (byte[])left.Clone();
            if (mode == 2 && right.Length > 0)
            {
                right[random.Next(right.Length)] ^= (byte)(1 << random.Next(8));
            }

            bool equal = left.AsSpan().SequenceEqual(right);
            Assert.AreEqual(equal, ConstantTime.AreEqual(left, 0, left.Length, right, 0, right.Length));
        }
    }
}
