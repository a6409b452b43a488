using System;

namespace CotaFirmware.Crypto;

/// <summary>An incremental hash: reset, feed any number of byte views, then write the digest into a caller's buffer.</summary>
/// <remarks>
/// Implementations keep all their state in fields sized at construction, so <see cref="Update"/> and
/// <see cref="Final"/> allocate nothing. One instance serves one message at a time and can be reused after
/// <see cref="Final"/> or <see cref="Reset"/>. A view outside its buffer is a programming error and throws.
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

    /// <summary>
    /// The number of words <see cref="SaveState"/> writes, or 0 when this hash cannot snapshot its state.
    /// <see cref="Hmac"/> uses snapshots to key each message without hashing the padded key again.
    /// </summary>
    internal virtual int StateLength
    {
        get { return 0; }
    }

    /// <summary>Copies the state reached after a whole number of blocks into <paramref name="state"/> at <paramref name="offset"/>.</summary>
    internal virtual void SaveState(uint[] state, int offset)
    {
        throw new NotSupportedException();
    }

    /// <summary>Restores a state written by <see cref="SaveState"/>, as if the same blocks had just been fed.</summary>
    internal virtual void LoadState(uint[] state, int offset)
    {
        throw new NotSupportedException();
    }
}
