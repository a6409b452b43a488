using System.Security.Cryptography;
using CotaFirmware.Crypto;

namespace CotaFirmware.HostTests;

/// <summary>SHA-256 from System.Security.Cryptography behind the core's hash contract.</summary>
public sealed class DotNetSha256 : HashFunction
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public override int HashSize => 32;

    public override int BlockSize => 64;

    public override void Reset()
    {
        Span<byte> discard = stackalloc byte[32];
        _hash.GetHashAndReset(discard);
    }

    public override void Update(byte[] buffer, int offset, int count) => _hash.AppendData(buffer, offset, count);

    public override void Final(byte[] output, int offset) => _hash.GetHashAndReset(output.AsSpan(offset, 32));
}
