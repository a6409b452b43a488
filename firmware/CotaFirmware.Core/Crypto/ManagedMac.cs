using CotaFirmware.Platform;

namespace CotaFirmware.Crypto;

/// <summary>The <see cref="IMac"/> seam computed in managed code, for boards without native HMAC (and the host).</summary>
/// <remarks>
/// Each call builds the HMAC's key state (a few small arrays): signing happens once per connection or
/// registration, not per message, so this is not steady-state work.
/// </remarks>
public sealed class ManagedMac : IMac
{
    private readonly Sha256 _sha256 = new Sha256();
    private readonly Sha1 _sha1 = new Sha1();

    /// <inheritdoc/>
    public int Compute(MacMethod method, byte[] key, int keyOffset, int keyCount,
        byte[] message, int messageOffset, int messageCount, byte[] output, int outputOffset)
    {
        HashFunction hash;
        switch (method)
        {
            case MacMethod.HmacSha256:
                hash = _sha256;
                break;
            case MacMethod.HmacSha1:
                hash = _sha1;
                break;
            default:
                return -1;
        }

        var hmac = new Hmac(hash, key, keyOffset, keyCount);
        hmac.Update(message, messageOffset, messageCount);
        hmac.Final(output, outputOffset);
        return hmac.HashSize;
    }
}
