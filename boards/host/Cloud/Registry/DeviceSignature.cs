using System.Security.Cryptography;
using System.Text;

namespace CotaFirmware.Host.Cloud.Registry;

/// <summary>The platform's side of LinkKit signing: MQTT connect passwords and dynamic-registration signs.</summary>
public static class DeviceSignature
{
    /// <summary>The text a device signs to connect: present fields in alphabetical order, no separators.</summary>
    public static string MqttSignContent(string clientId, string deviceName, string productKey, string? timestamp)
    {
        var content = "clientId" + clientId + "deviceName" + deviceName + "productKey" + productKey;
        return timestamp is null ? content : content + "timestamp" + timestamp;
    }

    /// <summary>The text a device signs to register dynamically.</summary>
    public static string RegisterSignContent(string deviceName, string productKey, string random) =>
        "deviceName" + deviceName + "productKey" + productKey + "random" + random;

    /// <summary>HMAC of <paramref name="content"/> keyed with <paramref name="secret"/>; null for an unknown method.</summary>
    /// <param name="signMethod">hmacsha256, hmacsha1 or hmacmd5 (case-insensitive).</param>
    public static byte[]? Hmac(string signMethod, string secret, string content)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var data = Encoding.UTF8.GetBytes(content);
        return signMethod.ToLowerInvariant() switch
        {
            "hmacsha256" => HMACSHA256.HashData(key, data),
            "hmacsha1" => HMACSHA1.HashData(key, data),
            "hmacmd5" => HMACMD5.HashData(key, data),
            _ => null,
        };
    }

    /// <summary>The MQTT password a device with this identity sends: uppercase hex, as the 3.x/4.x SDKs send it.</summary>
    public static string MqttPassword(string signMethod, string deviceSecret, string clientId, string deviceName,
        string productKey, string? timestamp)
    {
        var mac = Hmac(signMethod, deviceSecret, MqttSignContent(clientId, deviceName, productKey, timestamp))
            ?? throw new ArgumentException("unknown sign method", nameof(signMethod));
        return Convert.ToHexString(mac);
    }

    /// <summary>The dynamic-registration sign: hex HMAC-SHA256 keyed with the ProductSecret.</summary>
    public static string RegisterSign(string productSecret, string productKey, string deviceName, string random) =>
        Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(productSecret),
            Encoding.UTF8.GetBytes(RegisterSignContent(deviceName, productKey, random))));

    /// <summary>True when <paramref name="hex"/> is the hex form (either case) of <paramref name="expected"/>, compared in constant time.</summary>
    public static bool HexMatches(string? hex, byte[] expected)
    {
        if (hex is null || hex.Length != expected.Length * 2)
        {
            return false;
        }
        byte[] given;
        try
        {
            given = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
