using System.Text.Json;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.Host.Cli;

/// <summary><c>status</c>: lists the local platform's devices with the config each was last pushed, its acks and its last result.</summary>
public static class StatusCommand
{
    /// <summary>The command's help.</summary>
    public const string Help = """
        cota-host status: list the local platform's devices, their configs and last results.

        options:
          --data <dir>    the platform's data folder (running or not) (required)
          --help          this text
        """;

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        var a = new Arguments("status", args, new[] { "data" }, new[] { "help" });
        if (a.Has("help"))
        {
            output.WriteLine(Help);
            return 0;
        }

        if (a.Positional.Count > 0)
        {
            throw new UsageException("status takes no values ('" + a.Positional[0] + "')");
        }

        string data = a.Value("data") ?? throw new UsageException("status needs --data <dir> (the folder of `cota-host cloud --data`)");
        var registry = Open(data);
        HashSet<string>? online = null;
        if (File.Exists(Path.Combine(data, CloudEndpoints.FileName)))
        {
            try
            {
                online = CloudControl.CallAsync<string[]>(CloudEndpoints.Load(data), HttpMethod.Get, "online").GetAwaiter().GetResult().ToHashSet();
            }
            catch (UsageException)
            {
                online = null;
            }
        }

        var latest = registry.Products.ToDictionary(p => p.ProductKey, p => registry.LatestConfig(p.ProductKey)?.ConfigId);
        output.WriteLine("platform data " + Path.GetFullPath(data) + (online == null ? " (platform not running)" : " (platform running)"));
        foreach (var p in registry.Products)
        {
            output.WriteLine("product " + p.ProductKey + "   latest config " + (latest[p.ProductKey] ?? "(none)") + "   configs published " + registry.Configs.Count(c => c.ProductKey == p.ProductKey));
        }

        output.WriteLine(string.Format("{0,-20} {1,-8} {2,-26} {3,-10} {4}", "device", "online", "last pushed configId", "push_reply", "last result"));
        foreach (var d in registry.Devices)
        {
            var s = registry.CotaState(d.ProductKey, d.DeviceName);
            string isOnline = online == null ? "?" : online.Contains(d.ProductKey + "/" + d.DeviceName) ? "yes" : "no";
            string ack = s.PushReplies.Count == 0 ? "-" : (s.PushReplies[^1].Code?.ToString() ?? "?");
            output.WriteLine(string.Format("{0,-20} {1,-8} {2,-26} {3,-10} {4}", d.DeviceName, isOnline, s.LastPushConfigId ?? "-", ack, Describe(s.Results.LastOrDefault())));
        }

        return 0;
    }

    /// <summary>The first product's key in the platform data folder <paramref name="data"/>.</summary>
    public static string FirstProduct(string data) =>
        Open(data).Products.FirstOrDefault()?.ProductKey ?? throw new UsageException("the platform in '" + data + "' has no product");

    static DeviceRegistry Open(string data)
    {
        if (!File.Exists(Path.Combine(data, "registry.json")))
        {
            throw new UsageException("'" + data + "' holds no local platform (no registry.json); start one with `cota-host cloud --data " + data + "`");
        }

        return new DeviceRegistry(data);
    }

    static string Describe(DeviceMessage? result)
    {
        if (result == null)
        {
            return "-";
        }

        try
        {
            using var doc = JsonDocument.Parse(result.Payload);
            var p = doc.RootElement.GetProperty("params");
            string id = p.TryGetProperty("configId", out var c) ? c.GetString() ?? "?" : "?";
            string status = p.TryGetProperty("status", out var s) ? s.GetString() ?? "?" : "?";
            return status + " " + id + " at " + result.Time.ToString("HH:mm:ss");
        }
        catch (Exception e) when (e is JsonException || e is KeyNotFoundException || e is InvalidOperationException)
        {
            return "unreadable result";
        }
    }
}
