using CotaFirmware.Crypto;

namespace CotaFirmware.Tests.Json;

/// <summary>A stand-in hash that keeps every byte fed to it, to check exactly what a reader hashes.</summary>
public sealed class RecordingHash : HashFunction
{
    private readonly byte[] _bytes;
    private int _count;

    /// <summary>Creates a recorder that holds up to <paramref name="capacity"/> bytes.</summary>
    public RecordingHash(int capacity)
    {
        _bytes = new byte[capacity];
    }

    /// <summary>How many times <see cref="Update"/> was called.</summary>
    public int Updates { get; private set; }

    /// <inheritdoc/>
    public override int HashSize => 0;

    /// <inheritdoc/>
    public override int BlockSize => 64;

    /// <summary>The bytes fed so far, as ASCII/Latin-1 text.</summary>
    public string Text()
    {
        char[] chars = new char[_count];
        for (int i = 0; i < _count; i++)
        {
            chars[i] = (char)_bytes[i];
        }

        return new string(chars);
    }

    /// <inheritdoc/>
    public override void Reset()
    {
        _count = 0;
        Updates = 0;
    }

    /// <inheritdoc/>
    public override void Update(byte[] buffer, int offset, int count)
    {
        Updates++;
        for (int i = 0; i < count; i++)
        {
            _bytes[_count++] = buffer[offset + i];
        }
    }

    /// <inheritdoc/>
    public override void Final(byte[] output, int offset)
    {
        Reset();
    }
}
