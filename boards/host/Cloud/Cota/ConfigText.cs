using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CotaFirmware.Host.Cloud.Cota;

/// <summary>The checks a config passes before the platform publishes it: one JSON object, no key twice, within the
/// devices' size limit (devices then judge its keys). A UTF-8 byte order mark at the start is dropped, as editors on
/// Windows write one.</summary>
public static class ConfigText
{
    /// <summary>The largest config the devices take unless told otherwise: the host board's <c>maxConfigSize</c>.</summary>
    public const int DefaultMaxBytes = 1_048_576;

    private static readonly byte[] Bom = { 0xEF, 0xBB, 0xBF };

    /// <summary>True when <paramref name="content"/> starts with a UTF-8 byte order mark.</summary>
    public static bool HasBom(byte[] content) => content.AsSpan().StartsWith(Bom);

    /// <summary><paramref name="content"/> without a leading UTF-8 byte order mark (the same array when it has none).</summary>
    public static byte[] WithoutBom(byte[] content) => HasBom(content) ? content[Bom.Length..] : content;

    /// <summary>Checks a config (without its byte order mark) against a device limit of <paramref name="maxBytes"/>.</summary>
    public static ConfigCheck Check(byte[] content, int maxBytes)
    {
        if (content.Length == 0)
        {
            return ConfigCheck.Refused("the file is empty: a config is a JSON object whose keys are module names");
        }
        if (content.Length > maxBytes)
        {
            return ConfigCheck.Refused("the config is " + content.Length.ToString("N0", CultureInfo.InvariantCulture) + " bytes; devices take at most "
                + maxBytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes (maxConfigSize in their board.json): make it smaller");
        }
        try
        {
            using var doc = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 32 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ConfigCheck.Refused("a config is a JSON object whose keys are module names, not a JSON "
                    + root.ValueKind.ToString().ToLowerInvariant());
            }
            var duplicate = FirstDuplicate(root, "");
            if (duplicate != null)
            {
                return ConfigCheck.Refused("duplicate_key: " + duplicate + " appears twice (devices refuse the config): keep one");
            }
            return new ConfigCheck(null, root.EnumerateObject().Select(m => m.Name).ToArray());
        }
        catch (JsonException e)
        {
            return ConfigCheck.Refused(Where(content, e));
        }
    }

    // The path of the first key an object repeats: module.key, a top-level key alone, [i] for array items.
    private static string? FirstDuplicate(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in element.EnumerateObject())
            {
                var at = path.Length == 0 ? member.Name : path + "." + member.Name;
                if (!seen.Add(member.Name))
                {
                    return at;
                }
                if (FirstDuplicate(member.Value, at) is { } inner)
                {
                    return inner;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (FirstDuplicate(item, path + "[" + i++ + "]") is { } inner)
                {
                    return inner;
                }
            }
        }
        return null;
    }

    // Where the JSON breaks, in our words: line, column, and the text up to that point.
    private static string Where(byte[] content, JsonException e)
    {
        if (e.LineNumber is not { } line || e.BytePositionInLine is not { } column)
        {
            return "not valid JSON: check the file with a JSON validator";
        }
        var lines = Encoding.UTF8.GetString(content).Split('\n');
        var text = line < lines.Length ? lines[line].TrimEnd('\r') : "";
        var bytes = Encoding.UTF8.GetBytes(text);
        int upTo = (int)Math.Min(column + 1, bytes.Length);
        var shown = Encoding.UTF8.GetString(bytes, 0, upTo);
        if (shown.Length > 40)
        {
            shown = "…" + shown[^40..];
        }
        return "not valid JSON at line " + (line + 1) + ", byte " + (column + 1)
            + (shown.Trim().Length > 0 ? " (after: " + shown.Trim() + ")" : "")
            + ": a config is one JSON object, e.g. {\"telemetry\":{\"intervalSeconds\":30}}";
    }
}

/// <summary>What <see cref="ConfigText.Check"/> found.</summary>
/// <param name="Problem">Null when the config can be published, else what is wrong and what to do.</param>
/// <param name="Modules">Its top-level keys (module names); none means every device resets every module to its defaults.</param>
public sealed record ConfigCheck(string? Problem, IReadOnlyList<string> Modules)
{
    /// <summary>A refusal.</summary>
    public static ConfigCheck Refused(string problem) => new(problem, Array.Empty<string>());

    /// <summary>What publishing a config with no module does, for the confirmation it needs.</summary>
    public const string EmptyWarning = "the config names no module: every device resets every module to its defaults";
}
