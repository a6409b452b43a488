using CotaFirmware.Crypto;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>HMAC-SHA256 and HMAC-SHA1 for signing, as an <see cref="IMac"/> over the core's managed <see cref="Hmac"/>.</summary>
/// <remarks>
/// Used once per connection and registration, so the interpreter's cost (a few blocks of SHA-256) does not matter.
/// nanoFramework's native <c>HMACSHA256.HashData</c> (package nanoFramework.System.Security.Cryptography, whose
/// version for the mscorlib 1.17.11 line is not established yet) can take this class's place without other changes.
/// </remarks>
public sealed class ManagedMac : IMac
{
    /// <inheritdoc />
    public int Compute(MacMethod method, byte[] key, int keyOffset, int keyCount,
        byte[] message, int messageOffset, int messageCount, byte[] output, int outputOffset)
    {
        HashFunction hash;
        if (method == MacMethod.HmacSha256)
        {
            hash = new Sha256();
        }
        else if (method == MacMethod.HmacSha1)
        {
            hash = new Sha1();
        }
        else
        {
            return -1;
        }

        Hmac hmac = new Hmac(hash, key, keyOffset, keyCount);
        hmac.Update(message, messageOffset, messageCount);
        hmac.Final(output, outputOffset);
        return hmac.HashSize;
    }
}
