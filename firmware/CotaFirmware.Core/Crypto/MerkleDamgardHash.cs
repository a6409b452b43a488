using System;

namespace CotaFirmware.Crypto;

/// <summary>The buffering and padding that SHA-1 and SHA-256 share: 64-byte blocks, a 0x80 pad and a big-endian bit length.</summary>
/// <remarks>
/// Whole blocks are handed to <see cref="Compress"/> straight from the caller's buffer; only a partial block is
/// copied. The digest is the chaining state written big-endian, so <see cref="HashFunction.HashSize"/> is four
/// bytes per state word.
/// </remarks>
public abstract class MerkleDamgardHash : HashFunction
{
    /// <summary>The block length in bytes.</summary>
    internal const int BlockLength = 64;

    private const int LengthOffset = BlockLength - 8;

    /// <summary>The chaining state, one word per digest word.</summary>
    internal readonly uint[] ChainingState;

    private readonly byte[] _block = new byte[BlockLength];
    private int _blockFill;
    private long _length;

    /// <summary>Creates the hash with <paramref name="stateWords"/> words of chaining state, and starts a message.</summary>
    internal MerkleDamgardHash(int stateWords)
    {
        ChainingState = new uint[stateWords];
        Reset();
    }

    /// <inheritdoc/>
    public sealed override int HashSize
    {
        get { return ChainingState.Length * 4; }
    }

    /// <inheritdoc/>
    public sealed override int BlockSize
    {
        get { return BlockLength; }
    }

    /// <summary>Writes the algorithm's initial values into <paramref name="state"/>.</summary>
    /// <remarks>Also called from this class's constructor, before the derived constructor body runs: write constants only.</remarks>
    internal abstract void InitializeState(uint[] state);

    /// <summary>Runs the compression function over <paramref name="blocks"/> consecutive blocks of <paramref name="data"/> from <paramref name="offset"/>.</summary>
    internal abstract void Compress(byte[] data, int offset, int blocks);

    /// <inheritdoc/>
    public sealed override void Reset()
    {
        InitializeState(ChainingState);
        _blockFill = 0;
        _length = 0;
    }

    /// <inheritdoc/>
    public sealed override void Update(byte[] buffer, int offset, int count)
    {
        ByteView.Check(buffer, offset, count);
        if (count == 0)
        {
            return;
        }

        _length += count;
        int fill = _blockFill;
        if (fill > 0)
        {
            int take = BlockLength - fill;
            if (take > count)
            {
                take = count;
            }

            Array.Copy(buffer, offset, _block, fill, take);
            fill += take;
            offset += take;
            count -= take;
            if (fill < BlockLength)
            {
                _blockFill = fill;
                return;
            }

            Compress(_block, 0, 1);
        }

        int blocks = count / BlockLength;
        if (blocks > 0)
        {
            Compress(buffer, offset, blocks);
            int whole = blocks * BlockLength;
            offset += whole;
            count -= whole;
        }

        if (count > 0)
        {
            Array.Copy(buffer, offset, _block, 0, count);
        }

        _blockFill = count;
    }

    /// <inheritdoc/>
    public sealed override void Final(byte[] output, int offset)
    {
        uint[] state = ChainingState;
        ByteView.Check(output, offset, state.Length * 4);
        byte[] block = _block;
        int fill = _blockFill;
        long bits = _length << 3;

        block[fill++] = 0x80;
        if (fill > LengthOffset)
        {
            while (fill < BlockLength)
            {
                block[fill++] = 0;
            }

            Compress(block, 0, 1);
            fill = 0;
        }

        while (fill < LengthOffset)
        {
            block[fill++] = 0;
        }

        block[56] = (byte)(bits >> 56);
        block[57] = (byte)(bits >> 48);
        block[58] = (byte)(bits >> 40);
        block[59] = (byte)(bits >> 32);
        block[60] = (byte)(bits >> 24);
        block[61] = (byte)(bits >> 16);
        block[62] = (byte)(bits >> 8);
        block[63] = (byte)bits;
        Compress(block, 0, 1);

        for (int i = 0; i < state.Length; i++)
        {
            uint v = state[i];
            output[offset] = (byte)(v >> 24);
            output[offset + 1] = (byte)(v >> 16);
            output[offset + 2] = (byte)(v >> 8);
            output[offset + 3] = (byte)v;
            offset += 4;
        }

        // The padded block held message bytes: do not leave them behind.
        Array.Clear(block, 0, BlockLength);
        Reset();
    }

    internal override int StateLength
    {
        get { return ChainingState.Length + 2; }
    }

    internal override void SaveState(uint[] state, int offset)
    {
        if (_blockFill != 0)
        {
            throw new InvalidOperationException();
        }

        uint[] chaining = ChainingState;
        Array.Copy(chaining, 0, state, offset, chaining.Length);
        offset += chaining.Length;
        state[offset] = (uint)(_length >> 32);
        state[offset + 1] = (uint)_length;
    }

    internal override void LoadState(uint[] state, int offset)
    {
        uint[] chaining = ChainingState;
        Array.Copy(state, offset, chaining, 0, chaining.Length);
        offset += chaining.Length;
        _length = (long)state[offset] << 32 | state[offset + 1];
        _blockFill = 0;
    }
}
