using CotaFirmware.Crypto;

namespace CotaFirmware.Tests.Config;

/// <summary>A stand-in hash for the store's tests: FNV-1a lanes, each seeded differently, giving 4 or 32 bytes.</summary>
/// <remarks>Not a cryptographic hash; enough to tell any changed byte from the original in these tests.</remarks>
public sealed class TestDigest : HashFunction
{
    private readonly uint[] _lanes;

    /// <summary>A digest of <paramref name="size"/> bytes (a multiple of 4).</summary>
    public TestDigest(int size)
    {
        _lanes = new uint[size / 4];
        Reset();
    }

    /// <inheritdoc />
    public override int HashSize
    {
        get { return _lanes.Length * 4; }
    }

    /// <inheritdoc />
    public override int BlockSize
    {
        get { return 64; }
    }

    /// <inheritdoc />
    public override void Reset()
    {
        for (int k = 0; k < _lanes.Length; k++)
        {
            _lanes[k] = 2166136261u + (uint)k * 40503u;
        }
    }

    /// <inheritdoc />
    public override void Update(byte[] buffer, int offset, int count)
    {
        uint[] lanes = _lanes;
        int n = lanes.Length;
        for (int i = offset; i < offset + count; i++)
        {
            uint b = buffer[i];
            for (int k = 0; k < n; k++)
            {
                lanes[k] = (lanes[k] ^ (b + (uint)k)) * 16777619u;
            }
        }
    }

    /// <inheritdoc />
    public override void Final(byte[] output, int offset)
    {
        for (int k = 0; k < _lanes.Length; k++)
        {
            uint v = _lanes[k];
            output[offset + 4 * k] = (byte)v;
            output[offset + 4 * k + 1] = (byte)(v >> 8);
            output[offset + 4 * k + 2] = (byte)(v >> 16);
            output[offset + 4 * k + 3] = (byte)(v >> 24);
        }

        Reset();
    }
}
