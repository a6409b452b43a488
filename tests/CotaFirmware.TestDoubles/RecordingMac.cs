using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>
/// An HMAC stand-in for portable tests: records what it was asked to sign and answers a digest made from the
/// message and key lengths, so tests see exactly what is signed (the real HMAC is checked in the host tests).
/// </summary>
public sealed class RecordingMac : IMac
{
    /// <summary>The last message signed, as text.</summary>
    public string LastMessage { get; private set; }

    /// <summary>The last key used, as text.</summary>
    public string LastKey { get; private set; }

    /// <summary>The last method used.</summary>
    public MacMethod LastMethod { get; private set; }

    /// <summary>How many signatures were computed.</summary>
    public int Calls { get; private set; }

    /// <summary>When set, every call fails as if the method were not offered.</summary>
    public bool Unsupported { get; set; }

    /// <summary>The digest this MAC gives for a message and key length: byte i is (i * 7 + messageLength + keyLength) mod 256.</summary>
    public static byte[] DigestFor(MacMethod method, int messageLength, int keyLength)
    {
        byte[] d = new byte[method == MacMethod.HmacSha1 ? 20 : 32];
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = (byte)((i * 7) + messageLength + keyLength);
        }

        return d;
    }

    /// <inheritdoc/>
    public int Compute(MacMethod method, byte[] key, int keyOffset, int keyCount, byte[] message, int messageOffset, int messageCount, byte[] output, int outputOffset)
    {
        Calls++;
        if (Unsupported)
        {
            return -1;
        }

        LastMethod = method;
        LastKey = Ascii.Text(key, keyOffset, keyCount);
        LastMessage = Ascii.Text(message, messageOffset, messageCount);
        byte[] d = DigestFor(method, messageCount, keyCount);
        for (int i = 0; i < d.Length; i++)
        {
            output[outputOffset + i] = d[i];
        }

        return d.Length;
    }
}
