using CotaFirmware.Host.Cloud;

namespace CotaFirmware.Host.Cli;

/// <summary><c>cloud</c>: runs the local IoT platform and its web console until Ctrl+C and prints its endpoints and credentials.</summary>
public static class CloudCommand
{
    /// <summary>The command's help.</summary>
    public const string Help = """
        cota-host cloud: run the local IoT platform (loopback only) and its web console until Ctrl+C.

        options:
          --data <dir>      keep the platform's state (devices, configs, CA, ports) in <dir>; default: a temporary folder, deleted on exit
          --devices <n>     devices to provision on the first run (default 3)
          --help            this text

        Prints the web console's address (open it in a browser), the MQTT and HTTPS endpoints, the CA certificate path,
        the product key and secret and each device's secret. A restart on the same <dir> listens on the same ports
        (recorded in <dir>/platform.json), so running devices and open console pages find it again.
        Other commands find it through <dir>/platform.json (publish, status, device --data).
        """;

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter output, CancellationToken stop)
    {
        var a = new Arguments("cloud", args, new[] { "data", "devices" }, new[] { "help" });
        if (a.Has("help"))
        {
            output.WriteLine(Help);
            return 0;
        }

        if (a.Positional.Count > 0)
        {
            throw new UsageException("cloud takes no values ('" + a.Positional[0] + "')");
        }

        int count = a.Int("devices", 3, 0, 10000);
        return RunAsync(a.Folder("data"), count, output, stop).GetAwaiter().GetResult();
    }

    // Before the platform starts: once it says where it listens, the other commands find its product and devices.
    private static void Provision(string folder, int count)
    {
        var registry = new DeviceRegistry(folder);
        var product = registry.Products.FirstOrDefault() ?? registry.AddProduct();
        for (int i = 1; i <= count; i++)
        {
            if (registry.FindDevice(product.ProductKey, "dev" + i) is null)
            {
                registry.AddDevice(product.ProductKey, "dev" + i);
            }
        }
    }

    private static async Task<int> RunAsync(string? data, int count, TextWriter output, CancellationToken stop)
    {
        string folder = data ?? Path.Combine(Path.GetTempPath(), "cota-cloud-" + Guid.NewGuid().ToString("N")[..10]);
        LocalPlatform platform;
        try
        {
            if (PlatformEndpoints.Load(folder) is not { RunsElsewhere: true })
            {
                Provision(folder, count);
            }

            platform = await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = folder, Console = true });
        }
        catch (PortTakenException e)
        {
            output.WriteLine("cannot start the platform: " + e.Message);
            return 1;
        }

        await using (platform)
        {
            var console = platform.Console!;
            output.WriteLine("local IoT platform running (Ctrl+C to stop)");
            output.WriteLine("  web console     " + console.Address);
            output.WriteLine("  data folder     " + folder + (data == null ? " (temporary)" : ""));
            output.WriteLine("  MQTT (TLS)      " + platform.Host + ":" + platform.MqttTlsPort + "   securemode=2");
            output.WriteLine("  MQTT (plain)    " + platform.Host + ":" + platform.MqttPort + "   securemode=3");
            output.WriteLine("  HTTPS           " + platform.HttpsBase + "  (registration " + platform.RegistrationUri.AbsolutePath + ", config downloads)");
            output.WriteLine("  CA certificate  " + platform.CaPemPath);
            foreach (var p in platform.Registry.Products)
            {
                output.WriteLine("  product         " + p.ProductKey + "   ProductSecret " + p.ProductSecret);
                foreach (var d in platform.Registry.Devices.Where(d => d.ProductKey == p.ProductKey))
                {
                    output.WriteLine("    device        " + d.DeviceName + "   DeviceSecret " + (d.DeviceSecret ?? "(dynamic registration)"));
                }
            }

            output.WriteLine("try: cota-host device --data " + folder + " --devices 20   then: cota-host publish <config.json> --data " + folder + " --wait");
            output.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, stop);
            }
            catch (OperationCanceledException)
            {
            }

            output.WriteLine("stopping the platform");
        }

        if (data == null)
        {
            Directory.Delete(folder, true);
        }

        return 0;
    }
}
