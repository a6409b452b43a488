using System.Diagnostics;
using CotaFirmware.App;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Web;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.Host.Cli;

/// <summary><c>publish</c>: publishes a config file to a running local platform, pushes it to the product's online devices and, with --wait, waits for their verdict.</summary>
public static class PublishCommand
{
    /// <summary>The command's help.</summary>
    public const string Help = """
        cota-host publish <file>: publish a config to the local platform and push it to the online devices.

        options:
          --data <dir>           the data folder of a running `cota-host cloud` (required)
          --product-key <pk>     the product to configure (default: the platform's first product)
          --wait                 wait for every device it was pushed to: exit 0 when all applied it, 1 naming each
                                 device that rejected it, rolled it back or did not answer in time, with its errors
          --timeout <s>          how long --wait waits (default 120)
          --halt-count <n>       halt the rollout at n refusals (default 1; 0 with --halt-percent: no count rule)
          --halt-percent <p>     halt it when p% of the results refuse it (default: no share rule)
          --halt-min-results <n> neither rule applies before n devices reported (default 1)
          --allow-empty          publish a config that names no module ({}): every device resets every module to its defaults
          --help                 this text

        through a plain MQTT broker instead (mosquitto, say; no platform, no thing.config.get answered):
          --broker <host:port>   push with thing.config.push through this broker (plain TCP)
          --product-key <pk> --device-name <dn>[,<dn>...]   the devices to push to (they must be connected now)
          --url <url>            where the devices download the file from, byte for byte as given (http:// only for
                                 devices run with `device --plain`); size and SHA-256 are the file's
          --timeout <s>          it stays until each device reported (default 120), answering their thing.config.get
                                 and results as the platform would (that answer confirms their trial): exit 0 when all
                                 applied it, 1 naming each device that did not

        The file must be one JSON object with no key twice, within the devices' limit (maxConfigSize of the host board,
        1,048,576 bytes); a UTF-8 byte order mark at its start is dropped. The devices judge its keys. Devices offline now get it with thing.config.get
        when they connect. A rollout halts when the devices that reject the config (or roll it back) reach its
        threshold (by default the first one): it is offered to no device after that, until it is published again.
        """;

    private static readonly RolloutStage[] Ends = { RolloutStage.Applied, RolloutStage.Rejected, RolloutStage.RolledBack };

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        var a = new Arguments("publish", args, new[] { "data", "product-key", "timeout", "halt-count", "halt-percent", "halt-min-results", "broker", "device-name", "url" },
            new[] { "help", "wait", "allow-empty" });
        if (a.Has("help"))
        {
            output.WriteLine(Help);
            return 0;
        }

        if (a.Positional.Count != 1)
        {
            throw new UsageException("publish needs exactly one config file (see: cota-host publish --help)");
        }

        string? broker = a.Value("broker");
        string? data = a.Folder("data");
        if (broker != null && data != null)
        {
            throw new UsageException("publish takes --data (the local platform) or --broker (a plain MQTT broker), not both");
        }

        if (broker == null && data == null)
        {
            throw new UsageException("publish needs --data <dir> of a running `cota-host cloud`, or --broker <host:port> (see: cota-host publish --help)");
        }

        if (broker == null && (a.Value("url") != null || a.Value("device-name") != null))
        {
            throw new UsageException("--url and --device-name go with --broker");
        }

        int timeout = a.Int("timeout", 120, 1, 86400);
        if (a.Value("timeout") != null && !a.Has("wait") && broker == null)
        {
            throw new UsageException("--timeout goes with --wait");
        }

        string file = a.Positional[0];
        if (!File.Exists(file))
        {
            throw new UsageException("no such config file: " + file);
        }

        byte[] read = File.ReadAllBytes(file);
        byte[] content = ConfigText.WithoutBom(read);
        var check = ConfigText.Check(content, HostBoard.Apply(new DeviceSettings(null)).MaxConfigSize);
        if (check.Problem != null)
        {
            throw new UsageException(file + " cannot be published: " + check.Problem);
        }

        if (check.Modules.Count == 0 && !a.Has("allow-empty"))
        {
            throw new UsageException(file + ": " + ConfigCheck.EmptyWarning + "; add --allow-empty if that is what you want");
        }

