using CotaFirmware.Platform;

namespace CotaFirmware.HostTests.Platform;

/// <summary>Storage that loses power at a chosen write: for proving that what sits on it survives a cut at every write.</summary>
/// <remarks>
/// Writes, truncates and deletes are counted from 1. The write numbered <see cref="CutAt"/> is the last one the
/// device performs: a <see cref="IStorage.Write"/> lands only its first <see cref="TornBytes"/> bytes (all of them when
/// <see cref="TornBytes"/> is negative: a clean cut just after it), a truncate or delete lands only on a clean cut.
/// From then on the device is off: every write, truncate and delete fails with <see cref="StorageStatus.Failed"/>
/// and changes nothing. Reads pass through. A reboot is a new instance (or the backing storage alone) over the same data.
/// </remarks>
public sealed class FaultyStorage : IStorage
{
    private readonly IStorage _backing;

    /// <summary>Wraps <paramref name="backing"/>; power fails at write number <paramref name="cutAt"/> (never when it is 0 or less).</summary>
    /// <param name="backing">The storage that keeps what lands.</param>
    /// <param name="cutAt">The 1-based number of the last write performed, or 0 for no cut.</param>
    /// <param name="tornBytes">How many bytes of that write land; negative for all of them.</param>
    public FaultyStorage(IStorage backing, int cutAt, int tornBytes = -1)
    {
        _backing = backing;
        CutAt = cutAt;
        TornBytes = tornBytes;
    }

    /// <summary>The number of the write at which power fails (0: never).</summary>
    public int CutAt { get; }

    /// <summary>How many bytes of the cut write land (negative: all).</summary>
    public int TornBytes { get; }

    /// <summary>How many writes, truncates and deletes were attempted so far, including those after the cut.</summary>
    public int Writes { get; private set; }

    /// <summary>True once power has failed.</summary>
    public bool PowerOff { get; private set; }

    /// <inheritdoc />
    public int Length(string name) => _backing.Length(name);

    /// <inheritdoc />
    public int Read(string name, int position, byte[] buffer, int offset, int count) =>
        _backing.Read(name, position, buffer, offset, count);

    /// <inheritdoc />
    public StorageStatus Write(string name, int position, byte[] buffer, int offset, int count)
    {
        if (!Next())
        {
            return StorageStatus.Failed;
        }

        if (!PowerOff)
        {
            return _backing.Write(name, position, buffer, offset, count);
        }

        int landed = TornBytes < 0 || TornBytes > count ? count : TornBytes;
        if (landed > 0)
        {
            _backing.Write(name, position, buffer, offset, landed);
        }

        return StorageStatus.Failed;
    }

    /// <inheritdoc />
    public StorageStatus Truncate(string name, int length)
    {
        if (!Next())
        {
            return StorageStatus.Failed;
        }

        if (!PowerOff)
        {
            return _backing.Truncate(name, length);
        }

        if (TornBytes < 0)
        {
            _backing.Truncate(name, length);
        }

        return StorageStatus.Failed;
    }

    /// <inheritdoc />
    public StorageStatus Delete(string name)
    {
        if (!Next())
        {
            return StorageStatus.Failed;
        }

        if (!PowerOff)
        {
            return _backing.Delete(name);
        }

        if (TornBytes < 0)
        {
            _backing.Delete(name);
        }

        return StorageStatus.Failed;
    }

    // Counts one write; false when power is already off. Sets PowerOff when this is the cut write.
    private bool Next()
    {
        Writes++;
        if (PowerOff)
        {
            return false;
        }

        if (CutAt > 0 && Writes == CutAt)
        {
            PowerOff = true;
        }

        return true;
    }
}
