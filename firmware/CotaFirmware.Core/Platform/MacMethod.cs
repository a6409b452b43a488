namespace CotaFirmware.Platform;

/// <summary>The keyed hashes (HMAC) the firmware signs with.</summary>
public enum MacMethod
{
    /// <summary>HMAC-SHA256: 32-byte output. Aliyun's default for connection and registration signatures.</summary>
    HmacSha256,

    /// <summary>HMAC-SHA1: 20-byte output. Accepted by Aliyun for connection signatures (older SDKs).</summary>
    HmacSha1,
}
