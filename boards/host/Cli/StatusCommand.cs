using System.CommandLine;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Registry;
using CotaFirmware.Host.Cloud.Web;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.Host.Cli;

/// <summary><c>status</c>: lists the local platform's products and devices: configs, what each device runs, and its last result with the reasons.</summary>
public static class StatusCommand
{
    /// <summary>The command, its options and its action.</summary>
    public static Command Definition()
    {
        var data = CommandOptions.Data("the platform's data folder (running or not)");
        data.Required = true;
        var command = new CommandWithNotes("status", "List the local platform's devices, their configs and last results (with their errors).", """
            Columns: online (? when the platform is not running), the config the device runs (its last applied), where it
            stands with the product's current config (current: it runs it; refused: it refused it and will not take it
            again, even published again; behind: it runs another or none; idle: nothing
            to offer; downloading, with the share the file server sent; applying: every byte sent, its result awaited),
            its last result. A device's last refusal (rejected, rolled back) is on a line of its own, with its reasons.
            """)
        {
            data,
        };
        command.SetAction(r => Run(r.GetValue(data)!, r.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(string data, TextWriter output)
    {
        var registry = Open(data);
        FleetSnapshot snapshot;
        PlatformEndpoints? running = PlatformEndpoints.Load(data);
        running = running is { IsRunning: true } ? running : null;
        try
        {
            snapshot = running != null
                ? PlatformClient.CallAsync<FleetSnapshot>(running, HttpMethod.Get, "state").GetAwaiter().GetResult()
                : Offline(registry, data);
        }
        catch (RunFailedException)
        {
            running = null;
            snapshot = Offline(registry, data);
        }

        output.WriteLine("platform data " + data + (running == null ? " (platform not running)" : " (platform running)"));
        if (running != null)
        {
            output.WriteLine("web console   " + running.ConsoleAddress);
        }

        foreach (var p in snapshot.Products)
        {
            var refused = snapshot.Configs.Where(c => c.ProductKey == p.ProductKey && c.Rejection != null).Select(c => c.ConfigId).ToArray();
            output.WriteLine("product " + p.ProductKey + "   current config " + (p.CurrentConfigId ?? "(none)") + "   configs published "
                + snapshot.Configs.Count(c => c.ProductKey == p.ProductKey)
                + (refused.Length > 0 ? "   refused by devices (not offered): " + string.Join(", ", refused) : ""));
            if (snapshot.Configs.FirstOrDefault(c => c.ConfigId == p.CurrentConfigId) is { } current)
            {
                output.WriteLine("  rollout of " + current.ConfigId + ": " + current.Halt);
            }
        }

        output.WriteLine(string.Format("{0,-20} {1,-8} {2,-20} {3,-16} {4}", "device", "online", "runs config", "state", "last result"));
        foreach (var d in snapshot.Devices)
        {
            string online = d.Online == null ? "?" : d.Online.Value ? "yes" : "no";
            string state = d.Status == "trial" ? "applying" : d.Status;
            if (d.Download is { Complete: false } dl && dl.Total > 0)
            {
                state += " " + (dl.Served * 100 / dl.Total) + "% sent";
            }

            var r = d.LastResult;
            output.WriteLine(string.Format("{0,-20} {1,-8} {2,-20} {3,-16} {4}", d.DeviceName, online, d.ActiveConfigId ?? "-", state,
                r == null ? "-" : Describe(r)));
            if (d.LastRefusal is { } refusal)
            {
                output.WriteLine("{0,-20}   last refused: {1}{2}", "", Describe(refusal),
                    refusal.Reasons.Length > 0 ? ", reasons: " + refusal.Reasons : "");
            }
        }

        return 0;
    }

    private static string Describe(ResultReport r) => r.Status + " " + r.ConfigId + " at " + r.Time.ToLocalTime().ToString("HH:mm:ss");

    /// <summary>The first product's key in the platform data folder <paramref name="data"/>.</summary>
    public static string FirstProduct(string data) =>
        Open(data).Products.FirstOrDefault()?.ProductKey ?? throw new UsageException("the platform in '" + data + "' has no product");

    private static FleetSnapshot Offline(DeviceRegistry registry, string data) =>
        FleetView.Snapshot(registry, FleetHistory.SeededFrom(registry), null, new PlatformView("", 0, 0, 0, data, DateTimeOffset.UtcNow, ConfigText.DefaultMaxBytes));

    private static DeviceRegistry Open(string data)
    {
        if (!File.Exists(Path.Combine(data, "registry.json")))
        {
            throw new UsageException("'" + data + "' holds no local platform (no registry.json); start one with `cota-host cloud --data " + data + "`");
        }

        return new DeviceRegistry(data);
    }
}
