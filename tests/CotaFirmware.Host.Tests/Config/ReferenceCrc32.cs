using CotaFirmware.Crypto;

namespace CotaFirmware.HostTests.Config;

/// <summary>CRC-32 (IEEE 802.3, reflected, as zlib), the check value the header and trial state carry.</summary>
public sealed class ReferenceCrc32 : HashFunction
{
    private static readonly uint[] Table = BuildTable();
    private uint _crc = 0xFFFFFFFF;

    public override int HashSize => 4;

    public override int BlockSize => 1;

    public override void Reset() => _crc = 0xFFFFFFFF;

    public override void Update(byte[] buffer, int offset, int count)
    {
        for (int i = offset; i < offset + count; i++)
        {
            _crc = Table[(_crc ^ buffer[i]) & 0xFF] ^ (_crc >> 8);
        }
    }

    public override void Final(byte[] output, int offset)
    {
        uint value = ~_crc;
        output[offset] = (byte)value;
        output[offset + 1] = (byte)(value >> 8);
        output[offset + 2] = (byte)(value >> 16);
        output[offset + 3] = (byte)(value >> 24);
        Reset();
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
