using System;

namespace CotaFirmware.Crypto;

/// <summary>Argument checks for (buffer, offset, count) views: a view outside its buffer is a programming error.</summary>
public static class ByteView
{
    /// <summary>Throws when <paramref name="buffer"/> is null or the view does not lie inside it.</summary>
    public static void Check(byte[] buffer, int offset, int count)
    {
        if (buffer == null)
        {
            throw new ArgumentNullException("buffer");
        }

        if (offset < 0 || count < 0 || offset > buffer.Length - count)
        {
            throw new ArgumentOutOfRangeException("offset");
        }
    }
}
