using System;

namespace CotaFirmware.Crypto;

/// <summary>SHA-256 (FIPS 180-4): the config file's digest, and the hash under HMAC-SHA256.</summary>
/// <remarks>
/// The compression loop is written for nanoFramework's IL interpreter, where every IL instruction costs about the
/// same and array accesses and calls cost several: the state and the 16-word message schedule live in locals
/// (the schedule is advanced in place, 16 words at a time), big-endian loads are inline, and nothing is called.
/// Sixteen rounds are unrolled per iteration so the working variables rotate by renaming, not by copying, and
/// each Σ takes its three rotations as shifts of one 64-bit copy of the word (6 instructions fewer per Σ).
/// </remarks>
public sealed class Sha256 : MerkleDamgardHash
{
    /// <summary>The digest length in bytes.</summary>
    public const int DigestLength = 32;

    // The 64 round constants in four rows of 16, one row per pass of the round loop, so a constant is read with a
    // constant index. They are declared as one array: each array constant costs the assembly a named blob.
    private static readonly uint[][] RoundConstants = Rows(new uint[]
    {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    });

    /// <summary>Creates a SHA-256 ready for a first message.</summary>
    public Sha256()
        : base(8)
    {
    }

    /// <inheritdoc/>
    internal override void InitializeState(uint[] state)
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
    internal override void Compress(byte[] data, int offset, int blocks)
    {
        uint[][] rows = RoundConstants;
        uint[] s = ChainingState;
        uint h0 = s[0], h1 = s[1], h2 = s[2], h3 = s[3], h4 = s[4], h5 = s[5], h6 = s[6], h7 = s[7];

        while (blocks > 0)
        {
            uint w0 = (uint)data[offset + 0] << 24 | (uint)data[offset + 1] << 16 | (uint)data[offset + 2] << 8 | data[offset + 3];
            uint w1 = (uint)data[offset + 4] << 24 | (uint)data[offset + 5] << 16 | (uint)data[offset + 6] << 8 | data[offset + 7];
            uint w2 = (uint)data[offset + 8] << 24 | (uint)data[offset + 9] << 16 | (uint)data[offset + 10] << 8 | data[offset + 11];
            uint w3 = (uint)data[offset + 12] << 24 | (uint)data[offset + 13] << 16 | (uint)data[offset + 14] << 8 | data[offset + 15];
            uint w4 = (uint)data[offset + 16] << 24 | (uint)data[offset + 17] << 16 | (uint)data[offset + 18] << 8 | data[offset + 19];
            uint w5 = (uint)data[offset + 20] << 24 | (uint)data[offset + 21] << 16 | (uint)data[offset + 22] << 8 | data[offset + 23];
            uint w6 = (uint)data[offset + 24] << 24 | (uint)data[offset + 25] << 16 | (uint)data[offset + 26] << 8 | data[offset + 27];
            uint w7 = (uint)data[offset + 28] << 24 | (uint)data[offset + 29] << 16 | (uint)data[offset + 30] << 8 | data[offset + 31];
            uint w8 = (uint)data[offset + 32] << 24 | (uint)data[offset + 33] << 16 | (uint)data[offset + 34] << 8 | data[offset + 35];
            uint w9 = (uint)data[offset + 36] << 24 | (uint)data[offset + 37] << 16 | (uint)data[offset + 38] << 8 | data[offset + 39];
            uint w10 = (uint)data[offset + 40] << 24 | (uint)data[offset + 41] << 16 | (uint)data[offset + 42] << 8 | data[offset + 43];
            uint w11 = (uint)data[offset + 44] << 24 | (uint)data[offset + 45] << 16 | (uint)data[offset + 46] << 8 | data[offset + 47];
            uint w12 = (uint)data[offset + 48] << 24 | (uint)data[offset + 49] << 16 | (uint)data[offset + 50] << 8 | data[offset + 51];
            uint w13 = (uint)data[offset + 52] << 24 | (uint)data[offset + 53] << 16 | (uint)data[offset + 54] << 8 | data[offset + 55];
            uint w14 = (uint)data[offset + 56] << 24 | (uint)data[offset + 57] << 16 | (uint)data[offset + 58] << 8 | data[offset + 59];
            uint w15 = (uint)data[offset + 60] << 24 | (uint)data[offset + 61] << 16 | (uint)data[offset + 62] << 8 | data[offset + 63];
            offset += BlockLength;
            ulong x;
            uint a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
            for (int t = 0; t < 64; t += 16)
            {
                uint[] k = rows[t >> 4];
                // From round 16 on, each word becomes the next schedule word in place (W[t] from W[t-16], W[t-15], W[t-7], W[t-2]).
                if (t > 0)
                {
                    w0 += ((w1 >> 7 | w1 << 25) ^ (w1 >> 18 | w1 << 14) ^ (w1 >> 3))
                        + ((w14 >> 17 | w14 << 15) ^ (w14 >> 19 | w14 << 13) ^ (w14 >> 10)) + w9;
                    w1 += ((w2 >> 7 | w2 << 25) ^ (w2 >> 18 | w2 << 14) ^ (w2 >> 3))
                        + ((w15 >> 17 | w15 << 15) ^ (w15 >> 19 | w15 << 13) ^ (w15 >> 10)) + w10;
                    w2 += ((w3 >> 7 | w3 << 25) ^ (w3 >> 18 | w3 << 14) ^ (w3 >> 3))
                        + ((w0 >> 17 | w0 << 15) ^ (w0 >> 19 | w0 << 13) ^ (w0 >> 10)) + w11;
                    w3 += ((w4 >> 7 | w4 << 25) ^ (w4 >> 18 | w4 << 14) ^ (w4 >> 3))
                        + ((w1 >> 17 | w1 << 15) ^ (w1 >> 19 | w1 << 13) ^ (w1 >> 10)) + w12;
                    w4 += ((w5 >> 7 | w5 << 25) ^ (w5 >> 18 | w5 << 14) ^ (w5 >> 3))
                        + ((w2 >> 17 | w2 << 15) ^ (w2 >> 19 | w2 << 13) ^ (w2 >> 10)) + w13;
                    w5 += ((w6 >> 7 | w6 << 25) ^ (w6 >> 18 | w6 << 14) ^ (w6 >> 3))
                        + ((w3 >> 17 | w3 << 15) ^ (w3 >> 19 | w3 << 13) ^ (w3 >> 10)) + w14;
                    w6 += ((w7 >> 7 | w7 << 25) ^ (w7 >> 18 | w7 << 14) ^ (w7 >> 3))
                        + ((w4 >> 17 | w4 << 15) ^ (w4 >> 19 | w4 << 13) ^ (w4 >> 10)) + w15;
                    w7 += ((w8 >> 7 | w8 << 25) ^ (w8 >> 18 | w8 << 14) ^ (w8 >> 3))
                        + ((w5 >> 17 | w5 << 15) ^ (w5 >> 19 | w5 << 13) ^ (w5 >> 10)) + w0;
                    w8 += ((w9 >> 7 | w9 << 25) ^ (w9 >> 18 | w9 << 14) ^ (w9 >> 3))
                        + ((w6 >> 17 | w6 << 15) ^ (w6 >> 19 | w6 << 13) ^ (w6 >> 10)) + w1;
                    w9 += ((w10 >> 7 | w10 << 25) ^ (w10 >> 18 | w10 << 14) ^ (w10 >> 3))
                        + ((w7 >> 17 | w7 << 15) ^ (w7 >> 19 | w7 << 13) ^ (w7 >> 10)) + w2;
                    w10 += ((w11 >> 7 | w11 << 25) ^ (w11 >> 18 | w11 << 14) ^ (w11 >> 3))
                        + ((w8 >> 17 | w8 << 15) ^ (w8 >> 19 | w8 << 13) ^ (w8 >> 10)) + w3;
                    w11 += ((w12 >> 7 | w12 << 25) ^ (w12 >> 18 | w12 << 14) ^ (w12 >> 3))
                        + ((w9 >> 17 | w9 << 15) ^ (w9 >> 19 | w9 << 13) ^ (w9 >> 10)) + w4;
                    w12 += ((w13 >> 7 | w13 << 25) ^ (w13 >> 18 | w13 << 14) ^ (w13 >> 3))
                        + ((w10 >> 17 | w10 << 15) ^ (w10 >> 19 | w10 << 13) ^ (w10 >> 10)) + w5;
                    w13 += ((w14 >> 7 | w14 << 25) ^ (w14 >> 18 | w14 << 14) ^ (w14 >> 3))
                        + ((w11 >> 17 | w11 << 15) ^ (w11 >> 19 | w11 << 13) ^ (w11 >> 10)) + w6;
                    w14 += ((w15 >> 7 | w15 << 25) ^ (w15 >> 18 | w15 << 14) ^ (w15 >> 3))
                        + ((w12 >> 17 | w12 << 15) ^ (w12 >> 19 | w12 << 13) ^ (w12 >> 10)) + w7;
                    w15 += ((w0 >> 7 | w0 << 25) ^ (w0 >> 18 | w0 << 14) ^ (w0 >> 3))
                        + ((w13 >> 17 | w13 << 15) ^ (w13 >> 19 | w13 << 13) ^ (w13 >> 10)) + w8;
                }

                // x holds the word twice, so each rotation is one shift of x; the 32-bit truncation keeps the rotated word.
                h += (uint)(((x = e * 0x100000001ul) >> 6) ^ (x >> 11) ^ (x >> 25)) + (g ^ (e & (f ^ g))) + k[0] + w0;
                d += h;
                h += (uint)(((x = a * 0x100000001ul) >> 2) ^ (x >> 13) ^ (x >> 22)) + ((a & b) | (c & (a | b)));
                g += (uint)(((x = d * 0x100000001ul) >> 6) ^ (x >> 11) ^ (x >> 25)) + (f ^ (d & (e ^ f))) + k[1] + w1;
                c += g;
                g += (uint)(((x = h * 0x100000001ul) >> 2) ^ (x >> 13) ^ (x >> 22)) + ((h & a) | (b & (h | a)));
                f += (uint)(((x = c * 0x100000001ul) >> 6) ^ (x >> 11) ^ (x >> 25)) + (e ^ (c & (d ^ e))) + k[2] + w2;
                b += f;
                f += (uint)(((x = g * 0x100000001ul) >> 2) ^ (x >> 13) ^ (x >> 22)) + ((g & h) | (a & (g | h)));
                e += (uint)(((x = b * 0x100000001ul) >> 6) ^ (x >> 11) ^ (x >> 25)) + (d ^ (b & (c ^ d))) + k[3] + w3;
                a += e;
                e += (uint)(((x = f * 0x100000001ul) >> 2) ^ (x >> 13) ^ (x >> 22)) + ((f & g) | (h & (f | g)));
                d += (uint)(((x = a * 0x100000001ul) >> 6) ^ (x >> 11) ^ (x >> 25)) + (c ^ (a & (b ^ c))) + k[4] + w4;
                h += d;
                d += (uint)(((x = e * 0x100000001ul) >> 2) ^ (x >> 13) ^ (x >> 22)) + ((e & f) | (g & (e | f)));
                c += (uint)(((x = h * 0x100000001ul) >> 6) ^ (x >> 11) ^ (x >> 25)) + (b ^ (h & (a ^ b))) + k[5] + w5;
                g += c;
                c += (uint)(((x = d * 0x100000001ul) >> 2) ^ (x >> 13) ^ (x >> 22)) + ((d & e) | (f & (d | e)));
                b += (uint)(((x = g * 0x100000001ul) >> 6) ^ (x >> 11) ^ (x >> 25)) + (a ^ (g & (h ^ a))) + k[6] + w6;
                f += b;
                b += (uint)(((x = c * 0x100000001ul) >> 2) ^ (x >> 13) ^ (x >> 22)) + ((c & d) | (e & (c | d)));
                a += (uint)(((x = f * 0x100000001ul) >> 6) ^ (x >> 11) ^ (x >> 25)) + (h ^ (f & (g ^ h))) + k[7] + w7;
                e += a;
                a += (uint)(((x = b * 0x100000001ul) >> 2) ^ (x >> 13) ^ (x >> 22)) + ((b & c) | (d & (b | c)));
                h += (uint)(((x = e * 0x100000001ul) >> 6) ^ (x >> 11) ^ (x >> 25)) + (g ^ (e & (f ^ g))) + k[8] + w8;
                d += h;
                h += (uint)(((x = a * 0x100000001ul) >> 2) ^ (x >> 13) ^ (x >> 22)) + ((a & b) | (c & (a | b)));
                g += (uint)(((x = d * 0x100000001ul) >> 6) ^ (x >> 11) ^ (x >> 25)) + (f ^ (d & (e ^ f))) + k[9] + w9;
                c += g;
                g += (uint)(((x = h * 0x100000001ul) >> 2) ^ (x >> 13) ^ (x >> 22)) + ((h & a) | (b & (h | a)));
                f += (uint)(((x = c * 0x100000001ul) >> 6) ^ (x >> 11) ^ (x >> 25)) + (e ^ (c & (d ^ e))) + k[10] + w10;
                b += f;
                f += (uint)(((x = g * 0x100000001ul) >> 2) ^ (x >> 13) ^ (x >> 22)) + ((g & h) | (a & (g | h)));
                e += (uint)(((x = b * 0x100000001ul) >> 6) ^ (x >> 11) ^ (x >> 25)) + (d ^ (b & (c ^ d))) + k[11] + w11;
                a += e;
                e += (uint)(((x = f * 0x100000001ul) >> 2) ^ (x >> 13) ^ (x >> 22)) + ((f & g) | (h & (f | g)));
                d += (uint)(((x = a * 0x100000001ul) >> 6) ^ (x >> 11) ^ (x >> 25)) + (c ^ (a & (b ^ c))) + k[12] + w12;
                h += d;
                d += (uint)(((x = e * 0x100000001ul) >> 2) ^ (x >> 13) ^ (x >> 22)) + ((e & f) | (g & (e | f)));
                c += (uint)(((x = h * 0x100000001ul) >> 6) ^ (x >> 11) ^ (x >> 25)) + (b ^ (h & (a ^ b))) + k[13] + w13;
                g += c;
                c += (uint)(((x = d * 0x100000001ul) >> 2) ^ (x >> 13) ^ (x >> 22)) + ((d & e) | (f & (d | e)));
                b += (uint)(((x = g * 0x100000001ul) >> 6) ^ (x >> 11) ^ (x >> 25)) + (a ^ (g & (h ^ a))) + k[14] + w14;
                f += b;
                b += (uint)(((x = c * 0x100000001ul) >> 2) ^ (x >> 13) ^ (x >> 22)) + ((c & d) | (e & (c | d)));
                a += (uint)(((x = f * 0x100000001ul) >> 6) ^ (x >> 11) ^ (x >> 25)) + (h ^ (f & (g ^ h))) + k[15] + w15;
                e += a;
                a += (uint)(((x = b * 0x100000001ul) >> 2) ^ (x >> 13) ^ (x >> 22)) + ((b & c) | (d & (b | c)));
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

    private static uint[][] Rows(uint[] constants)
    {
        uint[][] rows = new uint[4][];
        for (int r = 0; r < 4; r++)
        {
            rows[r] = new uint[16];
            Array.Copy(constants, r * 16, rows[r], 0, 16);
        }

        return rows;
    }
}
