using CotaFirmware.Config;
using CotaFirmware.Crypto;
using CotaFirmware.Platform;

namespace CotaFirmware.Cota;

/// <summary>
/// The persisted attempt count of one download: which config (configId, size, digest), how many bytes had landed when
/// the last attempt began, the attempts since then and the last failure. Two CRC-checked slots written in turn, so a
/// write torn by a power cut leaves the previous one.
/// </summary>
/// <remarks>
/// The bytes themselves are the config store's candidate slot, whose length is the progress; this record only bounds
/// the attempts without progress across reboots. A record that fails its CRC or names another config is ignored.
/// Slot layout (128 bytes, little-endian): magic "CDP2", sequence, size, landed, attempts (2), last failure (1),
/// configId length (1), digest (32), configId (64), last HTTP status (4), reserved (4), CRC-32 of bytes 0..123.
/// </remarks>
internal sealed class ProgressRecord
{
    internal const int SlotSize = 128;
    private const uint Magic = 0x32504443; // "CDP2" in its bytes
    private const int CrcAt = 124;

    private readonly byte[] _slot = new byte[SlotSize];
    private readonly byte[] _configId = new byte[ConfigOffer.MaxConfigIdLength];
    private readonly byte[] _digest = new byte[ConfigOffer.DigestLength];
    private int _configIdLength;

    internal uint Sequence;
    internal int Size;
    internal int Offset;
    internal int Attempts;
    internal int LastFailure;
    internal int LastHttpStatus;

    /// <summary>Loads the newest valid slot of <paramref name="area"/>.</summary>
    /// <returns>True when a valid record was found; false when there is none (or only torn ones).</returns>
    internal bool Load(IStorage storage, string area)
    {
        bool found = false;
        uint bestSequence = 0;
        int bestSlot = -1;
        for (int s = 0; s < 2; s++)
        {
            if (ReadSlot(storage, area, s))
            {
                uint seq = StoredBytes.ReadUInt32(_slot, 4);
                if (!found || seq > bestSequence)
                {
                    found = true;
                    bestSequence = seq;
                    bestSlot = s;
                }
            }
        }

        if (!found || !ReadSlot(storage, area, bestSlot))
        {
            return false;
        }

        Sequence = StoredBytes.ReadUInt32(_slot, 4);
        Size = (int)StoredBytes.ReadUInt32(_slot, 8);
        Offset = (int)StoredBytes.ReadUInt32(_slot, 12);
        Attempts = _slot[16] | (_slot[17] << 8);
        LastFailure = _slot[18];
        _configIdLength = _slot[19];
        System.Array.Copy(_slot, 20, _digest, 0, ConfigOffer.DigestLength);
        System.Array.Copy(_slot, 52, _configId, 0, ConfigOffer.MaxConfigIdLength);
        LastHttpStatus = (int)StoredBytes.ReadUInt32(_slot, 116);
        if (_configIdLength < 1 || _configIdLength > ConfigOffer.MaxConfigIdLength || Offset < 0 || Size < 0 || Offset > Size)
        {
            return false;
        }

        return true;
    }

    /// <summary>True when this record describes <paramref name="offer"/> (same configId, size and digest).</summary>
    internal bool Describes(ConfigOffer offer)
    {
        if (Size != offer.Size || !offer.ConfigIdEquals(_configId, 0, _configIdLength))
        {
            return false;
        }

        return offer.DigestEquals(_digest, 0);
    }

    /// <summary>Starts a fresh record for <paramref name="offer"/>: nothing landed, no attempts.</summary>
    internal void Begin(ConfigOffer offer)
    {
        _configIdLength = offer.CopyConfigId(_configId, 0);
        offer.CopyDigest(_digest, 0);
        Size = (int)offer.Size;
        Offset = 0;
        Attempts = 0;
        LastFailure = 0;
        LastHttpStatus = 0;
    }

    /// <summary>Writes the record into the next slot.</summary>
    /// <returns><see cref="StorageStatus.Ok"/>, or why the write failed.</returns>
    internal StorageStatus Save(IStorage storage, string area)
    {
        Sequence++;
        byte[] b = _slot;
        StoredBytes.WriteUInt32(b, 0, Magic);
        StoredBytes.WriteUInt32(b, 4, Sequence);
        StoredBytes.WriteUInt32(b, 8, (uint)Size);
        StoredBytes.WriteUInt32(b, 12, (uint)Offset);
        int attempts = Attempts > 0xFFFF ? 0xFFFF : Attempts;
        b[16] = (byte)attempts;
        b[17] = (byte)(attempts >> 8);
        b[18] = (byte)LastFailure;
        b[19] = (byte)_configIdLength;
        System.Array.Copy(_digest, 0, b, 20, ConfigOffer.DigestLength);
        System.Array.Copy(_configId, 0, b, 52, ConfigOffer.MaxConfigIdLength);
        StoredBytes.WriteUInt32(b, 116, (uint)LastHttpStatus);
        StoredBytes.WriteUInt32(b, 120, 0);
        StoredBytes.WriteUInt32(b, CrcAt, Crc32.Compute(b, 0, CrcAt));
        int at = (int)(Sequence & 1) * SlotSize;
        if (at > 0 && storage.Length(area) < at)
        {
            // Storage areas have no holes: a fresh area gets the same record in slot 0 first.
            StorageStatus first = storage.Write(area, 0, b, 0, SlotSize);
            if (first != StorageStatus.Ok)
            {
                return first;
            }
        }

        return storage.Write(area, at, b, 0, SlotSize);
    }

    private bool ReadSlot(IStorage storage, string area, int slot)
    {
        return StoredBytes.ReadFully(storage, area, slot * SlotSize, _slot, 0, SlotSize)
            && StoredBytes.ReadUInt32(_slot, 0) == Magic
            && StoredBytes.ReadUInt32(_slot, CrcAt) == Crc32.Compute(_slot, 0, CrcAt);
    }
}
