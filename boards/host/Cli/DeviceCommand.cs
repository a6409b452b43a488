using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CotaFirmware.App;
using CotaFirmware.Host.Cloud.Registry;
using CotaFirmware.Host.Cloud.Web;
using CotaFirmware.Linkkit;
using CotaFirmware.Platform;
using LogLevel = CotaFirmware.Platform.LogLevel;

namespace CotaFirmware.Host.Cli;

/// <summary><c>device</c>: runs one or many virtual devices against the local platform, a plain MQTT broker or Alibaba Cloud IoT Platform.</summary>
public static class DeviceCommand
{
    /// <summary>The command, its options and its action.</summary>
    public static Command Definition()
    {
        var data = CommandOptions.Data("connect to the local platform of `cota-host cloud --data <dir>` (TLS, its CA; devices provisioned there)");
        var host = CommandOptions.Text("--host", "h", "connect to any MQTT broker, e.g. mosquitto, with --port; add --plain for plain TCP (no TLS), else TLS");
        var port = CommandOptions.WholeNumber("--port", "p", 1, 65535, "the broker's port (with --host)");
        var plain = CommandOptions.Switch("--plain", "with --host: plain TCP, no TLS");
        var productKey = CommandOptions.Text("--product-key", "pk", "Alibaba Cloud IoT Platform, with --device-name and --device-secret "
            + "(and --region, or --mqtt-domain [--http-domain]); with --data or --host, the product to use");
        var deviceName = CommandOptions.Text("--device-name", "dn", "the device's name (with --devices n, the names' prefix)");
        var deviceSecret = CommandOptions.Text("--device-secret", "s", "the device's secret on Alibaba Cloud IoT Platform");
        var region = CommandOptions.Text("--region", "id", "the Alibaba Cloud region (default cn-shanghai)");
        region.AcceptOnlyFromAmong(Enum.GetValues<CloudRegion>().Select(LinkkitEndpoint.RegionId).ToArray());
        var mqttDomain = CommandOptions.Text("--mqtt-domain", "d", "your Alibaba Cloud instance's own MQTT domain, instead of --region");
        var httpDomain = CommandOptions.Text("--http-domain", "d", "your instance's own HTTPS domain (with --mqtt-domain)");
        var ca = CommandOptions.Text("--ca", "pem file", "the only root CA trusted for TLS and downloads (default: the system's; --data uses the platform CA)");
        var devices = CommandOptions.WholeNumber("--devices", "n", 1, 5000, "run n devices in this process (names <device-name>1..n, default dev1..devn)");
        var jitter = CommandOptions.WholeNumber("--jitter", "ms", 0, 3600000, "random wait before a pushed config is downloaded (default 5000 for a "
            + "fleet; for one device, downloadJitterMs of the host board's board.json)");
        var seconds = CommandOptions.WholeNumber("--seconds", "n", 1, 86400 * 365, "stop after n seconds (default: until Ctrl+C); exit 1 when a device never connected");
        var exitWhenConverged = CommandOptions.Switch("--exit-when-converged", "with --data: stop (exit 0) once every device runs the product's current config");
        var flash = CommandOptions.Folder("--flash", "the devices' flash folders go here (default: temporary, deleted)");
        var verbose = CommandOptions.Switch("--verbose", "print every device's info lines too (a fleet prints only warnings and errors)");
        var command = new CommandWithNotes("device", "Run virtual devices (the whole firmware each) until Ctrl+C or --seconds.", """
            Where to connect (one of): --data <dir> (the local platform); --host <h> --port <p> [--plain] (any MQTT
            broker); --product-key <pk> --device-name <dn> --device-secret <s> [--region <id> | --mqtt-domain <d>
            [--http-domain <d>]] (Alibaba Cloud IoT Platform). Buffers, the largest config, the trial deadline and
            keep-alive come from the host board's board.json (boards/host/board.json, shipped beside cota-host).
            Secrets are never printed.
            """)
        {
            data, host, port, plain, productKey, deviceName, deviceSecret, region, mqttDomain, httpDomain, ca, devices, jitter, seconds,
            exitWhenConverged, flash, verbose,
        };
        command.SetAction((r, stop) => Task.FromResult(Run(new Given(r.GetValue(data), r.GetValue(host), r.GetValue(port), r.GetValue(plain),
            r.GetValue(productKey), r.GetValue(deviceName), r.GetValue(deviceSecret), r.GetValue(region), r.GetValue(mqttDomain),
            r.GetValue(httpDomain), r.GetValue(ca), r.GetValue(devices), r.GetValue(jitter), r.GetValue(seconds), r.GetValue(exitWhenConverged),
            r.GetValue(flash), r.GetValue(verbose)), r.InvocationConfiguration.Output, stop)));
        return command;
    }

