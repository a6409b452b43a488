using CotaFirmware.Platform;

namespace CotaFirmware.Config;

/// <summary>The byte work every record in flash shares: little-endian integers (magic tags among them) and reading a whole piece of an area.</summary>
public static class StoredBytes
{
    /// <summary>The unsigned 32-bit value stored least significant byte first at <paramref name="offset"/>.</summary>
    public static uint ReadUInt32(byte[] buffer, int offset)
    {
        return (uint)(buffer[offset] | (buffer[offset + 1] << 8) | (buffer[offset + 2] << 16) | (buffer[offset + 3] << 24));
    }

    /// <summary>Stores <paramref name="value"/> least significant byte first at <paramref name="offset"/>.</summary>
    public static void WriteUInt32(byte[] buffer, int offset, uint value)
    {
        buffer[offset] = (byte)value;
        buffer[offset + 1] = (byte)(value >> 8);
        buffer[offset + 2] = (byte)(value >> 16);
        buffer[offset + 3] = (byte)(value >> 24);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes of <paramref name="area"/> from <paramref name="position"/>.</summary>
    /// <returns>False when the area ends first or the storage fails.</returns>
    public static bool ReadFully(IStorage storage, string area, int position, byte[] buffer, int offset, int count)
    {
        int got = 0;
        while (got < count)
        {
            int n = storage.Read(area, position + got, buffer, offset + got, count - got);
            if (n <= 0)
            {
                return false;
            }

            got += n;
        }

        return true;
    }
}
