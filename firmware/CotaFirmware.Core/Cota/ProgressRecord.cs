using CotaFirmware.Crypto;
using CotaFirmware.Platform;

namespace CotaFirmware.Cota;

/// <summary>
/// The persisted attempt count of one download: which config (configId, size, digest), the most bytes that had landed
/// when an attempt began, the attempts since that mark last rose and the last failure. Two CRC-checked slots written in turn, so a
/// write torn by a power cut leaves the previous one.
/// </summary>
/// <remarks>
/// The bytes themselves are the config store's candidate slot, whose length is the progress; this record only bounds
/// the attempts without progress across reboots. A record that fails its CRC or names another config is ignored.
/// Slot layout (128 bytes, little-endian): magic "CDP2", sequence, size, landed, attempts (2), last failure (1),
/// configId length (1), digest (32), configId (64), last HTTP status (4), reserved (4), CRC-32 of bytes 0..123.
/// The magic's last byte is the version ('2'); a slot in a newer version is left as it is: <see cref="Load"/> finds
/// no record and <see cref="Save"/> writes nothing.
/// </remarks>
internal sealed class ProgressRecord
{
    internal const int SlotSize = 128;
    private const uint Magic = 0x32504443; // "CDP2" in its bytes: type "CDP", version '2'
    private const int Version = '2';
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

    /// <summary>The last <see cref="Load"/> found a newer firmware's record: the area must not be written or deleted.</summary>
    internal bool Newer => _newer;

    private bool _newer;

    /// <summary>Loads the newest valid slot of <paramref name="area"/>.</summary>
    /// <returns>True when a valid record was found; false when there is none (or only torn ones).</returns>
    internal bool Load(IStorage storage, string area)
    {
        _newer = StoredBytes.EitherHoldsNewer(storage, area, area, SlotSize, _slot, Magic, 3, Version);
        if (_newer || StoredBytes.ReadNewest(storage, area, area, SlotSize, _slot, Magic) < 0)
        {
            return false;
        }

        Sequence = StoredBytes.ReadUInt32(_slot, 4);
        Size = (int)StoredBytes.ReadUInt32(_slot, 8);
        Offset = (int)StoredBytes.ReadUInt32(_slot, 12);
        Attempts = StoredBytes.ReadUInt16(_slot, 16);
        LastFailure = _slot[18];
        _configIdLength = _slot[19];
        System.Array.Copy(_slot, 20, _digest, 0, ConfigOffer.DigestLength);
        System.Array.Copy(_slot, 52, _configId, 0, ConfigOffer.MaxConfigIdLength);
        LastHttpStatus = (int)StoredBytes.ReadUInt32(_slot, 116);
        return _configIdLength >= 1 && _configIdLength <= ConfigOffer.MaxConfigIdLength && Offset >= 0 && Offset <= Size;
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
    /// <returns><see cref="StorageStatus.Ok"/>, or why the write failed (<see cref="StorageStatus.NewerRecord"/> when the last <see cref="Load"/> found a newer firmware's record).</returns>
    internal StorageStatus Save(IStorage storage, string area)
    {
        if (_newer)
        {
            return StorageStatus.NewerRecord;
        }

        Sequence++;
        byte[] b = _slot;
        StoredBytes.Begin(b, SlotSize, Magic, Sequence);
        StoredBytes.WriteUInt32(b, 8, (uint)Size);
        StoredBytes.WriteUInt32(b, 12, (uint)Offset);
        StoredBytes.WriteUInt16(b, 16, Attempts > 0xFFFF ? 0xFFFF : Attempts);
        b[18] = (byte)LastFailure;
        b[19] = (byte)_configIdLength;
        System.Array.Copy(_digest, 0, b, 20, ConfigOffer.DigestLength);
        System.Array.Copy(_configId, 0, b, 52, ConfigOffer.MaxConfigIdLength);
        StoredBytes.WriteUInt32(b, 116, (uint)LastHttpStatus);
        StoredBytes.Seal(b, CrcAt);
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
}
