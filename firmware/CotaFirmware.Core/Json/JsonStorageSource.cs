using CotaFirmware.Platform;

namespace CotaFirmware.Json;

/// <summary>Streams one storage area (a config file in flash) into a <see cref="JsonReader"/>: the <see cref="IJsonSource"/> over <see cref="IStorage"/>.</summary>
/// <remarks>Reusable: <see cref="Open"/> starts the next area without allocating. Storage errors pass through as their negative <see cref="StorageStatus"/> codes.</remarks>
public sealed class JsonStorageSource : IJsonSource
{
    private IStorage _storage;
    private string _name;
    private int _position;
    private int _length;

    /// <summary>Starts reading area <paramref name="name"/> of <paramref name="storage"/> from its first byte.</summary>
    /// <returns>The area's length, or <see cref="StorageStatus.NotFound"/> (then every read returns that code).</returns>
    public int Open(IStorage storage, string name)
    {
        if (storage == null || name == null)
        {
            throw new System.ArgumentNullException(storage == null ? "storage" : "name");
        }

        _storage = storage;
        _name = name;
        _position = 0;
        _length = storage.Length(name);
        return _length < 0 ? (int)StorageStatus.NotFound : _length;
    }

    /// <summary>How many bytes have been handed to the reader so far.</summary>
    public int Position => _position;

    /// <inheritdoc/>
    public int Read(byte[] buffer, int offset, int count)
    {
        if (_storage == null)
        {
            return (int)StorageStatus.Failed;
        }

        if (_length < 0)
        {
            return (int)StorageStatus.NotFound;
        }

        int left = _length - _position;
        if (left <= 0)
        {
            return 0;
        }

        int n = _storage.Read(_name, _position, buffer, offset, count < left ? count : left);
        if (n > 0)
        {
            _position += n;
        }

        // Nothing read before the known end means the area changed under the reader: not a clean end.
        return n == 0 ? (int)StorageStatus.Failed : n;
    }
}
