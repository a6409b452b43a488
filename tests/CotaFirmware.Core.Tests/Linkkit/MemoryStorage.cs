using System;
using System.Collections;
using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>Storage areas in RAM that survive a simulated reboot (the same instance), with failure injection.</summary>
public sealed class MemoryStorage : IStorage
{
    private readonly ArrayList _names = new ArrayList();
    private readonly ArrayList _areas = new ArrayList();

    /// <summary>When set, every write and truncate fails.</summary>
    public bool FailWrites;

    /// <summary>How many writes were made.</summary>
    public int Writes;

    /// <summary>The content of an area as text, or null.</summary>
    public string Text(string name)
    {
        int i = _names.IndexOf(name);
        return i < 0 ? null : Ascii.Text((byte[])_areas[i], 0, ((byte[])_areas[i]).Length);
    }

    /// <summary>Replaces an area's content.</summary>
    public void Put(string name, string content)
    {
        int i = _names.IndexOf(name);
        if (i < 0)
        {
            _names.Add(name);
            _areas.Add(Ascii.Bytes(content));
        }
        else
        {
            _areas[i] = Ascii.Bytes(content);
        }
    }

    /// <inheritdoc/>
    public int Length(string name)
    {
        int i = _names.IndexOf(name);
        return i < 0 ? -1 : ((byte[])_areas[i]).Length;
    }

    /// <inheritdoc/>
    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        int i = _names.IndexOf(name);
        if (i < 0)
        {
            return StorageStatus.NotFound;
        }

        byte[] area = (byte[])_areas[i];
        int n = count < area.Length - position ? count : area.Length - position;
        if (n <= 0)
        {
            return 0;
        }

        Array.Copy(area, position, buffer, offset, n);
        return n;
    }

    /// <inheritdoc/>
    public int Write(string name, int position, byte[] buffer, int offset, int count)
    {
        Writes++;
        if (FailWrites)
        {
            return StorageStatus.Failed;
        }

        int i = _names.IndexOf(name);
        byte[] area = i < 0 ? new byte[0] : (byte[])_areas[i];
        if (position + count > area.Length)
        {
            byte[] grown = new byte[position + count];
            Array.Copy(area, grown, area.Length);
            area = grown;
        }

        Array.Copy(buffer, offset, area, position, count);
        if (i < 0)
        {
            _names.Add(name);
            _areas.Add(area);
        }
        else
        {
            _areas[i] = area;
        }

        return StorageStatus.Ok;
    }

    /// <inheritdoc/>
    public int Truncate(string name, int length)
    {
        if (FailWrites)
        {
            return StorageStatus.Failed;
        }

        int i = _names.IndexOf(name);
        byte[] area = new byte[length];
        if (i >= 0)
        {
            byte[] old = (byte[])_areas[i];
            Array.Copy(old, area, old.Length < length ? old.Length : length);
            _areas[i] = area;
        }
        else
        {
            _names.Add(name);
            _areas.Add(area);
        }

        return StorageStatus.Ok;
    }

    /// <inheritdoc/>
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
}
