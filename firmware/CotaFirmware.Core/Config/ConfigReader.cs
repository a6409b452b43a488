using CotaFirmware.Json;
using CotaFirmware.Platform;

namespace CotaFirmware.Config;

/// <summary>A cursor over one stored config's bytes, or one section of them, read in pieces into the caller's buffer.</summary>
/// <remarks>
/// Create one and reuse it: <see cref="ConfigStore.OpenActive"/> and <see cref="ConfigStore.OpenCandidate"/> point it
/// at a slot's content without allocating. It holds no buffer of its own, so a 1 MB config costs the same RAM as a
/// 1 KB one. It reads what the slot holds now: do not stage into a slot while reading it. As an
/// <see cref="IJsonSource"/> it feeds a <see cref="JsonReader"/> straight from flash.
/// </remarks>
public sealed class ConfigReader : IJsonSource
{
    private IStorage _storage;
    private string _area;
    private int _start;
    private int _length;
    private int _position;
    private int _end; // where reading stops: the content's end, or the selected section's

    /// <summary>The content length in bytes (0 when the reader points at nothing).</summary>
    public int Length
    {
        get { return _length; }
    }

    /// <summary>How many bytes have been read since the start.</summary>
    public int Position
    {
        get { return _position; }
    }

    /// <summary>Reads up to <paramref name="count"/> bytes into <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    /// <returns>The number of bytes read, 0 at the end, or a negative <see cref="StorageStatus"/> value as an int.</returns>
    public int Read(byte[] buffer, int offset, int count)
    {
        int remaining = _end - _position;
        if (count > remaining)
        {
            count = remaining;
        }

        if (count <= 0 || _storage == null)
        {
            return 0;
        }

        int read = _storage.Read(_area, _start + _position, buffer, offset, count);
        if (read > 0)
        {
            _position += read;
        }

        // Nothing before the known end means the area changed under the reader: a failure, not a clean end.
        return read == 0 ? (int)StorageStatus.Failed : read;
    }

    /// <summary>Moves the cursor to <paramref name="position"/> bytes from the start (clamped to the content).</summary>
    public void Seek(int position)
    {
        _position = position < 0 ? 0 : (position > _length ? _length : position);
    }

    internal void Open(IStorage storage, string area, int start, int length)
    {
        _storage = storage;
        _area = area;
        _start = start;
        _length = length;
        _end = length;
        _position = 0;
    }

    // Limits reading to length bytes from offset, one section read as a JSON document of its own (the applier's).
    internal void Select(int offset, int length)
    {
        Seek(offset);
        _end = offset + length > _length ? _length : offset + length;
    }

    internal void Close()
    {
        Open(null, null, 0, 0);
    }
}
