using System;
using System.Collections;
using CotaFirmware.Platform;

namespace CotaFirmware.Tests;

/// <summary>Storage in RAM for the tests, held to the IStorage contract (no holes, truncate never extends); it logs every write, truncate and delete (area and bytes), and clones as a flash image for power-cut replays.</summary>
public sealed class MemoryStorage : IStorage
{
    private readonly ArrayList _names = new ArrayList();
    private readonly ArrayList _data = new ArrayList();

    // Lengths in a plain array, so a write boxes nothing: a benchmark's steady state allocates nothing here.
    private int[] _lengths = new int[8];

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

    /// <summary>Cleared, <see cref="WrittenAreas"/> and <see cref="WrittenCounts"/> stay empty, so writes allocate nothing (for benchmarks and long fuzz runs).</summary>
    public bool KeepsLog = true;

    /// <summary>When set, a write that would grow an area whose name begins with this fails as a full flash does (<see cref="StorageStatus.Full"/>) and changes nothing.</summary>
    public string FullArea;

    /// <summary>When set, a write to an area whose name begins with this lands whole, then reports <see cref="StorageStatus.Failed"/> (a file whose closing failed after its bytes reached the flash).</summary>
    public string FailsAfterWriting;

    /// <summary>When above 0, a read returns at most this many bytes, as a flash driver that reads in pieces may.</summary>
    public int MaxReadCount;

    /// <summary>When set, every read of an area whose name begins with this fails (<see cref="StorageStatus.Failed"/>) as a flash read error does; its bytes stay.</summary>
    public string UnreadableArea;

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
        }

        copy._lengths = (int[])_lengths.Clone();

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

        int length = _lengths[i];
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
        int i = Area(name);

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
        return i < 0 ? -1 : _lengths[i];
    }

    /// <inheritdoc />
    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        int i = IndexOf(name);
        if (i < 0)
        {
            return (int)StorageStatus.NotFound;
        }

        int length = _lengths[i];
        if (position < 0 || position > length || (UnreadableArea != null && name.IndexOf(UnreadableArea) == 0))
        {
            return (int)StorageStatus.Failed;
        }

        int n = length - position < count ? length - position : count;
        if (MaxReadCount > 0 && n > MaxReadCount)
        {
            n = MaxReadCount;
        }

        Array.Copy((byte[])_data[i], position, buffer, offset, n);
        BytesRead += n;
        return n;
    }

    /// <inheritdoc />
    public StorageStatus Write(string name, int position, byte[] buffer, int offset, int count)
    {
        Logged(name, count);
        if (FailWrites)
        {
            return StorageStatus.Failed;
        }

        int i = Area(name);

        int length = _lengths[i];
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
        return FailsAfterWriting != null && name.IndexOf(FailsAfterWriting) == 0 ? StorageStatus.Failed : StorageStatus.Ok;
    }

    /// <inheritdoc />
    public StorageStatus Truncate(string name, int length)
    {
        Logged(name, 0);
        if (FailWrites)
        {
            return StorageStatus.Failed;
        }

        int i = Area(name);

        if (length < 0 || length > _lengths[i])
        {
            return StorageStatus.Failed;
        }

        _lengths[i] = length;
        return StorageStatus.Ok;
    }

    /// <inheritdoc />
    public StorageStatus Delete(string name)
    {
        Logged(name, 0);
        int i = IndexOf(name);
        if (i >= 0)
        {
            // Kept with no length, so its buffer serves the area's next life without allocating.
            _lengths[i] = -1;
        }

        return StorageStatus.Ok;
    }

    private void Logged(string name, int count)
    {
        if (KeepsLog)
        {
            WrittenAreas.Add(name);
            WrittenCounts.Add(count);
        }
    }

    // The index of the area that a write or truncate changes: the existing one, one deleted before (now empty), or a new one.
    private int Area(string name)
    {
        for (int i = 0; i < _names.Count; i++)
        {
            if ((string)_names[i] == name)
            {
                if (_lengths[i] < 0)
                {
                    _lengths[i] = 0;
                }

                return i;
            }
        }

        if (_names.Count == _lengths.Length)
        {
            int[] larger = new int[_lengths.Length * 2];
            Array.Copy(_lengths, larger, _lengths.Length);
            _lengths = larger;
        }

        _names.Add(name);
        _data.Add(new byte[64]);
        _lengths[_names.Count - 1] = 0;
        return _names.Count - 1;
    }

    // The index of the existing area called name, or -1 (a deleted area does not exist).
    private int IndexOf(string name)
    {
        for (int i = 0; i < _names.Count; i++)
        {
            if (_lengths[i] >= 0 && (string)_names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
