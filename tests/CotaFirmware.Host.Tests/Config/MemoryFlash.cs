using CotaFirmware.Platform;

namespace CotaFirmware.HostTests.Config;

/// <summary>Fast in-RAM storage for the power-cut loops: clonable, and it logs the size of every write.</summary>
public sealed class MemoryFlash : IStorage
{
    private readonly Dictionary<string, byte[]> _areas = new();

    /// <summary>Every write, truncate and delete in order: the bytes a write carries, or 0 for a truncate or delete.</summary>
    public List<int> WriteSizes { get; } = new();

    public MemoryFlash Clone()
    {
        var copy = new MemoryFlash();
        foreach (var (name, data) in _areas)
        {
            copy._areas[name] = (byte[])data.Clone();
        }

        return copy;
    }

    public int Length(string name) => _areas.TryGetValue(name, out var data) ? data.Length : -1;

    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        if (!_areas.TryGetValue(name, out var data))
        {
            return (int)StorageStatus.NotFound;
        }

        if (position < 0 || position > data.Length)
        {
            return (int)StorageStatus.Failed;
        }

        int n = Math.Min(count, data.Length - position);
        Array.Copy(data, position, buffer, offset, n);
        return n;
    }

    public StorageStatus Write(string name, int position, byte[] buffer, int offset, int count)
    {
        WriteSizes.Add(count);
        var data = _areas.TryGetValue(name, out var existing) ? existing : Array.Empty<byte>();
        if (position < 0 || position > data.Length)
        {
            return StorageStatus.Failed;
        }

        if (position + count > data.Length)
        {
            Array.Resize(ref data, position + count);
        }

        Array.Copy(buffer, offset, data, position, count);
        _areas[name] = data;
        return StorageStatus.Ok;
    }

    public StorageStatus Truncate(string name, int length)
    {
        WriteSizes.Add(0);
        var data = _areas.TryGetValue(name, out var existing) ? existing : Array.Empty<byte>();
        if (length < 0 || length > data.Length)
        {
            return StorageStatus.Failed;
        }

        _areas[name] = data[..length];
        return StorageStatus.Ok;
    }

    public StorageStatus Delete(string name)
    {
        WriteSizes.Add(0);
        _areas.Remove(name);
        return StorageStatus.Ok;
    }
}
