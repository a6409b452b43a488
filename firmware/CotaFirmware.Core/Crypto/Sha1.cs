namespace CotaFirmware.Crypto;

/// <summary>SHA-1 (FIPS 180-4), kept for HMAC-SHA1 where a peer still asks for it; not for new integrity checks.</summary>
/// <remarks>
/// Written for nanoFramework's IL interpreter like <see cref="Sha256"/>: state in locals, one schedule array
/// allocated with the instance, inline big-endian loads, no calls in the inner loop, and five rounds unrolled per
/// iteration so the working variables rotate by renaming.
/// </remarks>
public sealed class Sha1 : MerkleDamgardHash
{
    /// <summary>The digest length in bytes.</summary>
    public const int DigestLength = 20;

    readonly uint[] _schedule = new uint[80];

    /// <summary>Creates a SHA-1 ready for a first message.</summary>
    public Sha1()
        : base(5)
    {
    }

    /// <inheritdoc/>
    internal override void InitializeState(uint[] state)
    {
        state[0] = 0x67452301;
        state[1] = 0xefcdab89;
        state[2] = 0x98badcfe;
        state[3] = 0x10325476;
        state[4] = 0xc3d2e1f0;
    }

    /// <inheritdoc/>
    internal override void Compress(byte[] data, int offset, int blocks)
    {
        uint[] w = _schedule;
        uint[] s = ChainingState;
        uint h0 = s[0], h1 = s[1], h2 = s[2], h3 = s[3], h4 = s[4];

        while (blocks > 0)
        {
            for (int t = 0; t < 16; t++)
            {
                w[t] = (uint)data[offset] << 24 | (uint)data[offset + 1] << 16 | (uint)data[offset + 2] << 8 | data[offset + 3];
                offset += 4;
            }

            for (int t = 16; t < 80; t++)
            {
                uint x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
                w[t] = x << 1 | x >> 31;
            }

            uint a = h0, b = h1, c = h2, d = h3, e = h4;

            for (int t = 0; t < 20; t += 5)
            {
                e += (a << 5 | a >> 27) + (d ^ (b & (c ^ d))) + 0x5A827999u + w[t];
                b = b << 30 | b >> 2;
                d += (e << 5 | e >> 27) + (c ^ (a & (b ^ c))) + 0x5A827999u + w[t + 1];
                a = a << 30 | a >> 2;
                c += (d << 5 | d >> 27) + (b ^ (e & (a ^ b))) + 0x5A827999u + w[t + 2];
                e = e << 30 | e >> 2;
                b += (c << 5 | c >> 27) + (a ^ (d & (e ^ a))) + 0x5A827999u + w[t + 3];
                d = d << 30 | d >> 2;
                a += (b << 5 | b >> 27) + (e ^ (c & (d ^ e))) + 0x5A827999u + w[t + 4];
                c = c << 30 | c >> 2;
            }

            for (int t = 20; t < 40; t += 5)
            {
                e += (a << 5 | a >> 27) + (b ^ c ^ d) + 0x6ED9EBA1u + w[t];
                b = b << 30 | b >> 2;
                d += (e << 5 | e >> 27) + (a ^ b ^ c) + 0x6ED9EBA1u + w[t + 1];
                a = a << 30 | a >> 2;
                c += (d << 5 | d >> 27) + (e ^ a ^ b) + 0x6ED9EBA1u + w[t + 2];
                e = e << 30 | e >> 2;
                b += (c << 5 | c >> 27) + (d ^ e ^ a) + 0x6ED9EBA1u + w[t + 3];
                d = d << 30 | d >> 2;
                a += (b << 5 | b >> 27) + (c ^ d ^ e) + 0x6ED9EBA1u + w[t + 4];
                c = c << 30 | c >> 2;
            }

            for (int t = 40; t < 60; t += 5)
            {
                e += (a << 5 | a >> 27) + ((b & c) | (d & (b | c))) + 0x8F1BBCDCu + w[t];
                b = b << 30 | b >> 2;
                d += (e << 5 | e >> 27) + ((a & b) | (c & (a | b))) + 0x8F1BBCDCu + w[t + 1];
                a = a << 30 | a >> 2;
                c += (d << 5 | d >> 27) + ((e & a) | (b & (e | a))) + 0x8F1BBCDCu + w[t + 2];
                e = e << 30 | e >> 2;
                b += (c << 5 | c >> 27) + ((d & e) | (a & (d | e))) + 0x8F1BBCDCu + w[t + 3];
                d = d << 30 | d >> 2;
                a += (b << 5 | b >> 27) + ((c & d) | (e & (c | d))) + 0x8F1BBCDCu + w[t + 4];
                c = c << 30 | c >> 2;
            }

            for (int t = 60; t < 80; t += 5)
            {
                e += (a << 5 | a >> 27) + (b ^ c ^ d) + 0xCA62C1D6u + w[t];
                b = b << 30 | b >> 2;
                d += (e << 5 | e >> 27) + (a ^ b ^ c) + 0xCA62C1D6u + w[t + 1];
                a = a << 30 | a >> 2;
                c += (d << 5 | d >> 27) + (e ^ a ^ b) + 0xCA62C1D6u + w[t + 2];
                e = e << 30 | e >> 2;
                b += (c << 5 | c >> 27) + (d ^ e ^ a) + 0xCA62C1D6u + w[t + 3];
                d = d << 30 | d >> 2;
                a += (b << 5 | b >> 27) + (c ^ d ^ e) + 0xCA62C1D6u + w[t + 4];
                c = c << 30 | c >> 2;
            }

            h0 += a;
            h1 += b;
            h2 += c;
            h3 += d;
            h4 += e;
            blocks--;
        }

        s[0] = h0;
        s[1] = h1;
        s[2] = h2;
        s[3] = h3;
        s[4] = h4;
    }
}
