using CotaFirmware.Crypto;
using CotaFirmware.Platform;

namespace CotaFirmware.Config;

/// <summary>The framing every record in flash shares: little-endian fields, a magic at 0, a sequence at 4, a CRC-32 seal, and two copies of which the newest valid one wins.</summary>
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

    /// <summary>The unsigned 16-bit value stored least significant byte first at <paramref name="offset"/>.</summary>
    public static int ReadUInt16(byte[] buffer, int offset)
    {
        return buffer[offset] | (buffer[offset + 1] << 8);
    }

    /// <summary>Stores the low 16 bits of <paramref name="value"/> least significant byte first at <paramref name="offset"/>.</summary>
    public static void WriteUInt16(byte[] buffer, int offset, int value)
    {
        buffer[offset] = (byte)value;
        buffer[offset + 1] = (byte)(value >> 8);
    }

    /// <summary>Zeroes the first <paramref name="count"/> bytes of <paramref name="record"/>, then stores <paramref name="magic"/> at 0 and <paramref name="sequence"/> at 4.</summary>
    public static void Begin(byte[] record, int count, uint magic, uint sequence)
    {
        System.Array.Clear(record, 0, count);
        WriteUInt32(record, 0, magic);
        WriteUInt32(record, 4, sequence);
    }

    /// <summary>Stores at <paramref name="crcAt"/> the CRC-32 of the bytes of <paramref name="record"/> before it.</summary>
    public static void Seal(byte[] record, int crcAt)
    {
        WriteUInt32(record, crcAt, Crc32.Compute(record, 0, crcAt));
    }

    /// <summary>Reads <paramref name="count"/> bytes of <paramref name="area"/> from <paramref name="position"/> into <paramref name="record"/>.</summary>
    /// <returns>True when they all came and start with <paramref name="magic"/>.</returns>
    public static bool ReadTagged(IStorage storage, string area, int position, byte[] record, int count, uint magic)
    {
        return ReadFully(storage, area, position, record, 0, count) && ReadUInt32(record, 0) == magic;
    }

    /// <summary>Fills <paramref name="record"/> from <paramref name="area"/> at <paramref name="position"/>.</summary>
    /// <returns>True when it starts with <paramref name="magic"/> and its last four bytes hold the CRC-32 of the others (<see cref="Seal"/>).</returns>
    public static bool ReadSealed(IStorage storage, string area, int position, byte[] record, uint magic)
    {
        int crcAt = record.Length - 4;
        return ReadTagged(storage, area, position, record, record.Length, magic)
            && Crc32.Compute(record, 0, crcAt) == ReadUInt32(record, crcAt);
    }

    /// <summary>
    /// Of a record kept in two copies (copy n in <paramref name="area0"/> or <paramref name="area1"/> at n × <paramref name="stride"/>),
    /// reads the sealed one with the higher sequence (bytes 4..7) into <paramref name="record"/>.
    /// </summary>
    /// <returns>The copy read (0 or 1), or -1 when neither is valid.</returns>
    public static int ReadNewest(IStorage storage, string area0, string area1, int stride, byte[] record, uint magic)
    {
        bool first = ReadSealed(storage, area0, 0, record, magic);
        uint sequence = first ? ReadUInt32(record, 4) : 0;
        if (ReadSealed(storage, area1, stride, record, magic) && (!first || ReadUInt32(record, 4) > sequence))
        {
            return 1;
        }

        // The second read may have overwritten the first copy's bytes.
        return first && ReadSealed(storage, area0, 0, record, magic) ? 0 : -1;
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
