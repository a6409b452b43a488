using CotaFirmware.Platform;
using CotaFirmware.Tests;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace CotaFirmware.HostTests.Cota;

/// <summary>Thrown by <see cref="PowerCutStorage"/> where the power fails; nothing after it runs.</summary>
public sealed class PowerCutException : Exception
{
}

/// <summary>
/// <see cref="MemoryStorage"/> whose power fails at the N-th mutation (write, truncate, delete), optionally landing
/// only a prefix of that write. Unlike FaultyStorage (which fails every later write), the cut throws, so
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

    /// <summary>
    /// Runs <paramref name="operation"/> once on flash prepared by <paramref name="before"/> to count its writes, then
    /// again on fresh flash for each write, cut there with each of <paramref name="tears"/> bytes landing; after each cut
    /// the power is back and <paramref name="landed"/> checks the flash (given where the cut was) and says whether the
    /// operation's effect is there. The uncut run must land.
    /// </summary>
    /// <returns>How many cuts landed, and in <paramref name="cuts"/> how many there were.</returns>
    public static int CutAtEveryWrite(Action<PowerCutStorage> before, Action<PowerCutStorage> operation, int[] tears,
        Func<PowerCutStorage, string, bool> landed, out int cuts)
    {
        var whole = new PowerCutStorage();
        before(whole);
        int setup = whole.Mutations;
        operation(whole);
        int writes = whole.Mutations - setup;
        Assert.IsTrue(writes >= 1, "the operation writes");
        Assert.IsTrue(landed(whole, "without a cut"), "without a cut the operation lands");

        int count = 0;
        cuts = 0;
        for (int cut = 0; cut < writes; cut++)
        {
            foreach (int tear in tears)
            {
                var flash = new PowerCutStorage();
                before(flash);
                flash.CutAt = setup + cut;
                flash.TornBytes = tear;
                Assert.ThrowsExactly<PowerCutException>(() => operation(flash));
                flash.CutAt = -1;
                if (landed(flash, $"cut at write {cut + 1}/{writes}, torn {tear}"))
                {
                    count++;
                }

                cuts++;
            }
        }

        return count;
    }

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
