using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Json;

/// <summary>A storage holding one read-only area in memory, serving at most a given number of bytes per read, as flash drivers may.</summary>
public sealed class OneAreaStorage : IStorage
{
    private readonly string _name;
    private readonly byte[] _bytes;
    private readonly int _maxRead;

    /// <summary>Holds <paramref name="bytes"/> as area <paramref name="name"/>.</summary>
    public OneAreaStorage(string name, byte[] bytes, int maxRead)
    {
        _name = name;
        _bytes = bytes;
        _maxRead = maxRead;
    }

    /// <inheritdoc/>
    public int Length(string name) => name == _name ? _bytes.Length : -1;

    /// <inheritdoc/>
    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        if (name != _name)
        {
            return (int)StorageStatus.NotFound;
        }

        int n = _bytes.Length - position;
        n = n < count ? n : count;
        n = n < _maxRead ? n : _maxRead;
        for (int i = 0; i < n; i++)
        {
            buffer[offset + i] = _bytes[position + i];
        }

        return n;
    }

    /// <inheritdoc/>
    public StorageStatus Write(string name, int position, byte[] buffer, int offset, int count) => StorageStatus.Failed;

    /// <inheritdoc/>
    public StorageStatus Truncate(string name, int length) => StorageStatus.Failed;

    /// <inheritdoc/>
    public StorageStatus Delete(string name) => StorageStatus.Failed;
}
