namespace CotaFirmware.Crypto;

/// <summary>SHA-1 (FIPS 180-4), kept for HMAC-SHA1 where a peer still asks for it; not for new integrity checks.</summary>
/// <remarks>
/// It signs a few hundred bytes per connection at most, so it is written small rather than fast: one loop over the
/// 80 rounds, state in locals, one schedule array allocated with the instance, no calls in the loop.
/// </remarks>
public sealed class Sha1 : MerkleDamgardHash
{
    private readonly uint[] _schedule = new uint[80];

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
            for (int t = 0; t < 80; t++)
            {
                uint f;
                if (t < 20)
                {
                    f = (d ^ (b & (c ^ d))) + 0x5A827999u;
                }
                else if (t < 40)
                {
                    f = (b ^ c ^ d) + 0x6ED9EBA1u;
                }
                else if (t < 60)
                {
                    f = ((b & c) | (d & (b | c))) + 0x8F1BBCDCu;
                }
                else
                {
                    f = (b ^ c ^ d) + 0xCA62C1D6u;
                }

                f += (a << 5 | a >> 27) + e + w[t];
                e = d;
                d = c;
                c = b << 30 | b >> 2;
                b = a;
                a = f;
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
