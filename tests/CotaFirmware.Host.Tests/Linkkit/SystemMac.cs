using System.Security.Cryptography;

namespace CotaFirmware.HostTests.Linkkit;

/// <summary>The HMAC seam over .NET's System.Security.Cryptography: the reference the core's signing is checked against.</summary>
public sealed class SystemMac : IMac
{
    public int Compute(MacMethod method, byte[] key, int keyOffset, int keyCount, byte[] message, int messageOffset, int messageCount, byte[] output, int outputOffset)
    {
        var k = new ReadOnlySpan<byte>(key, keyOffset, keyCount);
        var m = new ReadOnlySpan<byte>(message, messageOffset, messageCount);
        var o = new Span<byte>(output, outputOffset, output.Length - outputOffset);
        switch (method)
        {
            case MacMethod.HmacSha256:
                return HMACSHA256.HashData(k, m, o);
            case MacMethod.HmacSha1:
                return HMACSHA1.HashData(k, m, o);
            default:
                return -1;
        }
    }
}
