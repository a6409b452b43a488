namespace CotaFirmware.Crypto;

/// <summary>CRC-32 of IEEE 802.3 (zlib, PNG): reflected polynomial 0xEDB88320, so "123456789" gives 0xCBF43926.</summary>
public static class Crc32
{
    const uint Polynomial = 0xEDB88320;

    static readonly uint[] Table = BuildTable();

    /// <summary>Returns the CRC of <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
    public static uint Compute(byte[] buffer, int offset, int count)
    {
        ByteView.Check(buffer, offset, count);
        uint[] table = Table;
        uint c = 0xFFFFFFFF;
        int end = offset + count;
        for (int i = offset; i < end; i++)
        {
            c = table[(c ^ buffer[i]) & 0xFF] ^ (c >> 8);
        }

        return ~c;
    }

    static uint[] BuildTable()
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
