using System.Collections;
using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Cota;

/// <summary>An in-memory <see cref="IStorage"/> for tests, with a switch that makes writes fail.</summary>
public sealed class MemoryStorage : IStorage
{
    private readonly ArrayList _names = new ArrayList();
    private readonly ArrayList _areas = new ArrayList();

    /// <summary>When true every Write returns <see cref="StorageStatus.Failed"/>.</summary>
    public bool FailWrites;

    /// <summary>Writes that succeeded so far.</summary>
    public int WriteCount;

    /// <summary>The area's length, or -1.</summary>
    public int Length(string name)
    {
        int i = _names.IndexOf(name);
        return i < 0 ? -1 : ((byte[])_areas[i]).Length;
    }

    /// <summary>Reads from an area.</summary>
    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        int i = _names.IndexOf(name);
        if (i < 0)
        {
            return StorageStatus.NotFound;
        }

        byte[] data = (byte[])_areas[i];
        if (position >= data.Length)
        {
            return 0;
        }

        int n = data.Length - position < count ? data.Length - position : count;
        System.Array.Copy(data, position, buffer, offset, n);
        return n;
    }

    /// <summary>Writes into an area, growing it.</summary>
    public int Write(string name, int position, byte[] buffer, int offset, int count)
    {
        if (FailWrites)
        {
            return StorageStatus.Failed;
        }

        int i = _names.IndexOf(name);
        byte[] data = i < 0 ? new byte[0] : (byte[])_areas[i];
        if (position < 0 || position > data.Length)
        {
            // The IStorage contract: no holes.
            return StorageStatus.Failed;
        }

        if (position + count > data.Length)
        {
            byte[] grown = new byte[position + count];
            System.Array.Copy(data, grown, data.Length);
            data = grown;
        }

        System.Array.Copy(buffer, offset, data, position, count);
        Put(name, data);
        WriteCount++;
        return StorageStatus.Ok;
    }

    /// <summary>Cuts or creates an area.</summary>
    public int Truncate(string name, int length)
    {
        int i = _names.IndexOf(name);
        byte[] data = i < 0 ? new byte[0] : (byte[])_areas[i];
        byte[] cut = new byte[length];
        System.Array.Copy(data, cut, data.Length < length ? data.Length : length);
        Put(name, cut);
        return StorageStatus.Ok;
    }

    /// <summary>Removes an area.</summary>
    public int Delete(string name)
    {
        int i = _names.IndexOf(name);
        if (i >= 0)
        {
            _names.RemoveAt(i);
            _areas.RemoveAt(i);
        }

        return StorageStatus.Ok;
    }

    /// <summary>A copy of the area's bytes, or null.</summary>
    public byte[] Contents(string name)
    {
        int i = _names.IndexOf(name);
        if (i < 0)
        {
            return null;
        }

        byte[] data = (byte[])_areas[i];
        byte[] copy = new byte[data.Length];
        System.Array.Copy(data, copy, data.Length);
        return copy;
    }

    private void Put(string name, byte[] data)
    {
        int i = _names.IndexOf(name);
        if (i < 0)
        {
            _names.Add(name);
            _areas.Add(data);
        }
        else
        {
            _areas[i] = data;
        }
    }
}
