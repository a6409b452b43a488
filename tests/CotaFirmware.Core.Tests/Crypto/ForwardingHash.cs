using CotaFirmware.Crypto;

namespace CotaFirmware.Tests.Crypto;

/// <summary>A hash defined outside the core that only forwards: it cannot snapshot its state, so HMAC must replay its padded key blocks.</summary>
public sealed class ForwardingHash : HashFunction
{
    private readonly HashFunction _inner;

    /// <summary>Forwards every call to <paramref name="inner"/>.</summary>
    public ForwardingHash(HashFunction inner)
    {
        _inner = inner;
    }

    /// <inheritdoc/>
    public override int HashSize
    {
        get { return _inner.HashSize; }
    }

    /// <inheritdoc/>
    public override int BlockSize
    {
        get { return _inner.BlockSize; }
    }

    /// <inheritdoc/>
    public override void Reset()
    {
        _inner.Reset();
    }

    /// <inheritdoc/>
    public override void Update(byte[] buffer, int offset, int count)
    {
        _inner.Update(buffer, offset, count);
    }

    /// <inheritdoc/>
    public override void Final(byte[] output, int offset)
    {
        _inner.Final(output, offset);
    }
}
