using System.CommandLine;
using CotaFirmware.Host.Cloud.Registry;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.Host.Cli;

/// <summary><c>cloud</c>: runs the local IoT platform and its web console until Ctrl+C and prints its endpoints and credentials.</summary>
public static class CloudCommand
{
    /// <summary>The command, its options and its action.</summary>
    public static Command Definition()
    {
        var data = CommandOptions.Data("keep the platform's state (devices, configs, CA, ports) in <dir>; default: a temporary folder, deleted on exit");
        var devices = CommandOptions.WholeNumber("--devices", "n", 0, 10000, "devices to provision on the first run (default 3)");
        var showSecrets = CommandOptions.Switch("--show-secrets",
            "print the product secret and every device's secret (printed anyway for devices this run provisions)");
        var command = new CommandWithNotes("cloud", "Run the local IoT platform (loopback only) and its web console until Ctrl+C.", """
            Prints the web console's address (open it in a browser), the MQTT and HTTPS endpoints, the CA certificate path
            and the product key, then one line per connect, disconnect, provisioning and publication. A restart on the
            same <dir> listens on the same ports (recorded in <dir>/platform.json), so running devices and open console
            pages find it again. Other commands find it through <dir>/platform.json (publish, status, device --data).
            """)
        {
            data, devices, showSecrets,
        };
        command.SetAction((r, stop) => RunAsync(r.GetValue(data), r.GetValue(devices) ?? 3, r.GetValue(showSecrets), r.InvocationConfiguration.Output, stop));
        return command;
    }

    // Before the platform starts: once it says where it listens, the other commands find its product and devices.
    // Returns what this run added (their secrets are shown once).
    private static HashSet<string> Provision(string folder, int count)
    {
        var registry = new DeviceRegistry(folder);
        var added = new HashSet<string>(StringComparer.Ordinal);
        var product = registry.Products.FirstOrDefault();
        if (product is null)
        {
            product = registry.AddProduct();
            added.Add(product.ProductKey);
        }

        for (int i = 1; i <= count; i++)
        {
            if (registry.FindDevice(product.ProductKey, "dev" + i) is null)
            {
                registry.AddDevice(product.ProductKey, "dev" + i);
                added.Add(product.ProductKey + "/dev" + i);
            }
        }

        return added;
    }

    private static async Task<int> RunAsync(string? data, int count, bool showSecrets, TextWriter output, CancellationToken stop)
    {
        // Read before the data folder is touched: a refused board.json leaves nothing behind.
        int maxConfigSize = HostBoard.Apply(new CotaFirmware.App.DeviceSettings(null)).MaxConfigSize;
        string folder = data ?? Path.Combine(Path.GetTempPath(), "cota-cloud-" + Guid.NewGuid().ToString("N")[..10]);
        var added = new HashSet<string>();
        bool started = false;
        if (PlatformEndpoints.Load(folder) is not { RunsElsewhere: true })
        {
            added = Provision(folder, count);
        }

        var platform = await LocalPlatform.StartAsync(new PlatformSettings
        {
            DataFolder = folder,
            Console = true,
            MaxConfigSize = maxConfigSize,
            // What happens after the start banner, one line each, with the time.
            Log = line =>
            {
                if (Volatile.Read(ref started))
                {
                    lock (output)
                    {
                        output.WriteLine(DateTime.Now.ToString("HH:mm:ss") + "  " + line);
                        output.Flush();
                    }
                }
            },
        });

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
                var devices = platform.Registry.Devices.Where(d => d.ProductKey == p.ProductKey).ToArray();
                output.WriteLine("  product         " + p.ProductKey + "   " + devices.Length + " devices"
                    + (showSecrets || added.Contains(p.ProductKey) ? "   ProductSecret " + p.ProductSecret : ""));
                foreach (var d in devices.Where(d => showSecrets || added.Contains(d.ProductKey + "/" + d.DeviceName)))
                {
                    output.WriteLine((added.Contains(d.ProductKey + "/" + d.DeviceName) ? "    new device    " : "    device        ") + d.DeviceName + "   DeviceSecret " + (d.DeviceSecret ?? "(dynamic registration)"));
                }
            }

            if (!showSecrets)
            {
                output.WriteLine("  secrets         shown once, when provisioned; again with --show-secrets");
            }

            output.WriteLine("try: cota-host device --data " + folder + " --devices 20   then: cota-host publish <config.json> --data " + folder + " --wait");
            output.Flush();
            Volatile.Write(ref started, true);
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
