namespace CotaFirmware.Platform;

/// <summary>
/// One-shot HMAC over byte views: the seam through which signing reaches either the core's managed HMAC or a
/// board's native one (nanoFramework's HMACSHA256.HashData).
/// </summary>
/// <remarks>
/// Implementations keep no state between calls, never log key or output, and never throw for a supported
/// <see cref="MacMethod"/>. The output buffer must hold the method's full length (32 bytes for HMAC-SHA256,
/// 20 for HMAC-SHA1) from <c>outputOffset</c>.
/// </remarks>
public interface IMac
{
    /// <summary>
    /// Computes the HMAC of <paramref name="message"/>[<paramref name="messageOffset"/>..+<paramref name="messageCount"/>]
    /// keyed with <paramref name="key"/>[<paramref name="keyOffset"/>..+<paramref name="keyCount"/>] and writes it into
    /// <paramref name="output"/> at <paramref name="outputOffset"/>.
    /// </summary>
    /// <returns>The number of bytes written, or -1 when the implementation does not offer <paramref name="method"/>.</returns>
    public int Compute(MacMethod method, byte[] key, int keyOffset, int keyCount,
        byte[] message, int messageOffset, int messageCount, byte[] output, int outputOffset);
}
