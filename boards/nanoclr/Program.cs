using CotaFirmware.Host.Cli;
using CotaFirmware.Host.Cloud.Registry;
using CotaFirmware.Host.Cloud.Web;
using CotaFirmware.NanoBuild;

namespace CotaFirmware.NanoClrBoard;

/// <summary>
/// Runs the ESP32 application, as it ships, on nanoCLR against the local IoT platform of `cota-host cloud --data`:
/// over TLS with the platform's CA, its flash in a folder that outlives each run, restarted when it reboots.
/// </summary>
public static class Program
{
    private const string Usage = """
        usage: dotnet run --project boards/nanoclr -- --data <dir> [options]

        Builds the ESP32 application (firmware/CotaFirmware.Esp32) and the core for the device, and runs it on nanoCLR,
        the device's interpreter, against the local IoT platform that `cota-host cloud --data <dir>` runs.
          --data <dir>           the platform's folder (required)
          --device-name <dn>     a device the platform has (default: one provisioned for it, esp1, esp2, ...)
          --flash <dir>          the folder that is the device's I:\ (default: nanoclr-flash-<dn>, kept across runs)
          --mqtt core|m2mqtt     the MQTT session: the core client over the TLS channel, or nanoFramework's M2Mqtt
          --heap-bytes <n>       the managed heap (default 160000; an ESP32 without PSRAM gives about 79,000 B of
                                 12-byte blocks, nanoCLR's blocks are 24 bytes)
          --configuration <c>    Release (default) or Debug
        A reboot the firmware asks for ends nanoCLR's run; the command starts it again on the same flash. Ctrl+C stops.
        """;

    public static int Main(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "-h" or "--help")
            {
                Console.WriteLine(Usage);
                return 0;
            }

            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                return Refuse("'" + args[i] + "' is not an option with a value");
            }

            options[args[i][2..]] = args[++i];
        }

        var unknown = options.Keys.Except(new[] { "data", "device-name", "flash", "mqtt", "heap-bytes", "configuration" }).ToList();
        if (unknown.Count > 0 || !options.TryGetValue("data", out string? data))
        {
            return Refuse(unknown.Count > 0 ? "unknown option --" + unknown[0] : "--data <dir> is required");
        }

        string mqtt = options.GetValueOrDefault("mqtt", "core");
        string configuration = options.GetValueOrDefault("configuration", "Release");
        if (mqtt is not ("core" or "m2mqtt") || configuration is not ("Release" or "Debug")
            || !int.TryParse(options.GetValueOrDefault("heap-bytes", "160000"), out int heap) || heap < 16 * 1024)
        {
            return Refuse("--mqtt takes core or m2mqtt, --configuration Release or Debug, --heap-bytes a number of at least 16384");
        }

        if (NanoTools.Missing is { } missing)
        {
            Console.Error.WriteLine("cannot run on nanoCLR: " + missing);
            return 1;
        }

        try
        {
            return Run(Path.GetFullPath(data), options.GetValueOrDefault("device-name"), options.GetValueOrDefault("flash"), mqtt, configuration, heap);
        }
        catch (UsageException e)
        {
            return Refuse(e.Message);
        }
        catch (RunFailedException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    private static int Run(string data, string? deviceName, string? flash, string mqtt, string configuration, int heap)
    {
        var endpoints = RunningPlatform.Find(data);
        string pk = StatusCommand.FirstProduct(data);
        string secret;
        if (deviceName != null)
        {
            var device = new DeviceRegistry(data).FindDevice(pk, deviceName) ?? throw new UsageException("the platform has no device " + deviceName + " in product " + pk);
            secret = device.DeviceSecret ?? throw new UsageException(deviceName + " has no secret yet (it registers dynamically)");
        }
        else
        {
            var made = PlatformClient.CallAsync<ProvisionedDevice[]>(endpoints, HttpMethod.Post,
                "provision?productKey=" + Uri.EscapeDataString(pk) + "&count=1&prefix=esp").GetAwaiter().GetResult();
            (deviceName, secret) = (made[0].DeviceName, made[0].DeviceSecret);
            Console.WriteLine("provisioned " + deviceName + " in product " + pk);
        }

        Console.WriteLine("building the ESP32 application and the core for the device (" + configuration + ")...");
        var build = Esp32Image.Build(configuration, NanoBuild.Repo.Path("artifacts", "nano", "esp32-" + configuration));
        var load = Esp32Image.LoadOrder(build);
        flash = Path.GetFullPath(flash ?? "nanoclr-flash-" + deviceName);
        Esp32Image.Deploy(flash, Esp32Image.Board(mqtt), Esp32Image.LocalDevice(pk, deviceName, secret, endpoints.Host, endpoints.MqttTlsPort, endpoints.HttpsPort),
            File.ReadAllText(endpoints.CaPemPath));
        Console.WriteLine(deviceName + " on nanoCLR: flash " + flash + ", heap " + heap + " B, MQTT " + mqtt + " over TLS to "
            + endpoints.Host + ":" + endpoints.MqttTlsPort + " (Ctrl+C stops)");

        AppRun? run = null;
        bool stopping = false;
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping = true;
            run?.Kill();
        };
        for (int boot = 1; ; boot++)
        {
            using (run = AppRun.Start(load, flash, heap, echo: line => Console.WriteLine(line)))
            {
                int exit = run.WaitForExitAsync(Timeout.InfiniteTimeSpan).GetAwaiter().GetResult();
                if (stopping)
                {
                    return 0;
                }

                if (exit != 0 || !run.Lines.Any(l => l.Contains("config needs a reboot", StringComparison.Ordinal)))
                {
                    Console.Error.WriteLine("nanoCLR ended (exit " + exit + ") without a reboot the firmware asked for");
                    return 1;
                }
            }

            Console.WriteLine("--- the firmware rebooted: boot " + (boot + 1) + " on the same flash ---");
        }
    }

    private static int Refuse(string why)
    {
        Console.Error.WriteLine(why + "\n\n" + Usage);
        return 2;
    }
}
