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
    /// <summary>The command's help.</summary>
    public const string Help = """
        cota-host device: run virtual devices (the whole firmware each) until Ctrl+C or --seconds.

        where to connect (one of):
          --data <dir>                 the local platform of `cota-host cloud --data <dir>` (TLS, its CA; devices provisioned there)
          --host <h> --port <p>        any MQTT broker, e.g. mosquitto; add --plain for plain TCP (no TLS), else TLS
          --product-key <pk> --device-name <dn> --device-secret <s> [--region <id> | --mqtt-domain <d> [--http-domain <d>]]
                                       Alibaba Cloud IoT Platform: region cn-shanghai (default), ap-southeast-1, ap-northeast-1,
                                       us-west-1, us-east-1, eu-central-1; or your instance's own domains
        options:
          --ca <pem file>              the only root CA trusted for TLS and downloads (default: the system's; --data uses the platform CA)
          --devices <n>                run n devices in this process (names <device-name>1..n, default dev1..devn)
          --jitter <ms>                random wait before a pushed config is downloaded (default 5000 for a fleet; for one
                                       device, downloadJitterMs of the host board's board.json)
          --seconds <n>                stop after n seconds (default: until Ctrl+C); exit 1 when a device never connected
          --exit-when-converged        with --data: stop (exit 0) once every device runs the product's current config
          --flash <dir>                the devices' flash folders go here (default: temporary, deleted)
          --verbose                    print the firmware's debug lines
          --help                       this text
        Buffers, the largest config, the trial deadline and keep-alive come from the host board's board.json
        (boards/host/board.json, shipped beside cota-host). Secrets are never printed.
        """;

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter output, CancellationToken stop)
    {
        var a = new Arguments("device", args,
            new[] { "data", "host", "port", "product-key", "device-name", "device-secret", "region", "mqtt-domain", "http-domain", "ca", "devices", "jitter", "seconds", "flash" },
            new[] { "plain", "verbose", "help", "exit-when-converged" });
        if (a.Has("help"))
        {
            output.WriteLine(Help);
            return 0;
        }

        if (a.Positional.Count > 0)
        {
            throw new UsageException("device takes no values ('" + a.Positional[0] + "'; see cota-host device --help)");
        }

        int count = a.Int("devices", 1, 1, 5000);
        int jitter = a.Int("jitter", count > 1 ? 5000 : HostBoard.Apply(new DeviceSettings(null)).Cota.StartJitterMs, 0, 3600000);
        int seconds = a.Int("seconds", 0, 0, 86400 * 365);
        string? caFile = a.Value("ca");
        string? caPem = null;
        if (caFile != null)
        {
            caPem = File.Exists(caFile) ? File.ReadAllText(caFile) : throw new UsageException("no such CA file: " + caFile);
        }

        var plan = Plan(a, count, jitter, ref caPem);
        if (plan.Provisioned != null)
        {
            output.WriteLine(plan.Provisioned);
        }

        if (a.Has("exit-when-converged") && plan.Data == null)
        {
            throw new UsageException("--exit-when-converged needs --data (the local platform knows the current config)");
        }

        string flash = a.Folder("flash") ?? Path.Combine(Path.GetTempPath(), "cota-devices-" + Guid.NewGuid().ToString("N")[..10]);
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
                var log = new ConsoleLog(output, name, a.Has("verbose") ? LogLevel.Debug : count > 1 ? LogLevel.Warning : LogLevel.Info, repeats);
                logs.Add(log);
                var device = new HostDevice(name, Path.Combine(flash, name), caPem, settings, log, Environment.TickCount ^ (i * 7919), meter,
                    plan.Data == null ? null : new PlatformBrokerEndpoint(plan.Data));
                devices.Add(device);
                device.Start();
            }

            return Watch(devices, logs, meter, plan, seconds, a.Has("exit-when-converged"), output, stop);
        }
        finally
        {
            Parallel.ForEach(devices, d => d.Dispose());
            if (a.Value("flash") == null)
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

    private sealed record DevicePlan(string Where, string? Data, string? ProductKey, List<(string Name, Func<DeviceSettings> Settings)> Devices,
        string? Provisioned = null);

    private static DevicePlan Plan(Arguments a, int count, int jitter, ref string? caPem)
    {
        var devices = new List<(string, Func<DeviceSettings>)>();
        string? data = a.Folder("data");
        if (data != null)
        {
            var endpoints = RunningPlatform.Find(data);
            caPem ??= File.ReadAllText(endpoints.CaPemPath);
            string pk = a.Value("product-key") ?? StatusCommand.FirstProduct(data);
            string prefix = a.Value("device-name") ?? "dev";
            if (count == 1 && a.Value("device-name") != null)
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

        string? host = a.Value("host");
        string productKey = a.Value("product-key") ?? (host != null ? "a1LocalPk01" : throw new UsageException("say where to connect: --data <dir>, --host <h> --port <p>, or --product-key/--device-name/--device-secret for Alibaba Cloud (see cota-host device --help)"));
        string deviceName = a.Value("device-name") ?? (host != null ? "dev" : throw new UsageException("--device-name is needed for Alibaba Cloud"));
        string secret = a.Value("device-secret") ?? (host != null ? "no-secret-checked" : throw new UsageException("--device-secret is needed for Alibaba Cloud"));
        if (!CotaFirmware.Linkkit.DeviceIdentity.IsProductKey(productKey) || !CotaFirmware.Linkkit.DeviceIdentity.IsDeviceName(deviceName))
        {
            throw new UsageException("--product-key or --device-name is not a valid LinkKit name");
        }

        if (host != null)
        {
            if (a.Value("port") == null)
            {
                throw new UsageException("--host needs --port");
            }

            int port = a.Int("port", 1883, 1, 65535);
            bool plain = a.Has("plain");
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

        CloudRegion region = ParseRegion(a.Value("region") ?? "cn-shanghai");
        string? mqttDomain = a.Value("mqtt-domain");
        string? httpDomain = a.Value("http-domain");
        devices.Add((deviceName, () => DeviceProfiles.Aliyun(productKey, deviceName, secret, region, mqttDomain, httpDomain, jitter)));
        string where = mqttDomain ?? (productKey + ".iot-as-mqtt." + LinkkitEndpoint.RegionId(region) + ".aliyuncs.com");
        return new DevicePlan("Alibaba Cloud IoT Platform at " + where + ":1883 (TLS)", null, productKey, devices);
    }

    private static CloudRegion ParseRegion(string id)
    {
        foreach (CloudRegion r in Enum.GetValues<CloudRegion>())
        {
            if (LinkkitEndpoint.RegionId(r) == id)
            {
                return r;
            }
        }

        throw new UsageException("unknown region '" + id + "' (regions: " + string.Join(", ", Enum.GetValues<CloudRegion>().Select(LinkkitEndpoint.RegionId)) + ")");
    }

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
