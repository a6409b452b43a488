using System;
using System.Collections;
using CotaFirmware.Platform;

namespace CotaFirmware.Tests;

/// <summary>Storage in RAM for the tests, held to the IStorage contract (no holes, truncate never extends); it logs every write, truncate and delete (area and bytes), and clones as a flash image for power-cut replays.</summary>
public sealed class MemoryStorage : IStorage
{
    private readonly ArrayList _names = new ArrayList();
    private readonly ArrayList _data = new ArrayList();
    private readonly ArrayList _lengths = new ArrayList();

    /// <summary>The area names of every write, truncate and delete, in order.</summary>
    public readonly ArrayList WrittenAreas = new ArrayList();

    /// <summary>Beside <see cref="WrittenAreas"/>, the bytes each carried (an int): the count for a write, 0 for a truncate or delete.</summary>
    public readonly ArrayList WrittenCounts = new ArrayList();

    /// <summary>How many bytes all reads returned.</summary>
    public int BytesRead;

    /// <summary>Writes that succeeded so far.</summary>
    public int WriteCount;

    /// <summary>When set, every write and truncate fails as a full or broken flash would, and changes nothing.</summary>
    public bool FailWrites;

    /// <summary>When set, a write that would grow an area whose name begins with this fails as a full flash does (<see cref="StorageStatus.Full"/>) and changes nothing.</summary>
    public string FullArea;

    /// <summary>Empties <see cref="WrittenAreas"/> and <see cref="WrittenCounts"/> together.</summary>
    public void ClearLog()
    {
        WrittenAreas.Clear();
        WrittenCounts.Clear();
    }

    /// <summary>A storage holding copies of this one's areas, with its own logs and no failures set (a flash image to replay from).</summary>
    public MemoryStorage Clone()
    {
        MemoryStorage copy = new MemoryStorage();
        for (int i = 0; i < _names.Count; i++)
        {
            copy._names.Add(_names[i]);
            copy._data.Add(((byte[])_data[i]).Clone());
            copy._lengths.Add(_lengths[i]);
        }

        return copy;
    }

    /// <summary>A copy of the area's bytes, or null when it does not exist.</summary>
    public byte[] Contents(string name)
    {
        int i = IndexOf(name);
        if (i < 0)
        {
            return null;
        }

        int length = (int)_lengths[i];
        byte[] copy = new byte[length];
        Array.Copy((byte[])_data[i], copy, length);
        return copy;
    }

    /// <summary>The area's bytes as ASCII text, or null when it does not exist.</summary>
    public string Text(string name)
    {
        byte[] bytes = Contents(name);
        if (bytes == null)
        {
            return null;
        }

        char[] chars = new char[bytes.Length];
        for (int k = 0; k < bytes.Length; k++)
        {
            chars[k] = (char)bytes[k];
        }

        return new string(chars);
    }

    /// <summary>Replaces the area's content with ASCII <paramref name="content"/>, as if an earlier boot had written it.</summary>
    public void Put(string name, string content)
    {
        int i = IndexOf(name);
        if (i < 0)
        {
            i = Create(name);
        }

        char[] chars = content.ToCharArray();
        byte[] data = new byte[chars.Length + 1];
        for (int k = 0; k < chars.Length; k++)
        {
            data[k] = (byte)chars[k];
        }

        _data[i] = data;
        _lengths[i] = chars.Length;
    }

    /// <summary>True when any write, truncate or delete touched <paramref name="name"/> since the log was cleared.</summary>
    public bool WasWritten(string name)
    {
        for (int i = 0; i < WrittenAreas.Count; i++)
        {
            if ((string)WrittenAreas[i] == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Flips bits of the byte at <paramref name="position"/> of area <paramref name="name"/>, as flash rot would.</summary>
    public void Corrupt(string name, int position)
    {
        int i = IndexOf(name);
        byte[] data = (byte[])_data[i];
        data[position] ^= 0x5A;
    }

    /// <inheritdoc />
    public int Length(string name)
    {
        int i = IndexOf(name);
        return i < 0 ? -1 : (int)_lengths[i];
    }

    /// <inheritdoc />
    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        int i = IndexOf(name);
        if (i < 0)
        {
            return (int)StorageStatus.NotFound;
        }

        int length = (int)_lengths[i];
        if (position < 0 || position > length)
        {
            return (int)StorageStatus.Failed;
        }

        int n = length - position < count ? length - position : count;
        Array.Copy((byte[])_data[i], position, buffer, offset, n);
        BytesRead += n;
        return n;
    }

    /// <inheritdoc />
    public StorageStatus Write(string name, int position, byte[] buffer, int offset, int count)
    {
        WrittenAreas.Add(name);
        WrittenCounts.Add(count);
        if (FailWrites)
        {
            return StorageStatus.Failed;
        }

        int i = IndexOf(name);
        if (i < 0)
        {
            i = Create(name);
        }

        int length = (int)_lengths[i];
        if (position < 0 || position > length)
        {
            return StorageStatus.Failed;
        }

        if (FullArea != null && name.IndexOf(FullArea) == 0 && position + count > length)
        {
            return StorageStatus.Full;
        }

        byte[] data = (byte[])_data[i];
        if (position + count > data.Length)
        {
            byte[] larger = new byte[(position + count) * 2];
            Array.Copy(data, larger, length);
            data = larger;
            _data[i] = data;
        }

        Array.Copy(buffer, offset, data, position, count);
        if (position + count > length)
        {
            _lengths[i] = position + count;
        }

        WriteCount++;
        return StorageStatus.Ok;
    }

    /// <inheritdoc />
    public StorageStatus Truncate(string name, int length)
    {
        WrittenAreas.Add(name);
        WrittenCounts.Add(0);
        if (FailWrites)
        {
            return StorageStatus.Failed;
        }

        int i = IndexOf(name);
        if (i < 0)
        {
            i = Create(name);
        }

        if (length < 0 || length > (int)_lengths[i])
        {
            return StorageStatus.Failed;
        }

        _lengths[i] = length;
        return StorageStatus.Ok;
    }

    /// <inheritdoc />
    public StorageStatus Delete(string name)
    {
        WrittenAreas.Add(name);
        WrittenCounts.Add(0);
        int i = IndexOf(name);
        if (i >= 0)
        {
            _names.RemoveAt(i);
            _data.RemoveAt(i);
            _lengths.RemoveAt(i);
        }

        return StorageStatus.Ok;
    }

    private int Create(string name)
    {
        _names.Add(name);
        _data.Add(new byte[64]);
        _lengths.Add(0);
        return _names.Count - 1;
    }

    private int IndexOf(string name)
    {
        for (int i = 0; i < _names.Count; i++)
        {
            if ((string)_names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
