using CotaFirmware.Platform;

namespace CotaFirmware.HostTests.Cota;

/// <summary>Thrown by <see cref="PowerCutStorage"/> where the power fails; nothing after it runs.</summary>
public sealed class PowerCutException : Exception
{
}

/// <summary>
/// In-memory <see cref="IStorage"/> that keeps the seam's promise (a returned write is durable) and can cut the
/// power at the N-th mutation (write, truncate, delete), optionally landing only a prefix of that write.
/// </summary>
public sealed class PowerCutStorage : IStorage
{
    private readonly Dictionary<string, byte[]> _areas = new();

    /// <summary>Mutations that completed.</summary>
    public int Mutations { get; private set; }

    /// <summary>The mutation (0-based) at which the power fails; -1 never.</summary>
    public int CutAt { get; set; } = -1;

    /// <summary>When cutting a write, how many of its bytes land first (clamped to the write).</summary>
    public int TornBytes { get; set; }

    public byte[]? Contents(string name) => _areas.TryGetValue(name, out var a) ? (byte[])a.Clone() : null;

    public int Length(string name) => _areas.TryGetValue(name, out var a) ? a.Length : -1;

    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        if (!_areas.TryGetValue(name, out var a))
        {
            return (int)StorageStatus.NotFound;
        }

        int n = Math.Max(0, Math.Min(count, a.Length - position));
        if (n > 0)
        {
            Array.Copy(a, position, buffer, offset, n);
        }

        return n;
    }

    public StorageStatus Write(string name, int position, byte[] buffer, int offset, int count)
    {
        if (Mutations == CutAt)
        {
            Put(name, position, buffer, offset, Math.Min(TornBytes, count));
            throw new PowerCutException();
        }

        Put(name, position, buffer, offset, count);
        Mutations++;
        return StorageStatus.Ok;
    }

    public StorageStatus Truncate(string name, int length)
    {
        CutHere();
        var a = _areas.TryGetValue(name, out var old) ? old : Array.Empty<byte>();
        Array.Resize(ref a, length);
        _areas[name] = a;
        Mutations++;
        return StorageStatus.Ok;
    }

    public StorageStatus Delete(string name)
    {
        CutHere();
        _areas.Remove(name);
        Mutations++;
        return StorageStatus.Ok;
    }

    private void CutHere()
    {
        if (Mutations == CutAt)
        {
            throw new PowerCutException();
        }
    }

    private void Put(string name, int position, byte[] buffer, int offset, int count)
    {
        var a = _areas.TryGetValue(name, out var old) ? old : Array.Empty<byte>();
        if (count == 0 && _areas.ContainsKey(name))
        {
            return;
        }

        if (position + count > a.Length)
        {
            Array.Resize(ref a, position + count);
        }

        Array.Copy(buffer, offset, a, position, count);
        _areas[name] = a;
    }
}
