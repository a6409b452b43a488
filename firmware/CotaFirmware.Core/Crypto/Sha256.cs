namespace CotaFirmware.Crypto;

/// <summary>SHA-256 (FIPS 180-4): the config file's digest, and the hash under HMAC-SHA256.</summary>
/// <remarks>
/// The compression loop is written for nanoFramework's IL interpreter: the state lives in locals, the message
/// schedule in one array allocated with the instance, big-endian loads are inline, and the inner loop makes no
/// calls. Eight rounds are unrolled per iteration so the working variables rotate by renaming, not by copying.
/// </remarks>
public sealed class Sha256 : MerkleDamgardHash
{
    /// <summary>The digest length in bytes.</summary>
    public const int DigestLength = 32;

    static readonly uint[] RoundConstants = new uint[]
    {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };

    readonly uint[] _schedule = new uint[64];

    /// <summary>Creates a SHA-256 ready for a first message.</summary>
    public Sha256()
        : base(8)
    {
    }

    /// <inheritdoc/>
    protected override void InitializeState(uint[] state)
    {
        state[0] = 0x6a09e667;
        state[1] = 0xbb67ae85;
        state[2] = 0x3c6ef372;
        state[3] = 0xa54ff53a;
        state[4] = 0x510e527f;
        state[5] = 0x9b05688c;
        state[6] = 0x1f83d9ab;
        state[7] = 0x5be0cd19;
    }

    /// <inheritdoc/>
    protected override void Compress(byte[] data, int offset, int blocks)
    {
        uint[] k = RoundConstants;
        uint[] w = _schedule;
        uint[] s = ChainingState;
        uint h0 = s[0], h1 = s[1], h2 = s[2], h3 = s[3], h4 = s[4], h5 = s[5], h6 = s[6], h7 = s[7];

        while (blocks > 0)
        {
            for (int t = 0; t < 16; t++)
            {
                w[t] = (uint)data[offset] << 24 | (uint)data[offset + 1] << 16 | (uint)data[offset + 2] << 8 | data[offset + 3];
                offset += 4;
            }

            for (int t = 16; t < 64; t++)
            {
                uint x = w[t - 15];
                uint y = w[t - 2];
                w[t] = w[t - 16] + w[t - 7]
                    + ((x >> 7 | x << 25) ^ (x >> 18 | x << 14) ^ (x >> 3))
                    + ((y >> 17 | y << 15) ^ (y >> 19 | y << 13) ^ (y >> 10));
            }

            uint a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
            for (int t = 0; t < 64; t += 8)
            {
                h += (e >> 6 | e << 26) ^ (e >> 11 | e << 21) ^ (e >> 25 | e << 7);
                h += (g ^ (e & (f ^ g))) + k[t] + w[t];
                d += h;
                h += ((a >> 2 | a << 30) ^ (a >> 13 | a << 19) ^ (a >> 22 | a << 10)) + ((a & b) | (c & (a | b)));
                g += (d >> 6 | d << 26) ^ (d >> 11 | d << 21) ^ (d >> 25 | d << 7);
                g += (f ^ (d & (e ^ f))) + k[t + 1] + w[t + 1];
                c += g;
                g += ((h >> 2 | h << 30) ^ (h >> 13 | h << 19) ^ (h >> 22 | h << 10)) + ((h & a) | (b & (h | a)));
                f += (c >> 6 | c << 26) ^ (c >> 11 | c << 21) ^ (c >> 25 | c << 7);
                f += (e ^ (c & (d ^ e))) + k[t + 2] + w[t + 2];
                b += f;
                f += ((g >> 2 | g << 30) ^ (g >> 13 | g << 19) ^ (g >> 22 | g << 10)) + ((g & h) | (a & (g | h)));
                e += (b >> 6 | b << 26) ^ (b >> 11 | b << 21) ^ (b >> 25 | b << 7);
                e += (d ^ (b & (c ^ d))) + k[t + 3] + w[t + 3];
                a += e;
                e += ((f >> 2 | f << 30) ^ (f >> 13 | f << 19) ^ (f >> 22 | f << 10)) + ((f & g) | (h & (f | g)));
                d += (a >> 6 | a << 26) ^ (a >> 11 | a << 21) ^ (a >> 25 | a << 7);
                d += (c ^ (a & (b ^ c))) + k[t + 4] + w[t + 4];
                h += d;
                d += ((e >> 2 | e << 30) ^ (e >> 13 | e << 19) ^ (e >> 22 | e << 10)) + ((e & f) | (g & (e | f)));
                c += (h >> 6 | h << 26) ^ (h >> 11 | h << 21) ^ (h >> 25 | h << 7);
                c += (b ^ (h & (a ^ b))) + k[t + 5] + w[t + 5];
                g += c;
                c += ((d >> 2 | d << 30) ^ (d >> 13 | d << 19) ^ (d >> 22 | d << 10)) + ((d & e) | (f & (d | e)));
                b += (g >> 6 | g << 26) ^ (g >> 11 | g << 21) ^ (g >> 25 | g << 7);
                b += (a ^ (g & (h ^ a))) + k[t + 6] + w[t + 6];
                f += b;
                b += ((c >> 2 | c << 30) ^ (c >> 13 | c << 19) ^ (c >> 22 | c << 10)) + ((c & d) | (e & (c | d)));
                a += (f >> 6 | f << 26) ^ (f >> 11 | f << 21) ^ (f >> 25 | f << 7);
                a += (h ^ (f & (g ^ h))) + k[t + 7] + w[t + 7];
                e += a;
                a += ((b >> 2 | b << 30) ^ (b >> 13 | b << 19) ^ (b >> 22 | b << 10)) + ((b & c) | (d & (b | c)));
            }

            h0 += a;
            h1 += b;
            h2 += c;
            h3 += d;
            h4 += e;
            h5 += f;
            h6 += g;
            h7 += h;
            blocks--;
        }

        s[0] = h0;
        s[1] = h1;
        s[2] = h2;
        s[3] = h3;
        s[4] = h4;
        s[5] = h5;
        s[6] = h6;
        s[7] = h7;
    }
}
