using CotaFirmware.Json;

namespace CotaFirmware.Tests.Json;

/// <summary>A document in memory served in chunks of at most a given size (or of random sizes up to it), or failing after a given number of bytes.</summary>
public sealed class ArraySource : IJsonSource
{
    private readonly byte[] _doc;
    private readonly int _chunk;
    private readonly int _failAt;
    private readonly int _failCode;
    private readonly Random _random;
    private int _pos;

    /// <summary>Serves <paramref name="doc"/> in chunks of at most <paramref name="chunk"/> bytes.</summary>
    public ArraySource(byte[] doc, int chunk)
        : this(doc, chunk, int.MaxValue, 0)
    {
    }

    /// <summary>Serves <paramref name="doc"/> in chunks of a size <paramref name="random"/> picks from 1 to <paramref name="chunk"/> bytes each time.</summary>
    public ArraySource(byte[] doc, int chunk, Random random)
        : this(doc, chunk, int.MaxValue, 0)
    {
        _random = random;
    }

    /// <summary>Serves <paramref name="doc"/>, then returns <paramref name="failCode"/> once <paramref name="failAt"/> bytes were served.</summary>
    public ArraySource(byte[] doc, int chunk, int failAt, int failCode)
    {
        _doc = doc;
        _chunk = chunk;
        _failAt = failAt;
        _failCode = failCode;
    }

    /// <summary>How many times the reader called <see cref="Read"/>.</summary>
    public int Calls { get; private set; }

    /// <inheritdoc/>
    public int Read(byte[] buffer, int offset, int count)
    {
        Calls++;
        if (_pos >= _failAt)
        {
            return _failCode;
        }

        int n = _doc.Length - _pos;
        if (n > count)
        {
            n = count;
        }

        if (n > _chunk)
        {
            n = _chunk;
        }

        if (n > _failAt - _pos)
        {
            n = _failAt - _pos;
        }

        if (_random != null && n > 1)
        {
            n = _random.Next(n) + 1;
        }

        for (int i = 0; i < n; i++)
        {
            buffer[offset + i] = _doc[_pos + i];
        }

        _pos += n;
        return n;
    }
}
