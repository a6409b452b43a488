using System.CommandLine;
using System.Diagnostics;
using CotaFirmware.App;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Web;
using CotaFirmware.Host.Cloud;
using CotaFirmware.Host.Cloud.Registry;

namespace CotaFirmware.Host.Cli;

/// <summary><c>publish</c>: publishes a config file to a running local platform, pushes it to the product's online devices and, with --wait, waits for their verdict.</summary>
public static class PublishCommand
{
    private static readonly RolloutStage[] Ends = { RolloutStage.Applied, RolloutStage.Rejected, RolloutStage.RolledBack };

    /// <summary>The command, its options and its action.</summary>
    public static Command Definition()
    {
        var file = new Argument<string>("file") { Description = "the config: one JSON object" };
        var data = CommandOptions.Data("the data folder of a running `cota-host cloud`");
        var productKey = CommandOptions.Text("--product-key", "pk", "the product to configure (default: the platform's first product); with --broker, the devices' product");
        var wait = CommandOptions.Switch("--wait", "wait for every device it was pushed to: exit 0 when all applied it, 1 naming each device that "
            + "rejected it, rolled it back or did not answer in time, with its errors");
        var timeout = CommandOptions.WholeNumber("--timeout", "s", 1, 86400, "how long --wait (or --broker) waits (default 120)");
        var haltCount = CommandOptions.WholeNumber("--halt-count", "n", 0, int.MaxValue, "halt the rollout at n refusals (default 1; 0 with --halt-percent: no count rule)");
        var haltPercent = CommandOptions.WholeNumber("--halt-percent", "p", 0, 100, "halt it when p% of the results refuse it (default: no share rule)");
        var haltMinResults = CommandOptions.WholeNumber("--halt-min-results", "n", 1, int.MaxValue, "neither rule applies before n devices reported (default 1)");
        var allowEmpty = CommandOptions.Switch("--allow-empty", "publish a config that names no module ({}): every device resets every module to its defaults");
        var broker = CommandOptions.Text("--broker", "host:port", "instead of --data: push with thing.config.push through this plain MQTT broker (plain TCP)");
        var deviceName = CommandOptions.Text("--device-name", "dn[,dn...]", "with --broker: the devices to push to (they must be connected now)");
        var url = CommandOptions.Text("--url", "url", "with --broker: where the devices download the file from, byte for byte as given "
            + "(http:// only for devices run with `device --plain`); size and SHA-256 are the file's");
        var command = new CommandWithNotes("publish", "Publish a config to the local platform and push it to the online devices.", """
            The file must be one JSON object with no key twice, within the devices' limit (maxConfigSize of the host
            board, 1,048,576 bytes); a UTF-8 byte order mark at its start is dropped. The devices judge its keys. Devices
            offline now get it with thing.config.get when they connect. A rollout halts when the devices that reject the
            config (or roll it back) reach its threshold (by default the first one): it is offered to no device after
            that, until it is published again.

            Through a plain MQTT broker instead (mosquitto, say; no platform, no thing.config.get answered):
            --broker <host:port> --product-key <pk> --device-name <dn>[,<dn>...] --url <url>. It stays until each device
            reported (--timeout, default 120 s), answering their thing.config.get and results as the platform would (that
            answer confirms their trial): exit 0 when all applied it, 1 naming each device that did not.
            """)
        {
            file, data, productKey, wait, timeout, haltCount, haltPercent, haltMinResults, allowEmpty, broker, deviceName, url,
        };
        command.SetAction(r => Run(new Given(r.GetValue(file)!, r.GetValue(data), r.GetValue(productKey), r.GetValue(wait), r.GetValue(timeout),
            r.GetValue(haltCount), r.GetValue(haltPercent), r.GetValue(haltMinResults), r.GetValue(allowEmpty), r.GetValue(broker),
            r.GetValue(deviceName), r.GetValue(url)), r.InvocationConfiguration.Output));
        return command;
    }

    // What the command line gave.
    private sealed record Given(string File, string? Data, string? ProductKey, bool Wait, int? Timeout, int? HaltCount, int? HaltPercent,
        int? HaltMinResults, bool AllowEmpty, string? Broker, string? DeviceNames, string? Url);

