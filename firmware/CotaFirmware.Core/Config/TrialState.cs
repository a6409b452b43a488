using CotaFirmware.Crypto;
using CotaFirmware.Platform;

namespace CotaFirmware.Config;

/// <summary>The config store's small persistent state: trial, boot count, rejected config and pending reboot.</summary>
/// <remarks>
/// Kept in two copies, each a 32-byte record with its own sequence and CRC32. A save always overwrites the copy
/// that does not hold the newest valid record, so a cut during a save leaves the previous record intact, and a
/// load takes the valid record with the highest sequence.
/// Record (little-endian): magic, sequence, trial sequence, trial boots, rejected sequence, flags, version (1; the
/// first release wrote 0 there, read as 1), three reserved bytes, and <see cref="Crypto.Crc32"/> of bytes 0..27
/// (least significant byte first). A copy in a newer version makes the state <see cref="Newer"/>: neither copy is
/// then written.
/// </remarks>
internal sealed class TrialState
{
    internal const int RecordSize = 32;
    private const uint RecordMagic = 0x54534643; // "CFST"
    private const int CrcOffset = RecordSize - 4;
    private const uint FlagRebootPending = 1;
    private const int VersionAt = 24;
    private const int Version = 1;

    private readonly byte[] _record = new byte[RecordSize];
    private int _current;

    /// <summary>The sequence of the newest record (0 when none was ever saved).</summary>
    internal uint Sequence;

    /// <summary>The slot sequence of the config on trial, or 0.</summary>
    internal uint TrialSequence;

    /// <summary>How many boots the config on trial has started.</summary>
    internal int TrialBoots;

    /// <summary>The slot sequence of the last config rolled back, or 0; a slot with it is never active again.</summary>
    internal uint RejectedSequence;

    /// <summary>A reboot was requested and the next boot has not yet consumed it.</summary>
    internal bool RebootPending;

    /// <summary>A copy holds a newer firmware's record: the state reads as empty and <see cref="Save"/> writes nothing.</summary>
    internal bool Newer;

    /// <summary>Why a copy could not be read (a read error, not a copy absent or torn), or <see cref="StorageStatus.Ok"/>: the
    /// state is then unknown, not empty nor the other copy's, and <see cref="Save"/> writes nothing (the copy not read may
    /// hold a later sequence).</summary>
    internal StorageStatus ReadError;

    /// <summary>Reads both copies and keeps the newest valid one, or the empty state when neither is valid.</summary>
    internal void Load(IStorage storage)
    {
        Newer = StoredBytes.EitherHoldsNewer(storage, ConfigSlot.StateArea0, ConfigSlot.StateArea1, 0, _record, RecordMagic, VersionAt, Version);

        // A copy that does not read may be the newer one, so the other one's state is not taken either.
        ReadError = Newer ? StorageStatus.Ok : StoredBytes.EitherReadError(storage, ConfigSlot.StateArea0, ConfigSlot.StateArea1, _record);
        int copy = Newer || ReadError != StorageStatus.Ok ? -1
            : StoredBytes.ReadNewest(storage, ConfigSlot.StateArea0, ConfigSlot.StateArea1, 0, _record, RecordMagic);
        if (copy < 0)
        {
            // No record: the empty state, and the first save goes to copy 0.
            System.Array.Clear(_record, 0, RecordSize);
            copy = 1;
        }

        _current = copy;
        Sequence = StoredBytes.ReadUInt32(_record, 4);
        TrialSequence = StoredBytes.ReadUInt32(_record, 8);
        TrialBoots = (int)StoredBytes.ReadUInt32(_record, 12);
        RejectedSequence = StoredBytes.ReadUInt32(_record, 16);
        RebootPending = (StoredBytes.ReadUInt32(_record, 20) & FlagRebootPending) != 0;
    }

    /// <summary>Writes the fields as a new record into the copy not holding the newest one.</summary>
    /// <returns><see cref="StorageStatus.Ok"/>, or why the write failed (<see cref="StorageStatus.NewerRecord"/> when <see cref="Newer"/>).</returns>
    internal StorageStatus Save(IStorage storage)
    {
        if (Newer)
        {
            return StorageStatus.NewerRecord;
        }

        if (ReadError != StorageStatus.Ok)
        {
            return ReadError;
        }

        Sequence++;
        StoredBytes.Begin(_record, RecordSize, RecordMagic, Sequence);
        StoredBytes.WriteUInt32(_record, 8, TrialSequence);
        StoredBytes.WriteUInt32(_record, 12, (uint)TrialBoots);
        StoredBytes.WriteUInt32(_record, 16, RejectedSequence);
        StoredBytes.WriteUInt32(_record, 20, RebootPending ? FlagRebootPending : 0);
        _record[VersionAt] = Version;
        StoredBytes.Seal(_record, CrcOffset);
        int target = 1 - _current;
        StorageStatus status = storage.Write(target == 0 ? ConfigSlot.StateArea0 : ConfigSlot.StateArea1, 0, _record, 0, RecordSize);
        if (status == StorageStatus.Ok)
        {
            _current = target;
        }

        return status;
    }
}
