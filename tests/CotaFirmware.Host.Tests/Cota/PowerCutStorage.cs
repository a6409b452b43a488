using CotaFirmware.Platform;
using CotaFirmware.Tests;

namespace CotaFirmware.HostTests.Cota;

/// <summary>Thrown by <see cref="PowerCutStorage"/> where the power fails; nothing after it runs.</summary>
public sealed class PowerCutException : Exception
{
}

/// <summary>
/// <see cref="MemoryStorage"/> whose power fails at the N-th mutation (write, truncate, delete), optionally landing
/// only a prefix of that write. Unlike the board's FaultyStorage (which fails every later write), the cut throws, so
/// the test stops the firmware exactly there.
/// </summary>
public sealed class PowerCutStorage : IStorage
{
    private readonly MemoryStorage _flash = new();

    /// <summary>Mutations that completed.</summary>
    public int Mutations { get; private set; }

    /// <summary>The mutation (0-based) at which the power fails; -1 never.</summary>
    public int CutAt { get; set; } = -1;

    /// <summary>When cutting a write, how many of its bytes land first (clamped to the write).</summary>
    public int TornBytes { get; set; }

    public byte[]? Contents(string name) => _flash.Contents(name);

    public int Length(string name) => _flash.Length(name);

    public int Read(string name, int position, byte[] buffer, int offset, int count) => _flash.Read(name, position, buffer, offset, count);

    public StorageStatus Write(string name, int position, byte[] buffer, int offset, int count)
    {
        if (Mutations == CutAt)
        {
            _flash.Write(name, position, buffer, offset, Math.Min(TornBytes, count));
            throw new PowerCutException();
        }

        return Counted(_flash.Write(name, position, buffer, offset, count));
    }

    public StorageStatus Truncate(string name, int length)
    {
        CutHere();
        return Counted(_flash.Truncate(name, length));
    }

    public StorageStatus Delete(string name)
    {
        CutHere();
        return Counted(_flash.Delete(name));
    }

    private StorageStatus Counted(StorageStatus status)
    {
        Mutations++;
        return status;
    }

    private void CutHere()
    {
        if (Mutations == CutAt)
        {
            throw new PowerCutException();
        }
    }
}
