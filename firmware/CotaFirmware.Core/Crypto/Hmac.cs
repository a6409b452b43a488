using System;

namespace CotaFirmware.Crypto;

/// <summary>HMAC (RFC 2104) over any <see cref="HashFunction"/>: HMAC-SHA256 with a <see cref="Sha256"/>, HMAC-SHA1 with a <see cref="Sha1"/>.</summary>
/// <remarks>
/// The key is worked into the hash once, at construction: when the hash can snapshot its state (SHA-1, SHA-256),
/// the states after the inner and the outer padded key block are kept, so each message costs only its own blocks
/// plus one outer block. Other hashes replay the kept padded key blocks. After construction nothing allocates.
/// The HMAC owns the hash it is given: do not use that instance elsewhere.
/// </remarks>
public sealed class Hmac : HashFunction
{
    private const byte InnerPadByte = 0x36;
    private const byte OuterPadByte = 0x5c;

    private readonly HashFunction _hash;
    private readonly byte[] _innerDigest;
    private readonly uint[] _innerState;
    private readonly uint[] _outerState;
    private readonly byte[] _innerPad;
    private readonly byte[] _outerPad;

    /// <summary>Creates an HMAC over <paramref name="hash"/> keyed with <paramref name="count"/> bytes of <paramref name="key"/> from <paramref name="offset"/>.</summary>
    /// <remarks>A key longer than the hash's block is hashed first, as RFC 2104 says. The key bytes are not kept.</remarks>
    public Hmac(HashFunction hash, byte[] key, int offset, int count)
    {
        if (hash == null)
        {
            throw new ArgumentNullException("hash");
        }

        ByteView.Check(key, offset, count);
        int blockSize = hash.BlockSize;
        int hashSize = hash.HashSize;
        if (hashSize > blockSize)
        {
            throw new ArgumentException("the hash's digest is longer than its block");
        }

        _hash = hash;
        _innerDigest = new byte[hashSize];
        byte[] innerPad = new byte[blockSize];
        byte[] outerPad = new byte[blockSize];
        if (count > blockSize)
        {
            hash.Reset();
            hash.Update(key, offset, count);
            hash.Final(innerPad, 0);
        }
        else
        {
            Array.Copy(key, offset, innerPad, 0, count);
        }

        for (int i = 0; i < blockSize; i++)
        {
            byte k = innerPad[i];
            innerPad[i] = (byte)(k ^ InnerPadByte);
            outerPad[i] = (byte)(k ^ OuterPadByte);
        }

        int words = hash.StateLength;
        if (words > 0)
        {
            _innerState = new uint[words];
            _outerState = new uint[words];
            hash.Reset();
            hash.Update(innerPad, 0, blockSize);
            hash.SaveState(_innerState, 0);
            hash.Reset();
            hash.Update(outerPad, 0, blockSize);
            hash.SaveState(_outerState, 0);
            Array.Clear(innerPad, 0, blockSize);
            Array.Clear(outerPad, 0, blockSize);
        }
        else
        {
            _innerPad = innerPad;
            _outerPad = outerPad;
        }

        Reset();
    }

    /// <inheritdoc/>
    public override int HashSize
    {
        get { return _innerDigest.Length; }
    }

    /// <inheritdoc/>
    public override int BlockSize
    {
        get { return _hash.BlockSize; }
    }

    /// <inheritdoc/>
    public override void Reset()
    {
        if (_innerState != null)
        {
            _hash.LoadState(_innerState, 0);
        }
        else
        {
            _hash.Reset();
            _hash.Update(_innerPad, 0, _innerPad.Length);
        }
    }

    /// <inheritdoc/>
    public override void Update(byte[] buffer, int offset, int count)
    {
        _hash.Update(buffer, offset, count);
    }

    /// <inheritdoc/>
    public override void Final(byte[] output, int offset)
    {
        byte[] inner = _innerDigest;
        ByteView.Check(output, offset, inner.Length);
        HashFunction hash = _hash;
        hash.Final(inner, 0);
        if (_outerState != null)
        {
            hash.LoadState(_outerState, 0);
        }
        else
        {
            hash.Update(_outerPad, 0, _outerPad.Length);
        }

        hash.Update(inner, 0, inner.Length);
        hash.Final(output, offset);
        Reset();
    }
}
