namespace CotaFirmware.Platform;

/// <summary>The two URL schemes an <see cref="IHttpClient"/> takes, and which one a URL starts with.</summary>
public static class HttpScheme
{
    /// <summary>The TLS scheme.</summary>
    public const string Secure = "https://";

    /// <summary>The plain scheme (local test platforms only).</summary>
    public const string Plain = "http://";

    // The schemes as chars once, so that checking a URL allocates nothing.
    private static readonly char[] SecureChars = Secure.ToCharArray();
    private static readonly char[] PlainChars = Plain.ToCharArray();

    /// <summary>The length of the scheme <paramref name="url"/> starts with, in any case (RFC 3986): 8 for <c>https://</c>, 7 for <c>http://</c>, 0 for neither.</summary>
    /// <remarks>Takes the URL as chars: indexing a string walks it on the device, and a caller that parses the URL has them already.</remarks>
    public static int LengthOf(char[] url)
    {
        return StartsWith(url, SecureChars) ? SecureChars.Length : StartsWith(url, PlainChars) ? PlainChars.Length : 0;
    }

    private static bool StartsWith(char[] text, char[] p)
    {
        if (text.Length < p.Length)
        {
            return false;
        }

        for (int i = 0; i < p.Length; i++)
        {
            char c = text[i];
            if (c >= 'A' && c <= 'Z')
            {
                c = (char)(c + 32);
            }

            if (c != p[i])
            {
                return false;
            }
        }

        return true;
    }
}