        if (broker != null)
        {
            if (content.Length != read.Length)
            {
                throw new UsageException(file + " starts with a UTF-8 byte order mark, which devices would download with it from --url: save it without");
            }

            string productKey = a.Value("product-key") ?? throw new UsageException("--broker needs --product-key");
            string names = a.Value("device-name") ?? throw new UsageException("--broker needs --device-name (one, or several separated by commas)");
            string url = a.Value("url") ?? throw new UsageException("--broker needs --url: where the devices download " + file + " from");
            return BrokerPublish.Run(broker, productKey, names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), url,
                content, TimeSpan.FromSeconds(timeout), output);
        }

        var endpoints = RunningPlatform.Find(data!);
        string pk = a.Value("product-key") ?? StatusCommand.FirstProduct(data!);
        var halt = Halt(a);
        string query = (halt == null ? "" : "&haltCount=" + halt.Count + "&haltPercent=" + halt.Percent + "&haltMinResults=" + halt.MinResults)
            + (a.Has("allow-empty") ? "&allowEmpty=true" : "");
        var reply = PlatformClient.CallAsync<PublishReply>(endpoints, HttpMethod.Post,
            "publish?productKey=" + Uri.EscapeDataString(pk) + query, content).GetAwaiter().GetResult();
        if (content.Length != read.Length)
        {
            output.WriteLine("dropped the UTF-8 byte order mark at the start of " + file);
        }

        output.WriteLine("published " + file + " for product " + pk + " as configId " + reply.ConfigId + " (" + reply.Size + " bytes, sha256 " + reply.Sign + ")");
        output.WriteLine("rollout " + (halt ?? RolloutHalt.Default));
        output.WriteLine(reply.PushedTo.Length == 0
            ? "pushed to no device (none online); devices get it with thing.config.get when they connect"
            : "pushed to " + reply.PushedTo.Length + " online devices: " + string.Join(", ", reply.PushedTo.Take(10)) + (reply.PushedTo.Length > 10 ? ", ..." : ""));
        output.Flush();
        return a.Has("wait") ? Wait(endpoints, reply, TimeSpan.FromSeconds(timeout), output) : 0;
    }

    // The threshold the --halt-* options give, or null for the platform's default.
    private static RolloutHalt? Halt(Arguments a)
    {
        if (a.Value("halt-count") == null && a.Value("halt-percent") == null && a.Value("halt-min-results") == null)
        {
            return null;
        }

        var d = RolloutHalt.Default;
        var halt = new RolloutHalt(a.Int("halt-count", a.Value("halt-percent") != null ? 0 : d.Count, 0, int.MaxValue),
            a.Int("halt-percent", d.Percent, 0, 100), a.Int("halt-min-results", d.MinResults, 1, int.MaxValue));
        return halt.Problem() is { } problem ? throw new UsageException(problem) : halt;
    }

    private static int Wait(PlatformEndpoints endpoints, PublishReply reply, TimeSpan timeout, TextWriter output)
    {
        if (reply.PushedTo.Length == 0)
        {
            output.WriteLine("no online device to wait for");
            return 0;
        }

        var clock = Stopwatch.StartNew();
        var waitingFor = reply.PushedTo.ToHashSet(StringComparer.Ordinal);
        string last = "";
        RolloutDeviceView[] devices;
        while (true)
        {
            var rollout = PlatformClient.CallAsync<RolloutView>(endpoints, HttpMethod.Get,
                "rollout?configId=" + Uri.EscapeDataString(reply.ConfigId)).GetAwaiter().GetResult();
            devices = rollout.Devices.Where(d => waitingFor.Contains(d.DeviceName)).ToArray();
            string line = Progress(devices);
            if (line != last)
            {
                output.WriteLine(((int)clock.Elapsed.TotalSeconds).ToString().PadLeft(5) + " s  " + line);
                output.Flush();
                last = line;
            }

            if (devices.All(d => d.Stage is { } s && Ends.Contains(s)) || clock.Elapsed > timeout)
            {
                break;
            }

            Thread.Sleep(500);
        }

        var failed = devices.Where(d => d.Stage != RolloutStage.Applied).ToArray();
        if (failed.Length == 0)
        {
            output.WriteLine("all " + devices.Length + " devices applied " + reply.ConfigId);
            return 0;
        }

        output.WriteLine(failed.Length + " of " + devices.Length + " devices did not apply " + reply.ConfigId + ":");
        foreach (var d in failed)
        {
            string what = d.Stage switch
            {
                RolloutStage.Rejected => "rejected it",
                RolloutStage.RolledBack => "rolled it back",
                RolloutStage.Downloading => "no result within " + (int)timeout.TotalSeconds + " s (downloading: the file server sent " + d.Served + " of " + d.Total + " bytes)",
                RolloutStage.Trial => "no result within " + (int)timeout.TotalSeconds + " s (the file server sent every byte; no result since: the device may be applying it, on trial, or gone)",
                _ => "no result within " + (int)timeout.TotalSeconds + " s (" + (d.Stage == null ? "no step seen" : "offered, not downloaded") + ")",
            };
            output.WriteLine("  " + d.DeviceName + ": " + what + (d.Reasons.Count > 0 ? ": " + string.Join("; ", d.Reasons) : ""));
        }

        return 1;
    }

    private static string Progress(RolloutDeviceView[] devices)
    {
        int Count(RolloutStage s) => devices.Count(d => d.Stage == s);
        int waiting = devices.Count(d => d.Stage is null or RolloutStage.Offered);
        return "applied " + Count(RolloutStage.Applied) + "/" + devices.Length + ", downloading " + Count(RolloutStage.Downloading)
            + ", applying " + Count(RolloutStage.Trial) + ", waiting " + waiting + ", rejected " + Count(RolloutStage.Rejected)
            + ", rolled back " + Count(RolloutStage.RolledBack);
    }
}
