using System;
using CotaFirmware.Platform;

namespace CotaFirmware.Tests;

/// <summary>What a <see cref="FaultyStorage"/> does once power has failed.</summary>
public enum PowerLoss
{
    /// <summary>The cut mutation reports <see cref="StorageStatus.Failed"/>, and so does every later one, changing nothing: the firmware runs on over dead flash until the test reboots it on a new instance.</summary>
    FailsFromThen,

    /// <summary>The cut mutation throws <see cref="PowerCutException"/>, so nothing after it runs.</summary>
    Throws,
}

/// <summary>Thrown by a <see cref="FaultyStorage"/> set to <see cref="PowerLoss.Throws"/> where the power fails.</summary>
public sealed class PowerCutException : Exception
{
}

/// <summary>
/// Storage that loses power at a chosen mutation (write, truncate or delete), in the manner of littlefs's emulated
/// block device: a count of mutations, the one at which power fails, how much of that write lands, and what the
/// firmware sees then (<see cref="PowerLoss"/>). Used to prove that what sits on it survives a cut at every write.
/// </summary>
/// <remarks>
/// Mutations are numbered from 1. Mutation <see cref="CutAt"/> is the last one the device performs: a write lands only
/// its first <see cref="TornBytes"/> bytes (all of them when <see cref="TornBytes"/> is negative: a clean cut just after
/// it); a truncate or delete lands only on a clean cut. Reads pass through. A reboot is a new instance (or the backing
/// storage alone) over the same data.
/// </remarks>
public sealed class FaultyStorage : IStorage
{
    private readonly IStorage _backing;

    /// <summary>Power never fails until <see cref="CutAt"/> is set; the data lives in a new <see cref="MemoryStorage"/>.</summary>
    public FaultyStorage()
        : this(new MemoryStorage(), 0, -1)
    {
    }

    /// <summary>Wraps <paramref name="backing"/>; power fails at mutation <paramref name="cutAt"/> (never when it is 0 or less).</summary>
    /// <param name="backing">The storage that keeps what lands.</param>
    /// <param name="cutAt">The 1-based number of the last mutation performed, or 0 for no cut.</param>
    /// <param name="tornBytes">How many bytes of that write land; negative for all of them.</param>
    /// <remarks>At the cut the firmware sees <see cref="PowerLoss.FailsFromThen"/> unless <see cref="Loss"/> is set.</remarks>
    public FaultyStorage(IStorage backing, int cutAt, int tornBytes)
    {
        _backing = backing;
        CutAt = cutAt;
        TornBytes = tornBytes;
    }

    /// <summary>The storage that keeps what lands (a <see cref="MemoryStorage"/> unless one was given).</summary>
    public IStorage Backing => _backing;

    /// <summary>The number of the mutation at which power fails (0: never); settable between runs, as a power supply is switched back on.</summary>
    public int CutAt { get; set; }

    /// <summary>How many bytes of the cut write land (negative: all).</summary>
    public int TornBytes { get; set; }

    /// <summary>What the firmware sees at the cut.</summary>
    public PowerLoss Loss { get; set; }

    /// <summary>How many mutations were attempted so far, including those after the cut.</summary>
    public int Mutations { get; private set; }

    /// <summary>True once power has failed.</summary>
    public bool PowerOff { get; private set; }

    /// <summary>Switches power back on with no cut set: the next mutations land (what a reboot on the same flash gives, counted on).</summary>
    public void PowerOn()
    {
        PowerOff = false;
        CutAt = 0;
    }

    /// <inheritdoc />
    public int Length(string name)
    {
        return _backing.Length(name);
    }

    /// <inheritdoc />
    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        return _backing.Read(name, position, buffer, offset, count);
    }

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

        return Cut();
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

        return Cut();
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

        return Cut();
    }

    // Counts one mutation; false when power is already off. Sets PowerOff when this is the cut mutation.
    private bool Next()
    {
        Mutations++;
        if (PowerOff)
        {
            return false;
        }

        if (CutAt > 0 && Mutations == CutAt)
        {
            PowerOff = true;
        }

        return true;
    }

    private StorageStatus Cut()
    {
        if (Loss == PowerLoss.Throws)
        {
            throw new PowerCutException();
        }

        return StorageStatus.Failed;
    }
}
