using CotaFirmware.Crypto;
using CotaFirmware.Text;

namespace CotaFirmware.Cota;

/// <summary>
/// One config the cloud offers (push or get_reply), already validated: configId, size, SHA-256 digest and URL,
/// held in fixed buffers so that receiving an offer allocates nothing.
/// </summary>
/// <remarks>
/// The URL is kept as bytes. <see cref="RangeDownload"/> turns it into a string once per <see cref="RangeDownload.Start"/>
/// (the board's HTTP seam takes a string); that one allocation per offer is the only one of a download.
/// </remarks>
public sealed class ConfigOffer
{
    /// <summary>The longest configId an offer holds (bytes); the progress record reserves this much.</summary>
    public const int MaxConfigIdLength = 64;

    /// <summary>The SHA-256 digest length in bytes.</summary>
    public const int DigestLength = 32;

    private readonly byte[] _configId = new byte[MaxConfigIdLength];
    private readonly byte[] _digest = new byte[DigestLength];
    private readonly byte[] _url;
    private int _configIdLength;
    private int _urlLength;
    private long _size;

    /// <summary>Creates an empty offer that can hold URLs of up to <paramref name="maxUrlLength"/> bytes (OSS URLs exceed 800).</summary>
    public ConfigOffer(int maxUrlLength)
    {
        if (maxUrlLength < 16)
        {
            throw new System.ArgumentOutOfRangeException("maxUrlLength");
        }

        _url = new byte[maxUrlLength];
    }

    /// <summary>True once <see cref="Set"/> has accepted an offer.</summary>
    public bool IsSet
    {
        get { return _configIdLength > 0; }
    }

    /// <summary>The configured size in bytes (configSize).</summary>
    public long Size
    {
        get { return _size; }
    }

    /// <summary>The length of the configId in bytes.</summary>
    public int ConfigIdLength
    {
        get { return _configIdLength; }
    }

    /// <summary>The length of the URL in bytes.</summary>
    public int UrlLength
    {
        get { return _urlLength; }
    }

    /// <summary>
    /// Takes an offer's fields: the configId bytes, configSize, the hex sign (64 digits, either case) and the URL
    /// (printable ASCII, as it appeared in the message after JSON unescaping).
    /// </summary>
    /// <returns>True when every field is acceptable; false leaves the offer empty.</returns>
    public bool Set(byte[] configId, int idOffset, int idCount, long size, byte[] signHex, int signOffset, int signCount, byte[] url, int urlOffset, int urlCount)
    {
        Clear();
        if (configId == null || signHex == null || url == null)
        {
            return false;
        }

        if (idCount < 1 || idCount > MaxConfigIdLength || idOffset < 0 || idOffset + idCount > configId.Length)
        {
            return false;
        }

        if (size < 0 || signCount != DigestLength * 2 || signOffset < 0 || signOffset + signCount > signHex.Length)
        {
            return false;
        }

        if (urlCount < 1 || urlCount > _url.Length || urlOffset < 0 || urlOffset + urlCount > url.Length)
        {
            return false;
        }

        for (int i = 0; i < urlCount; i++)
        {
            byte b = url[urlOffset + i];
            if (b <= 0x20 || b >= 0x7F)
            {
                return false;
            }
        }

        if (Hex.Decode(signHex, signOffset, DigestLength * 2, _digest, 0) != DigestLength)
        {
            return false;
        }

        System.Array.Copy(url, urlOffset, _url, 0, urlCount);
        return Take(configId, idOffset, idCount, size, urlCount);
    }

    /// <summary>Forgets the offer.</summary>
    public void Clear()
    {
        _configIdLength = 0;
        _urlLength = 0;
        _size = 0;
    }

    /// <summary>True when this offer's configId equals <paramref name="count"/> bytes of <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    public bool ConfigIdEquals(byte[] buffer, int offset, int count)
    {
        return ConstantTime.AreEqual(buffer, offset, count, _configId, 0, _configIdLength);
    }

    /// <summary>True when this offer's URL equals <paramref name="count"/> bytes of <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    public bool UrlEquals(byte[] buffer, int offset, int count)
    {
        return ConstantTime.AreEqual(buffer, offset, count, _url, 0, _urlLength);
    }

    /// <summary>Copies the configId into <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    /// <returns>The number of bytes copied.</returns>
    public int CopyConfigId(byte[] buffer, int offset)
    {
        System.Array.Copy(_configId, 0, buffer, offset, _configIdLength);
        return _configIdLength;
    }

    /// <summary>Copies the 32-byte expected digest into <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    public void CopyDigest(byte[] buffer, int offset)
    {
        System.Array.Copy(_digest, 0, buffer, offset, DigestLength);
    }

    /// <summary>
    /// Compares the expected digest with 32 bytes of <paramref name="buffer"/> at <paramref name="offset"/> in
    /// constant time (the time does not depend on where they differ).
    /// </summary>
    public bool DigestEquals(byte[] buffer, int offset)
    {
        return ConstantTime.AreEqual(buffer, offset, DigestLength, _digest, 0, DigestLength);
    }

    /// <summary>The URL buffer, for a record that reads a stored URL straight into it before <see cref="Restore"/>.</summary>
    internal byte[] UrlBuffer
    {
        get { return _url; }
    }

    /// <summary>Takes a stored offer back: configId, size and the binary digest; the URL's <paramref name="urlCount"/> bytes are already in <see cref="UrlBuffer"/>.</summary>
    /// <returns>False (and the offer empty) when a field is out of bounds.</returns>
    internal bool Restore(byte[] configId, int idOffset, int idCount, long size, byte[] digest, int digestOffset, int urlCount)
    {
        Clear();
        if (idCount < 1 || idCount > MaxConfigIdLength || size < 0 || urlCount < 0 || urlCount > _url.Length)
        {
            return false;
        }

        System.Array.Copy(digest, digestOffset, _digest, 0, DigestLength);
        return Take(configId, idOffset, idCount, size, urlCount);
    }

    // The last step of Set and Restore, once the digest and URL are in place: the offer holds from here on.
    private bool Take(byte[] configId, int idOffset, int idCount, long size, int urlCount)
    {
        System.Array.Copy(configId, idOffset, _configId, 0, idCount);
        _configIdLength = idCount;
        _urlLength = urlCount;
        _size = size;
        return true;
    }

    /// <summary>The URL as a string. Allocates: call once per download, not per chunk.</summary>
    public string UrlText() => Utf8.GetString(_url, 0, _urlLength);
}
