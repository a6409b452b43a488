namespace CotaFirmware.Crypto;

/// <summary>CRC-32 of IEEE 802.3 (zlib, PNG): reflected polynomial 0xEDB88320, so "123456789" gives 0xCBF43926.</summary>
/// <remarks>
/// Incremental in zlib's style: every value passed in and returned is a finished CRC. Start from
/// <see cref="Initial"/> (the CRC of no bytes) and feed each piece with <see cref="Update"/>; the value returned
/// after the last piece is the CRC of the whole, with no separate finishing step to forget.
/// </remarks>
public static class Crc32
{
    /// <summary>The CRC of zero bytes: the value to start from.</summary>
    public const uint Initial = 0;

    private const uint Polynomial = 0xEDB88320;

    private static readonly uint[] Table = BuildTable();

    /// <summary>Returns the CRC of the bytes that gave <paramref name="crc"/> followed by <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
    public static uint Update(uint crc, byte[] buffer, int offset, int count)
    {
        ByteView.Check(buffer, offset, count);
        uint[] table = Table;
        uint c = ~crc;
        int end = offset + count;
        for (int i = offset; i < end; i++)
        {
            c = table[(c ^ buffer[i]) & 0xFF] ^ (c >> 8);
        }

        return ~c;
    }

    /// <summary>Returns the CRC of <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
    public static uint Compute(byte[] buffer, int offset, int count)
    {
        return Update(Initial, buffer, offset, count);
    }

    private static uint[] BuildTable()
    {
        uint[] table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
