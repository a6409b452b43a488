using CotaFirmware.Platform;

namespace CotaFirmware.Crypto;

/// <summary>The framing every record in flash shares: little-endian fields, a magic at 0, a sequence at 4, a CRC-32 seal, a version, and two copies of which the newest valid one wins.</summary>
/// <remarks>
/// The version rule (docs/storage-format.md): a firmware reads every version of a record that an earlier release
/// wrote; a record of its type in a higher version is a newer firmware's, and is neither read nor written.
/// </remarks>
public static class StoredBytes
{
    /// <summary>True when sequence <paramref name="a"/> was written after <paramref name="b"/>, across the wrap from 0xFFFFFFFF to 0 too (serial number arithmetic: the two are less than 2^31 writes apart).</summary>
    public static bool IsAfter(uint a, uint b)
    {
        return (int)(a - b) > 0;
    }

    /// <summary>
    /// True when <paramref name="area"/> holds at <paramref name="position"/> a record of <paramref name="magic"/>'s type
    /// in a version above <paramref name="known"/>: a newer firmware's record, to be left as it is. The type is the
    /// magic's bytes before <paramref name="versionAt"/> (all four when it is at 4 or later); the version is the byte at
    /// <paramref name="versionAt"/> (for a magic ending in a version digit, <paramref name="versionAt"/> is 3 and
    /// <paramref name="known"/> that digit).
    /// </summary>
    public static bool HoldsNewer(IStorage storage, string area, int position, byte[] record, uint magic, int versionAt, int known)
    {
        if (!ReadFully(storage, area, position, record, 0, versionAt + 1))
        {
            return false;
        }

        int tag = versionAt < 4 ? versionAt : 4;
        for (int i = 0; i < tag; i++)
        {
            if (record[i] != (byte)(magic >> (8 * i)))
            {
                return false;
            }
        }

        return record[versionAt] > known;
    }

    /// <summary>
    /// <see cref="HoldsNewer"/> for a record kept in two copies (copy n in <paramref name="area0"/> or
    /// <paramref name="area1"/> at n × <paramref name="stride"/>, as for <see cref="ReadNewest"/>): true when either copy is
    /// a newer firmware's.
    /// </summary>
    public static bool EitherHoldsNewer(IStorage storage, string area0, string area1, int stride, byte[] record, uint magic, int versionAt, int known)
    {
        return HoldsNewer(storage, area0, 0, record, magic, versionAt, known) || HoldsNewer(storage, area1, stride, record, magic, versionAt, known);
    }

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
    /// reads the sealed one with the later sequence (bytes 4..7, <see cref="IsAfter"/>) into <paramref name="record"/>.
    /// </summary>
    /// <returns>The copy read (0 or 1), or -1 when neither is valid.</returns>
    public static int ReadNewest(IStorage storage, string area0, string area1, int stride, byte[] record, uint magic)
    {
        // Arguments are evaluated left to right: each sequence is read just after its copy.
        int newest = Newest(ReadSealed(storage, area0, 0, record, magic), ReadUInt32(record, 4),
            ReadSealed(storage, area1, stride, record, magic), ReadUInt32(record, 4));

        // The second read overwrote the first copy's bytes.
        return newest != 0 || ReadSealed(storage, area0, 0, record, magic) ? newest : -1;
    }

    /// <summary>
    /// Which of two copies of a record holds it: the valid one, or of two valid ones the one with the later sequence
    /// (<see cref="IsAfter"/>; copy 0 on a tie). A sequence of a copy that is not valid is not looked at.
    /// </summary>
    /// <returns>0 or 1, or -1 when neither copy is valid.</returns>
    public static int Newest(bool valid0, uint sequence0, bool valid1, uint sequence1)
    {
        if (valid1 && (!valid0 || IsAfter(sequence1, sequence0)))
        {
            return 1;
        }

        return valid0 ? 0 : -1;
    }

    /// <summary>
    /// Why <paramref name="area"/> cannot be read: the error of a read of it that fails, or <see cref="StorageStatus.Ok"/>
    /// when it reads to its end (through <paramref name="buffer"/>) or does not exist. A record in an area that does not
    /// read is unknown, not absent, torn or corrupt: it may be the newest, and must be neither outranked nor overwritten.
    /// </summary>
    public static StorageStatus ReadError(IStorage storage, string area, byte[] buffer)
    {
        int position = 0;
        while (true)
        {
            int n = storage.Read(area, position, buffer, 0, buffer.Length);
            if (n <= 0)
            {
                return n < 0 && n != (int)StorageStatus.NotFound ? (StorageStatus)n : StorageStatus.Ok;
            }

            position += n;
        }
    }

    /// <summary><see cref="ReadError(IStorage, string, byte[])"/> for a record kept in two copies: the read error of <paramref name="area0"/>, else of <paramref name="area1"/>.</summary>
    public static StorageStatus EitherReadError(IStorage storage, string area0, string area1, byte[] buffer)
    {
        StorageStatus error = ReadError(storage, area0, buffer);
        return error != StorageStatus.Ok ? error : ReadError(storage, area1, buffer);
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
