using System.Text.Json;

namespace CotaFirmware.Host.Cloud;

/// <summary>The check a config passes before the platform offers it: one JSON object (devices then judge its keys).</summary>
public static class ConfigText
{
    /// <summary>Null when <paramref name="content"/> is a JSON object, else what is wrong, with the place.</summary>
    public static string? Check(byte[] content)
    {
        if (content.Length == 0)
        {
            return "the config is empty";
        }
        try
        {
            using var doc = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 32 });
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? null
                : "a config is a JSON object whose keys are module names, not a JSON " + doc.RootElement.ValueKind.ToString().ToLowerInvariant();
        }
        catch (JsonException e)
        {
            return "not valid JSON: " + e.Message;
        }
    }
}
