using CotaFirmware.Json;
using CotaFirmware.Linkkit;

namespace CotaFirmware.Cota;

/// <summary>
/// The result of a config that never reached the Config layer:
/// <c>{"configId":"..","status":"rejected","errors":[{"module":"download","code":"HashMismatch"}]}</c>.
/// </summary>
public sealed class DownloadFailureReport : IJsonMembers
{
    // Indexed by DownloadOutcome.
    private static readonly string[] Names =
    {
        "None", "Running", "Completed", "TooLarge", "BadScheme", "HttpError", "SizeMismatch", "RangeMismatch",
        "HashMismatch", "Timeout", "ConnectionFailed", "Truncated", "StorageFailed", "Cancelled", "RetriesExhausted", "BadUrl",
    };

    private readonly byte[] _configId = new byte[ConfigOffer.MaxConfigIdLength];
    private int _configIdLength;
    private DownloadOutcome _failure;
    private int _httpStatus;

    /// <summary>The failure being reported.</summary>
    public DownloadOutcome Failure => _failure;

    /// <summary>The name of <paramref name="outcome"/> as reported (<c>HashMismatch</c>, <c>Timeout</c>, ...).</summary>
    public static string NameOf(DownloadOutcome outcome)
    {
        int i = (int)outcome;
        return i >= 0 && i < Names.Length ? Names[i] : "Unknown";
    }

    /// <summary>Sets what to report: the configId bytes, the failure and the HTTP status (0 when none).</summary>
    public void Set(byte[] configId, int offset, int count, DownloadOutcome failure, int httpStatus)
    {
        if (count > _configId.Length)
        {
            count = _configId.Length;
        }

        System.Array.Copy(configId, offset, _configId, 0, count);
        _configIdLength = count;
        _failure = failure;
        _httpStatus = httpStatus;
    }

    /// <inheritdoc/>
    public void WriteMembers(JsonWriter writer)
    {
        writer.WriteName("configId");
        writer.WriteString(_configId, 0, _configIdLength);
        writer.WriteProperty("status", "rejected");
        writer.WriteName("errors");
        writer.BeginArray();
        writer.BeginObject();
        writer.WriteProperty("module", "download");
        writer.WriteProperty("code", NameOf(_failure));
        if (_httpStatus > 0)
        {
            writer.WriteProperty("httpStatus", _httpStatus);
        }

        writer.EndObject();
        writer.EndArray();
    }
}
