using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CotaFirmware.Cota;

namespace CotaFirmware.Host.Cloud.Cota;

/// <summary>A device's config result event as the platform reads it: which config, what became of it, and why.</summary>
/// <param name="ConfigId">The config it is about.</param>
/// <param name="Status">applied, rejected, rolled_back, or whatever else the device sent.</param>
/// <param name="Errors">Each error as one line: <c>module.key: code</c>, then any other fields of the error.</param>
/// <param name="Details">The result's other members but <c>seq</c> (jsonError, errorsDropped, ...) as <c>name=value</c>; the
/// <c>reason</c> only when no error says more (a size refusal as one sentence with both sizes).</param>
/// <param name="Time">When it arrived.</param>
public sealed record ResultReport(string ConfigId, string Status, IReadOnlyList<string> Errors, IReadOnlyList<string> Details,
    DateTimeOffset Time)
{
    /// <summary>The result's status for a config that was validated, applied and confirmed.</summary>
    public const string Applied = "applied";

    /// <summary>The result's status for a config refused before it was applied.</summary>
    public const string Rejected = "rejected";

    /// <summary>The result's status for a config that was undone.</summary>
    public const string RolledBack = "rolled_back";

    /// <summary>True when the result refuses the config itself: rolled back, or rejected for anything but the
    /// download (a failed download says nothing about the config).</summary>
    public bool RefusesConfig =>
        Status == RolledBack || (Status == Rejected && !(Errors.Count > 0 && Errors.All(e => e.StartsWith("download", StringComparison.Ordinal))));

    /// <summary>True when the device will not take this configId and sign again, whoever offers it and however often:
    /// the firmware's rule (<see cref="CotaNames.MayTakeAgain"/>) for the result's <c>reason</c>, such as a refused
    /// module, a rollback or a hash mismatch; without a reason, a result that <see cref="RefusesConfig"/>.</summary>
    public bool NotTakenAgain { get; init; }

    /// <summary>The stage this result puts its device in.</summary>
    public RolloutStage Stage => Status switch
    {
        Applied => RolloutStage.Applied,
        RolledBack => RolloutStage.RolledBack,
        _ => RolloutStage.Rejected,
    };

    /// <summary>The errors and details on one line ("" when there are none).</summary>
    public string Reasons => string.Join("; ", Errors.Concat(Details));

    // Every snapshot of the console reads every kept result again: parse each message once.
    private static readonly ConditionalWeakTable<DeviceMessage, Parsed> Cache = new();

    /// <summary>Reads a result event's <c>params</c>; null when the message is not a readable result.</summary>
    public static ResultReport? From(DeviceMessage message) => Cache.GetValue(message, m => new Parsed(Parse(m))).Report;

    private static ResultReport? Parse(DeviceMessage message)
    {
        try
        {
            using var doc = JsonDocument.Parse(message.Payload);
            if (!doc.RootElement.TryGetProperty("params", out var p) || p.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            string? id = p.TryGetProperty("configId", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            string? status = p.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (id is null || status is null)
            {
                return null;
            }
            var errors = new List<string>();
            var details = new List<string>();
            foreach (var member in p.EnumerateObject())
            {
                if (member.Name == "errors" && member.Value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var e in member.Value.EnumerateArray())
                    {
                        errors.Add(ErrorLine(e));
                    }
                }
                // seq numbers the device's offers: it says nothing about why.
                else if (member.Name is not ("configId" or "status" or "seq"))
                {
                    details.Add(member.Name + "=" + Scalar(member.Value));
                }
            }
            if (errors.Count > 0)
            {
                // The errors say why; the reason (Rejected, ModuleFailed) only names the step.
                details.RemoveAll(d => d.StartsWith("reason=", StringComparison.Ordinal));
            }
            else if (Sizes(p) is { } sizes)
            {
                details.RemoveAll(d => d.StartsWith("reason=", StringComparison.Ordinal) || d.StartsWith("configSize=", StringComparison.Ordinal)
                    || d.StartsWith("maxConfigSize=", StringComparison.Ordinal));
                details.Insert(0, sizes);
            }
            string? reason = p.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            var report = new ResultReport(id, status, errors, details, message.Time);
            return report with
            {
                NotTakenAgain = reason != null && Enum.GetNames<CotaStatus>().Contains(reason)
                    ? !CotaNames.MayTakeAgain(Enum.Parse<CotaStatus>(reason), true)
                    : report.RefusesConfig,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // TooLarge with the sizes the device sent: one sentence naming both.
    private static string? Sizes(JsonElement p) =>
        p.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() == "TooLarge"
        && p.TryGetProperty("configSize", out var size) && size.TryGetInt64(out var bytes)
        && p.TryGetProperty("maxConfigSize", out var max) && max.TryGetInt64(out var limit)
            ? "too large: the config is " + bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes, the device takes at most " + limit.ToString("N0", CultureInfo.InvariantCulture)
              + " (maxConfigSize in its board.json)"
            : null;

    private static string ErrorLine(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return Scalar(e);
        }
        string module = e.TryGetProperty("module", out var m) ? Scalar(m) : "";
        string key = e.TryGetProperty("key", out var k) ? Scalar(k) : "";
        string code = e.TryGetProperty("code", out var c) ? Scalar(c) : "?";
        var where = module.Length > 0 && key.Length > 0 ? module + "." + key : module + key;
        var line = (where.Length > 0 ? where + ": " : "") + code;
        foreach (var member in e.EnumerateObject())
        {
            if (member.Name is not ("module" or "key" or "code"))
            {
                line += " (" + member.Name + " " + Scalar(member.Value) + ")";
            }
        }
        return line;
    }

    private sealed record Parsed(ResultReport? Report);

    private static string Scalar(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : e.GetRawText();
}
