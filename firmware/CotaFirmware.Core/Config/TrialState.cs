using CotaFirmware.Crypto;
using CotaFirmware.Platform;

namespace CotaFirmware.Config;

/// <summary>The config store's small persistent state: trial, boot count, rejected config and pending reboot.</summary>
/// <remarks>
/// Kept in two copies, each a 32-byte record with its own sequence and CRC32. A save always overwrites the copy
/// that does not hold the newest valid record, so a cut during a save leaves the previous record intact, and a
/// load takes the valid record with the highest sequence.
/// Record (little-endian): magic, sequence, trial sequence, trial boots, rejected sequence, flags, reserved, and
/// <see cref="Crc32"/> of bytes 0..27 (least significant byte first).
/// </remarks>
internal sealed class TrialState
{
    internal const int RecordSize = 32;
    private const uint RecordMagic = 0x54534643; // "CFST"
    private const int CrcOffset = RecordSize - 4;
    private const uint FlagRebootPending = 1;

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

    /// <summary>Reads both copies and keeps the newest valid one, or the empty state when neither is valid.</summary>
    internal void Load(IStorage storage)
    {
        Sequence = 0;
        TrialSequence = 0;
        TrialBoots = 0;
        RejectedSequence = 0;
        RebootPending = false;
        _current = 1;
        bool found = false;
        for (int copy = 0; copy < 2; copy++)
        {
            if (!ReadRecord(storage, copy))
            {
                continue;
            }

            uint sequence = StoredBytes.ReadUInt32(_record, 4);
            if (found && sequence <= Sequence)
            {
                continue;
            }

            found = true;
            _current = copy;
            Sequence = sequence;
            TrialSequence = StoredBytes.ReadUInt32(_record, 8);
            TrialBoots = (int)StoredBytes.ReadUInt32(_record, 12);
            RejectedSequence = StoredBytes.ReadUInt32(_record, 16);
            RebootPending = (StoredBytes.ReadUInt32(_record, 20) & FlagRebootPending) != 0;
        }
    }

    /// <summary>Writes the fields as a new record into the copy not holding the newest one.</summary>
    /// <returns><see cref="StorageStatus.Ok"/>, or why the write failed.</returns>
    internal StorageStatus Save(IStorage storage)
    {
        Sequence++;
        StoredBytes.WriteUInt32(_record, 0, RecordMagic);
        StoredBytes.WriteUInt32(_record, 4, Sequence);
        StoredBytes.WriteUInt32(_record, 8, TrialSequence);
        StoredBytes.WriteUInt32(_record, 12, (uint)TrialBoots);
        StoredBytes.WriteUInt32(_record, 16, RejectedSequence);
        StoredBytes.WriteUInt32(_record, 20, RebootPending ? FlagRebootPending : 0);
        StoredBytes.WriteUInt32(_record, 24, 0);
        StoredBytes.WriteUInt32(_record, CrcOffset, Crc32.Compute(_record, 0, CrcOffset));
        int target = 1 - _current;
        StorageStatus status = storage.Write(AreaOf(target), 0, _record, 0, RecordSize);
        if (status == StorageStatus.Ok)
        {
            _current = target;
        }

        return status;
    }

    private static string AreaOf(int copy)
    {
        return copy == 0 ? ConfigSlot.StateArea0 : ConfigSlot.StateArea1;
    }

    private bool ReadRecord(IStorage storage, int copy)
    {
        string area = AreaOf(copy);
        if (storage.Length(area) != RecordSize)
        {
            return false;
        }

        if (!StoredBytes.ReadFully(storage, area, 0, _record, 0, RecordSize))
        {
            return false;
        }

        if (StoredBytes.ReadUInt32(_record, 0) != RecordMagic)
        {
            return false;
        }

        return Crc32.Compute(_record, 0, CrcOffset) == StoredBytes.ReadUInt32(_record, CrcOffset);
    }
}
