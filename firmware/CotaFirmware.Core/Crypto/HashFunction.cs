namespace CotaFirmware.Crypto;

/// <summary>An incremental hash: reset, feed any number of byte views, then write the digest into a caller's buffer.</summary>
/// <remarks>
/// Implementations keep all their state in fields sized at construction, so <see cref="Update"/> and
/// <see cref="Final"/> allocate nothing. One instance serves one message at a time and can be reused after
/// <see cref="Reset"/>.
/// </remarks>
public abstract class HashFunction
{
    /// <summary>The digest length in bytes.</summary>
    public abstract int HashSize { get; }

    /// <summary>The compression function's block length in bytes (what HMAC pads keys to).</summary>
    public abstract int BlockSize { get; }

    /// <summary>Starts a new message, forgetting any bytes fed so far.</summary>
    public abstract void Reset();

    /// <summary>Feeds <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
    public abstract void Update(byte[] buffer, int offset, int count);

    /// <summary>Finishes the message and writes <see cref="HashSize"/> bytes of digest into <paramref name="output"/> at <paramref name="offset"/>, then resets.</summary>
    public abstract void Final(byte[] output, int offset);
}