    // What the command line gave.
    private sealed record Given(string? Data, string? Host, int? Port, bool Plain, string? ProductKey, string? DeviceName, string? DeviceSecret,
        string? Region, string? MqttDomain, string? HttpDomain, string? Ca, int? Devices, int? Jitter, int? Seconds, bool ExitWhenConverged,
        string? Flash, bool Verbose);

    private static int Run(Given a, TextWriter output, CancellationToken stop)
    {
        int count = a.Devices ?? 1;
        int jitter = a.Jitter ?? (count > 1 ? 5000 : HostBoard.Apply(new DeviceSettings(null)).Cota.StartJitterMs);
        int seconds = a.Seconds ?? 0;
        string? caFile = a.Ca;
        string? caPem = null;
        if (caFile != null)
        {
            caPem = File.Exists(caFile) ? File.ReadAllText(caFile) : throw new UsageException("no such CA file: " + caFile);
            try
            {
                // As the devices read it, before any starts.
                X509Certificate2.CreateFromPem(caPem).Dispose();
            }
            catch (CryptographicException)
            {
                throw new UsageException("--ca " + caFile + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
        }

        if (Mixed(a) is { } mixed)
        {
            throw new UsageException(mixed);
        }

        // Before anything is provisioned: the core refuses such names when the devices start, too late.
        if (a.ProductKey is { } key && DeviceRegistry.KeyProblem(key) is { } badKey)
        {
            throw new UsageException("--product-key " + badKey);
        }

        if (a.DeviceName is { } given && (count > 1 ? DeviceRegistry.NumberedNamesProblem(given, count) : DeviceRegistry.NameProblem(given)) is { } bad)
        {
            throw new UsageException("--device-name " + bad);
        }

        var plan = Plan(a, count, jitter, ref caPem);
        if (plan.Provisioned != null)
        {
            output.WriteLine(plan.Provisioned);
        }

        if (a.ExitWhenConverged && plan.Data == null)
        {
            throw new UsageException("--exit-when-converged needs --data (the local platform knows the current config)");
        }

        string flash = a.Flash ?? Path.Combine(Path.GetTempPath(), "cota-devices-" + Guid.NewGuid().ToString("N")[..10]);
        var meter = new DownloadMeter();
        var devices = new List<HostDevice>();
        var logs = new List<ConsoleLog>();
        var repeats = new ConsoleLog.Repeats();
        output.WriteLine("starting " + count + " virtual device" + (count > 1 ? "s" : "") + " against " + plan.Where + ", download jitter " + jitter + " ms");
        try
        {
            for (int i = 0; i < count; i++)
            {
                var (name, settings) = plan.Devices[i];
                var log = new ConsoleLog(output, name, a.Verbose || count == 1 ? LogLevel.Info : LogLevel.Warning, repeats);
                logs.Add(log);
                var device = new HostDevice(name, Path.Combine(flash, name), caPem, settings, log, Environment.TickCount ^ (i * 7919), meter,
                    plan.Data == null ? null : new PlatformBrokerEndpoint(plan.Data));
                devices.Add(device);
                device.Start();
            }

            return Watch(devices, logs, meter, plan, seconds, a.ExitWhenConverged, output, stop);
        }
        finally
        {
            Parallel.ForEach(devices, d => d.Dispose());
            if (a.Flash == null)
            {
                try
                {
                    Directory.Delete(flash, true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    // What the command line mixes that does not go together, or null: one target, Alibaba Cloud's domains in their pairing,
    // --host's options only with it.
    private static string? Mixed(Given a)
    {
        string[] targets = new[] { a.Data != null ? "--data" : null, a.Host != null ? "--host" : null }.OfType<string>().ToArray();
        string[] aliyun = new[] { a.Region != null ? "--region" : null, a.MqttDomain != null ? "--mqtt-domain" : null,
            a.HttpDomain != null ? "--http-domain" : null }.OfType<string>().ToArray();
        return targets.Length > 1 ? "choose one place to connect: " + string.Join(" or ", targets) + ", not both"
            : targets.Length == 1 && aliyun.Length > 0 ? string.Join(" and ", aliyun) + (aliyun.Length == 1 ? " goes" : " go") + " with Alibaba Cloud, not with " + targets[0]
            : a.Region != null && a.MqttDomain != null ? "--region or --mqtt-domain, not both (an instance's own domain names its region)"
            : a.HttpDomain != null && a.MqttDomain == null ? "--http-domain goes with --mqtt-domain (an instance's own domains; with --region the region's are used)"
            : a.Host == null && (a.Port != null || a.Plain) ? (a.Port != null && a.Plain ? "--port and --plain go" : a.Port != null ? "--port goes" : "--plain goes") + " with --host"
            : null;
    }

    private sealed record DevicePlan(string Where, string? Data, string? ProductKey, List<(string Name, Func<DeviceSettings> Settings)> Devices,
        string? Provisioned = null);

    private static DevicePlan Plan(Given a, int count, int jitter, ref string? caPem)
    {
        var devices = new List<(string, Func<DeviceSettings>)>();
        string? data = a.Data;
        if (data != null)
        {
            var endpoints = RunningPlatform.Find(data);
            caPem ??= File.ReadAllText(endpoints.CaPemPath);
            string pk = a.ProductKey ?? StatusCommand.FirstProduct(data);
            string prefix = a.DeviceName ?? "dev";
            if (count == 1 && a.DeviceName != null)
            {
                var registry = new DeviceRegistry(data);
                var d = registry.FindDevice(pk, prefix) ?? throw new UsageException("the platform has no device " + prefix + " in product " + pk);
                devices.Add((d.DeviceName, () => DeviceProfiles.Local(endpoints.Host, endpoints.MqttTlsPort, pk, d.DeviceName, d.DeviceSecret ?? "", jitter)));
            }
            else
            {
                var provisioned = PlatformClient.CallAsync<ProvisionedDevice[]>(endpoints, HttpMethod.Post,
                    "provision?productKey=" + Uri.EscapeDataString(pk) + "&count=" + count + "&prefix=" + Uri.EscapeDataString(prefix)).GetAwaiter().GetResult();
                foreach (var d in provisioned)
                {
                    devices.Add((d.DeviceName, () => DeviceProfiles.Local(endpoints.Host, endpoints.MqttTlsPort, pk, d.DeviceName, d.DeviceSecret, jitter)));
                }

                var added = provisioned.Where(d => d.Added).Select(d => d.DeviceName).ToArray();
                if (added.Length > 0)
                {
                    return new DevicePlan("the local platform at " + endpoints.Host + ":" + endpoints.MqttTlsPort + " (TLS), product " + pk, data, pk, devices,
                        "provisioned " + added.Length + " new device" + (added.Length == 1 ? "" : "s") + " on the platform: " + WebConsole.Names(added));
                }
            }

            return new DevicePlan("the local platform at " + endpoints.Host + ":" + endpoints.MqttTlsPort + " (TLS), product " + pk, data, pk, devices);
        }

        string? host = a.Host;
        string productKey = a.ProductKey ?? (host != null ? "a1LocalPk01" : throw new UsageException("say where to connect: --data <dir>, --host <h> --port <p>, or --product-key/--device-name/--device-secret for Alibaba Cloud (see cota-host device --help)"));
        string deviceName = a.DeviceName ?? (host != null ? "dev" : throw new UsageException("--device-name is needed for Alibaba Cloud"));
        string secret = a.DeviceSecret ?? (host != null ? "no-secret-checked" : throw new UsageException("--device-secret is needed for Alibaba Cloud"));
        if (host != null)
        {
            if (a.Port is not { } port)
            {
                throw new UsageException("--host needs --port");
            }

            bool plain = a.Plain;
            for (int i = 1; i <= count; i++)
            {
                string name = count > 1 ? deviceName + i : deviceName;
                devices.Add((name, () =>
                {
                    var s = plain ? DeviceProfiles.Plain(host, port, productKey, name, secret, jitter)
                        : DeviceProfiles.Local(host, port, productKey, name, secret, jitter);
                    return s;
                }));
            }

            return new DevicePlan(host + ":" + port + (plain ? " (plain TCP)" : " (TLS)"), null, productKey, devices);
        }

        if (count > 1)
        {
            throw new UsageException("--devices needs --data or --host: an Alibaba Cloud device has its own secret");
        }

        CloudRegion region = Region(a.Region ?? "cn-shanghai");
        string? mqttDomain = a.MqttDomain;
        string? httpDomain = a.HttpDomain;
        devices.Add((deviceName, () => DeviceProfiles.Aliyun(productKey, deviceName, secret, region, mqttDomain, httpDomain, jitter)));
        string where = mqttDomain ?? (productKey + ".iot-as-mqtt." + LinkkitEndpoint.RegionId(region) + ".aliyuncs.com");
        return new DevicePlan("Alibaba Cloud IoT Platform at " + where + ":1883 (TLS)", null, productKey, devices);
    }

    // The region of an id the parser accepted (one of LinkkitEndpoint's).
    private static CloudRegion Region(string id) => LinkkitEndpoint.TryRegionOf(id, out var region) ? region : throw new ArgumentException("unknown region " + id);

    private static int Watch(List<HostDevice> devices, List<ConsoleLog> logs, DownloadMeter meter, DevicePlan plan, int seconds, bool exitWhenConverged,
        TextWriter output, CancellationToken stop)
    {
        var started = DateTime.UtcNow;
        var connected = new bool[devices.Count];
        var buffer = new byte[64];
        string last = "";
        while (!stop.IsCancellationRequested)
        {
            stop.WaitHandle.WaitOne(1000);
            string? current = plan.Data == null ? null : new DeviceRegistry(plan.Data).CurrentConfig(plan.ProductKey!)?.ConfigId;
            int online = 0, converged = 0;
            var ids = new Dictionary<string, int>();
            for (int i = 0; i < devices.Count; i++)
            {
                var fw = devices[i].Firmware;
                if (fw == null)
                {
                    continue;
                }

                connected[i] |= fw.IsConnected;
                online += fw.IsConnected ? 1 : 0;
                int n = fw.State.CopyActiveConfigId(buffer, 0);
                string id = n > 0 ? Encoding.ASCII.GetString(buffer, 0, n) : "(none)";
                ids[id] = ids.GetValueOrDefault(id) + 1;
                converged += current != null && id == current && !fw.State.IsOnTrial ? 1 : 0;
            }

            string line = "online " + online + "/" + devices.Count + ", downloads in flight " + meter.InFlight + " (peak " + meter.Peak
                + ", requests " + meter.Requests + "), "
                + (current != null ? "on the current config " + current + ": " + converged + "/" + devices.Count
                    : "configs: " + string.Join(", ", ids.Select(kv => kv.Key + " x" + kv.Value)));
            if (line != last)
            {
                output.WriteLine(((int)(DateTime.UtcNow - started).TotalSeconds).ToString().PadLeft(5) + " s  " + line);
                last = line;
            }

            if (exitWhenConverged && current != null && converged == devices.Count && meter.InFlight == 0)
            {
                output.WriteLine("all " + devices.Count + " devices run " + current + "; peak concurrent downloads " + meter.Peak + ", download requests " + meter.Requests);
                return 0;
            }

            if (seconds > 0 && DateTime.UtcNow - started > TimeSpan.FromSeconds(seconds))
            {
                output.WriteLine("stopping after " + seconds + " s; peak concurrent downloads " + meter.Peak + ", download requests " + meter.Requests);
                return NeverConnected(devices, logs, connected, output) || exitWhenConverged ? 1 : 0;
            }
        }

        output.WriteLine("stopping; peak concurrent downloads " + meter.Peak + ", download requests " + meter.Requests);
        return NeverConnected(devices, logs, connected, output) ? 1 : 0;
    }

    // Names each device that never connected, with the last warning it gave (a refused secret, a closed port).
    private static bool NeverConnected(List<HostDevice> devices, List<ConsoleLog> logs, bool[] connected, TextWriter output)
    {
        var never = Enumerable.Range(0, devices.Count).Where(i => !connected[i] && devices[i].Firmware?.IsConnected != true).ToArray();
        if (never.Length == 0)
        {
            return false;
        }

        output.WriteLine(never.Length + " of " + devices.Count + " devices never connected:");
        foreach (int i in never.Take(10))
        {
            output.WriteLine("  " + devices[i].Name + ": " + (logs[i].LastWarning ?? "no answer from the broker"));
        }

        if (never.Length > 10)
        {
            output.WriteLine("  ...");
        }

        return true;
    }
}
