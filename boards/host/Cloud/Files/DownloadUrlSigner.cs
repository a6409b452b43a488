using System.Security.Cryptography;
using System.Text;
using CotaFirmware.Host.Cloud.Registry;

namespace CotaFirmware.Host.Cloud.Files;

/// <summary>Signs and checks download URLs the way OSS signs STS URLs: <c>Expires</c>, <c>OSSAccessKeyId</c>,
/// <c>Signature</c> (Base64 HMAC-SHA1 over the verb, expiry and resource) and a long <c>security-token</c>,
/// so URLs are as long as real ones (over 800 characters).</summary>
public sealed class DownloadUrlSigner
{
    private const string TokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private readonly string _keyId;
    private readonly byte[] _key;

    /// <summary>A signer with this access key.</summary>
    public DownloadUrlSigner(string accessKeyId, string accessKeySecret)
    {
        _keyId = accessKeyId;
        _key = Encoding.UTF8.GetBytes(accessKeySecret);
    }

    /// <summary>The signed query for <paramref name="resource"/> (a path such as /bucket/object), valid until
    /// <paramref name="expires"/>.</summary>
    public string SignedQuery(string resource, DateTimeOffset expires) => SignedQuery(resource, expires, NewToken());

    /// <summary>The signed query for <paramref name="resource"/> carrying <paramref name="token"/> as its security-token.</summary>
    public string SignedQuery(string resource, DateTimeOffset expires, string token)
    {
        var expiry = expires.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "Expires=" + expiry
            + "&OSSAccessKeyId=" + Uri.EscapeDataString(_keyId)
            + "&Signature=" + Uri.EscapeDataString(Signature(resource, expiry, token))
            + "&security-token=" + Uri.EscapeDataString(token);
    }

    /// <summary>Checks a request's query; null when it is valid, else an OSS error code
    /// (AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch).</summary>
    public string? Check(string resource, string? expires, string? accessKeyId, string? signature, string? token,
        DateTimeOffset now)
    {
        if (expires is null || accessKeyId is null || signature is null || token is null)
        {
            return "AccessDenied";
        }
        if (accessKeyId != _keyId)
        {
            return "InvalidAccessKeyId";
        }
        var expected = Encoding.ASCII.GetBytes(Signature(resource, expires, token));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
        {
            return "SignatureDoesNotMatch";
        }
        if (!long.TryParse(expires, System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var until) || now.ToUnixTimeSeconds() > until)
        {
            return "AccessDenied";
        }
        return null;
    }

    /// <summary>A fresh security-token: like an STS token, about 600 characters of Base64 (part of it escapes to
    /// %2B / %2F in the URL).</summary>
    public static string NewToken() => "CAIS" + DeviceRegistry.RandomToken(596, TokenAlphabet) + "==";

    private string Signature(string resource, string expires, string token) =>
        Convert.ToBase64String(HMACSHA1.HashData(_key,
            Encoding.UTF8.GetBytes("GET\n\n\n" + expires + "\n" + resource + "?security-token=" + token)));
}