    private static int Run(Given a, TextWriter output)
    {
        string? broker = a.Broker;
        string? data = a.Data;
        if (broker != null && data != null)
        {
            throw new UsageException("publish takes --data (the local platform) or --broker (a plain MQTT broker), not both");
        }

        if (broker == null && data == null)
        {
            throw new UsageException("publish needs --data <dir> of a running `cota-host cloud`, or --broker <host:port> (see: cota-host publish --help)");
        }

        if (broker == null && (a.Url != null || a.DeviceNames != null))
        {
            throw new UsageException("--url and --device-name go with --broker");
        }

        int timeout = a.Timeout ?? 120;
        if (a.Timeout != null && !a.Wait && broker == null)
        {
            throw new UsageException("--timeout goes with --wait");
        }

        string file = a.File;
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

        if (check.Modules.Count == 0 && !a.AllowEmpty)
        {
            throw new UsageException(file + ": " + ConfigCheck.EmptyWarning + "; add --allow-empty if that is what you want");
        }

        if (broker != null)
        {
            if (content.Length != read.Length)
            {
                throw new UsageException(file + " starts with a UTF-8 byte order mark, which devices would download with it from --url: save it without");
            }

            string productKey = a.ProductKey ?? throw new UsageException("--broker needs --product-key");
            string names = a.DeviceNames ?? throw new UsageException("--broker needs --device-name (one, or several separated by commas)");
            string url = a.Url ?? throw new UsageException("--broker needs --url: where the devices download " + file + " from");
            string[] devices = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            // What no device would take is named here, not pushed for the devices to refuse or for no one to answer.
            if (DeviceRegistry.KeyProblem(productKey) is { } badKey)
            {
                throw new UsageException("--product-key " + badKey);
            }

            if (devices.Select(DeviceRegistry.NameProblem).FirstOrDefault(p => p != null) is { } badName)
            {
                throw new UsageException("--device-name " + badName);
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                throw new UsageException("--url must be an http:// or https:// address, not '" + url + "'");
            }

            return BrokerPublish.Run(broker, productKey, devices, url, content, TimeSpan.FromSeconds(timeout), output);
        }

        var endpoints = RunningPlatform.Find(data!);
        string pk = a.ProductKey ?? StatusCommand.FirstProduct(data!);
        var halt = Halt(a);
        string query = (halt == null ? "" : "&haltCount=" + halt.Count + "&haltPercent=" + halt.Percent + "&haltMinResults=" + halt.MinResults)
            + (a.AllowEmpty ? "&allowEmpty=true" : "");
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
        return a.Wait ? Wait(endpoints, reply, TimeSpan.FromSeconds(timeout), output) : 0;
    }

    // The threshold the --halt-* options give, or null for the platform's default.
    private static RolloutHalt? Halt(Given a)
    {
        if (a.HaltCount == null && a.HaltPercent == null && a.HaltMinResults == null)
        {
            return null;
        }

        var d = RolloutHalt.Default;
        var halt = new RolloutHalt(a.HaltCount ?? (a.HaltPercent != null ? 0 : d.Count), a.HaltPercent ?? d.Percent,
            a.HaltMinResults ?? d.MinResults);
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
        RolloutDeviceView[] Waited(RolloutView rollout) => rollout.Devices.Where(d => waitingFor.Contains(d.DeviceName)).ToArray();
        RolloutView Fetched() => PlatformClient.CallAsync<RolloutView>(endpoints, HttpMethod.Get,
            "rollout?configId=" + Uri.EscapeDataString(reply.ConfigId)).GetAwaiter().GetResult();
        RolloutDeviceView[]? ended = null;
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            // The rollout from each snapshot the platform sends after a change, until every device ended it or time is up.
            foreach (var snapshot in PlatformClient.SnapshotsAsync(endpoints, deadline.Token).ToBlockingEnumerable(deadline.Token))
            {
                // A snapshot holds the newest rollouts of each product: one that newer publishes pushed out is asked for.
                var devices = Waited(snapshot.Rollouts.FirstOrDefault(r => r.ConfigId == reply.ConfigId) ?? Fetched());
                string line = Progress(devices);
                if (line != last)
                {
                    output.WriteLine(((int)clock.Elapsed.TotalSeconds).ToString().PadLeft(5) + " s  " + line);
                    output.Flush();
                    last = line;
                }

                if (devices.All(d => d.Stage is { } s && Ends.Contains(s)))
                {
                    ended = devices;
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
        }

        // Time is up: the rollout as it stands now, not as the last snapshot had it.
        ended ??= Waited(Fetched());
        var failed = ended.Where(d => d.Stage != RolloutStage.Applied).ToArray();
        if (failed.Length == 0)
        {
            output.WriteLine("all " + ended.Length + " devices applied " + reply.ConfigId);
            return 0;
        }

        output.WriteLine(failed.Length + " of " + ended.Length + " devices did not apply " + reply.ConfigId + ":");
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
