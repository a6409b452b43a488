using CotaFirmware.Host.Cloud.Registry;

namespace CotaFirmware.Host.Cloud.Broker;

/// <summary>An Aliyun MQTT clientId taken apart: <c>{id}|securemode=..,signmethod=..,timestamp=..[,k=v]|</c>.</summary>
public sealed class AliyunClientId
{
    /// <summary>The longest id before the first '|' the platform accepts.</summary>
    public const int MaxIdLength = 64;

    private AliyunClientId(string id, IReadOnlyDictionary<string, string> parameters)
    {
        Id = id;
        Parameters = parameters;
    }

    /// <summary>The id before the first '|' (the part that is signed).</summary>
    public string Id { get; }

    /// <summary>Every key=value between the bars, in the case sent.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>2 (TLS) or 3 (plain TCP).</summary>
    public int SecureMode => int.Parse(Parameters["securemode"]);

    /// <summary>hmacsha256, hmacsha1 or hmacmd5, as sent.</summary>
    public string SignMethod => Parameters["signmethod"];

    /// <summary>The timestamp as sent, or null when the device left it out.</summary>
    public string? Timestamp => Parameters.TryGetValue("timestamp", out var t) ? t : null;

    /// <summary>Parses a raw clientId; false (and null) when it is malformed.</summary>
    public static bool TryParse(string? raw, out AliyunClientId? clientId)
    {
        clientId = null;
        if (string.IsNullOrEmpty(raw) || raw[^1] != '|')
        {
            return false;
        }
        var bar = raw.IndexOf('|');
        if (bar <= 0 || bar > MaxIdLength || bar == raw.Length - 1)
        {
            return false;
        }
        var id = raw[..bar];
        foreach (var c in id)
        {
            if (c <= ' ' || c == ',' || c == '=' || c > '~')
            {
                return false;
            }
        }
        var inner = raw[(bar + 1)..^1];
        if (inner.Contains('|'))
        {
            return false;
        }
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in inner.Split(','))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0 || !parameters.TryAdd(pair[..eq], pair[(eq + 1)..]))
            {
                return false;
            }
        }
        if (!parameters.TryGetValue("securemode", out var mode) || (mode != "2" && mode != "3")
            || !parameters.TryGetValue("signmethod", out var method)
            || DeviceSignature.Hmac(method, "k", "") is null)
        {
            return false;
        }
        if (parameters.TryGetValue("timestamp", out var ts) && (ts.Length == 0 || !ts.All(char.IsAsciiDigit)))
        {
            return false;
        }
        clientId = new AliyunClientId(id, parameters);
        return true;
    }
}
