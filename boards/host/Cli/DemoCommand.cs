using System.CommandLine;
using System.Text.Json;
using CotaFirmware.App;
using CotaFirmware.Config.Modules;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Files;
using CotaFirmware.Host.Cloud;
using CotaFirmware.Platform;
using LogLevel = CotaFirmware.Platform.LogLevel;

namespace CotaFirmware.Host.Cli;

/// <summary>
/// The demo: the local IoT platform and one virtual device on loopback, taken through a live config, a config that
/// needs a reboot, and a config published while the device is offline and pulled by get when it is back. Every step is
/// checked against what the platform recorded; the first that does not hold ends the demo with exit code 1.
/// </summary>
public static class DemoCommand
{
    private const string DeviceName = "demo-1";

    /// <summary>The first config: telemetry and LED, both taken without a reboot.</summary>
    public const string LiveConfig = """
        {
          "telemetry": { "intervalSeconds": 30 },
          "statusLed": { "pattern": "heartbeat" }
        }
        """;

    /// <summary>The second config: a new Wi-Fi network, taken only after a reboot.</summary>
    public const string RebootConfig = """
        {
          "telemetry": { "intervalSeconds": 30 },
          "statusLed": { "pattern": "heartbeat" },
          "wifi": { "ssid": "lab-net-5g", "password": "correct-horse-battery" }
        }
        """;

    /// <summary>The third config: published while the device is offline, pulled with thing.config.get.</summary>
    public const string OfflineConfig = """
        {
          "telemetry": { "intervalSeconds": 10 },
          "statusLed": { "pattern": "blink" },
          "wifi": { "ssid": "lab-net-5g", "password": "correct-horse-battery" }
        }
        """;

    /// <summary>The program's root: with no command it runs the demo, with these options.</summary>
    public static RootCommand Definition()
    {
        var keep = CommandOptions.Folder("--keep", "keep the platform's data and the device's flash in <dir> (default: temporary, deleted)");
        var injectFault = CommandOptions.Switch("--inject-fault", "the file server answers 403 for config 1: shows how the demo fails (exit 1, naming the step)");
        var root = new RootCommand("""
            cota-host: the CotaFirmware firmware on this PC, with a local IoT platform.

            With no command, the demo: the platform and one virtual device on loopback, three configs (live, reboot,
            offline/get), every step checked against what the platform recorded. It ends within about a minute, also on
            failure. Every command takes --help. Exit codes: 0 success (every step held), 1 a step failed (named),
            2 a bad command line.
            """)
        {
            keep, injectFault,
        };
        root.SetAction((r, stop) => RunAsync(r.InvocationConfiguration.Output, r.GetValue(keep), r.GetValue(injectFault), stop));
        return root;
    }

    private static async Task<int> RunAsync(TextWriter output, string? keep, bool injectFault, CancellationToken stop)
    {
        // A board.json the device would refuse once it boots is a bad installation, named before the platform starts.
        HostBoard.Apply(new DeviceSettings(null));
        var demo = new Demo(output, keep, injectFault, stop);
        try
        {
            await demo.RunAsync();
            return 0;
        }
        catch (DemoFailure e)
        {
            output.WriteLine();
            output.WriteLine("DEMO FAILED: " + e.Message);
            return 1;
        }
        finally
        {
            await demo.DisposeAsync();
        }
    }

    private sealed class DemoFailure(string message) : Exception(message);

    private sealed class Demo(TextWriter output, string? keep, bool injectFault, CancellationToken stop) : IAsyncDisposable
    {
        private readonly DateTime _deadline = DateTime.UtcNow.AddSeconds(60);
        private readonly string _root = keep ?? Path.Combine(Path.GetTempPath(), "cota-demo-" + Guid.NewGuid().ToString("N")[..10]);
        private LocalPlatform? _platform;
        private HostDevice? _device;
        private int _step;
        private int _lastPercent = -1;

        public async Task RunAsync()
        {
            Say("CotaFirmware demo: the firmware's whole job on this PC");
            Step("start the local IoT platform (loopback only)");
            _platform = await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = Path.Combine(_root, "cloud") });
            Ok("MQTT over TLS on " + _platform.Host + ":" + _platform.MqttTlsPort + ", HTTPS on " + _platform.HttpsPort + ", CA " + _platform.CaPemPath);
            var product = _platform.Registry.AddProduct();
            var registered = _platform.Registry.AddDevice(product.ProductKey, DeviceName);
            string pk = product.ProductKey;
            Ok("product " + pk + " with device " + DeviceName + " provisioned (secret kept by the device, not printed)");

            Step("boot the firmware on the host board");
            var log = new ConsoleLog(output, DeviceName, LogLevel.Info);
            long mark = _platform.Cota.LastSequence;
            _device = new HostDevice(DeviceName, Path.Combine(_root, "flash-" + DeviceName), _platform.CaPem,
                () => Settings(_platform.Host, _platform.MqttTlsPort, pk, registered.DeviceSecret!), log, 1);
            _device.DownloadProgress = Progress;
            _device.Start();
            var get = await Expect(m => m.DeviceName == DeviceName && m.Kind == DeviceMessageKind.ConfigGet, mark,
                "the device did not connect and ask for its config (thing.config.get)");
            Received(get);
            Ok("the device is online over TLS and asked for its config; the platform has none yet");

            await Publish(pk, LiveConfig, "1: telemetry every 30 s, LED heartbeat (taken live)", firmware =>
                firmware.State.TelemetryIntervalSeconds == 30 && firmware.State.LedPattern == StatusLedPattern.Heartbeat ? null
                : "the modules did not take config 1 (telemetry " + firmware.State.TelemetryIntervalSeconds + " s)", 1);

            await Publish(pk, RebootConfig, "2: a new Wi-Fi network (needs a reboot)", firmware =>
                firmware.State.WifiSsid == "lab-net-5g" ? null : "the wifi module runs '" + firmware.State.WifiSsid + "', not the new network", 2);

            Step("take the device offline and publish config 3");
            _device.Channel.Online = false;
            await Until(async () => !(await _platform.Broker.OnlineDevicesAsync()).Any(d => d.DeviceName == DeviceName),
                "the platform still sees the device online after its network was cut");
            Ok("the device's network is cut; the platform sees it offline");
            var config3 = _platform.Cota.PublishConfig(pk, OfflineConfig);
            var pushes = await _platform.Cota.PushAsync(pk, config3.ConfigId);
            Ok("config 3 published as " + config3.ConfigId + " (" + config3.Size + " bytes); pushed to " + pushes.Count + " online devices");
            if (pushes.Count != 0)
            {
                throw new DemoFailure("the platform pushed config 3 to a device that should be offline");
            }

            Step("bring the device back: it reconnects and pulls config 3 (thing.config.get)");
            mark = _platform.Cota.LastSequence;
            _lastPercent = -1;
            _device.Channel.Online = true;
            var pulled = await Expect(m => m.DeviceName == DeviceName && m.Kind == DeviceMessageKind.ConfigGet, mark,
                "the device did not reconnect and ask for its config");
            Received(pulled);
            await ExpectApplied(pk, config3, mark);
            var firmware3 = _device.Firmware!;
            if (firmware3.State.TelemetryIntervalSeconds != 10 || firmware3.State.LedPattern != StatusLedPattern.Blink)
            {
                throw new DemoFailure("the modules did not take config 3 (telemetry " + firmware3.State.TelemetryIntervalSeconds + " s)");
            }

            Ok("config 3 applied after the reconnect: telemetry every 10 s, LED blink");

            var state = _platform.Registry.CotaState(pk, DeviceName);
            int bootCount = _device.Boots;
            _device.Dispose();
            _device = null;
            Say("");
            Say("summary: 3 configs applied and confirmed (live, after a reboot, pulled after being offline); "
                + bootCount + " boots; the platform holds " + state.PushReplies.Count + " push_replies (config 3 came by"
                + " thing.config.get, which has none) and " + state.Results.Count + " result messages for " + DeviceName
                + " (a device sends a result again, with the same seq, until the platform's reply reaches it).");
            Say("demo passed");
            Say("next: a fleet, a web console and the rollout: `dotnet run --project boards/host -- cloud --data cloud-data` (docs/local-platform.md)");
        }

        // The demo's board: a small download buffer, so the progress bar moves on configs of a few hundred bytes.
        private static DeviceSettings Settings(string host, int port, string pk, string secret)
        {
            var settings = DeviceProfiles.Local(host, port, pk, DeviceName, secret, 300);
            settings.Download.BufferSize = 32;
            return settings;
        }

        private async Task Publish(string pk, string text, string what, Func<CotaDevice, string?> check, int number)
        {
            Step("publish config " + what);
            int boots = _device!.Boots;
            long mark = _platform!.Cota.LastSequence;
            var config = _platform.Cota.PublishConfig(pk, text);
            Ok("published as " + config.ConfigId + " (" + config.Size + " bytes, sha256 " + config.Sign[..16] + "...)");
            _lastPercent = -1;
            if (injectFault && number == 1)
            {
                _platform.Files.InjectFault(FileFault.Status(403), config.ConfigId);
                Say("    (fault injected: the file server answers 403 for " + config.ConfigId + ")");
            }

            var pushes = await _platform.Cota.PushAsync(pk, config.ConfigId);
            if (pushes.Count != 1)
            {
                throw new DemoFailure("config " + number + " was pushed to " + pushes.Count + " devices, expected 1 (is the device online?)");
            }

            var reply = await _platform.Cota.WaitForPushReplyAsync(pushes[0], Remaining());
            Received(reply);
            if (reply.Code != 200)
            {
                throw new DemoFailure("push_reply of config " + number + " has code " + (reply.Code?.ToString() ?? "none") + ", expected 200");
            }

            Ok("push acknowledged with code 200");
            await ExpectApplied(pk, config, mark);
            if (number == 2)
            {
                if (_device.Boots != boots + 1)
                {
                    throw new DemoFailure("config 2 changes Wi-Fi, which needs a reboot; the device booted " + (_device.Boots - boots) + " times");
                }

                Ok("the device rebooted once (flash kept) and re-applied config 2 at boot");
            }

            string? problem = check(_device.Firmware!);
            if (problem != null)
            {
                throw new DemoFailure(problem);
            }

            Ok("config " + number + " is in force on the device");
        }

        private async Task ExpectApplied(string pk, ConfigFile config, long mark)
        {
            // Results are delivered at least once: one repeated after a lost reply is about an earlier config.
            string about = "\"configId\":\"" + config.ConfigId + "\"";
            var result = await Expect(m => m.DeviceName == DeviceName && m.Kind == DeviceMessageKind.Result && m.Payload.Contains(about), mark,
                "no result event for config " + config.ConfigId);
            Received(result);
            string? status = null;
            string? id = null;
            string errors = "";
            try
            {
                using var doc = JsonDocument.Parse(result.Payload);
                var p = doc.RootElement.GetProperty("params");
                status = p.TryGetProperty("status", out var s) ? s.GetString() : null;
                id = p.TryGetProperty("configId", out var c) ? c.GetString() : null;
                errors = p.TryGetProperty("errors", out var e) ? e.GetRawText() : "";
            }
            catch (Exception e) when (e is JsonException || e is KeyNotFoundException || e is InvalidOperationException)
            {
                throw new DemoFailure("the result event is not a thing event with params: " + result.Payload);
            }

            if (id != config.ConfigId || status != "applied")
            {
                throw new DemoFailure("the device reported '" + status + "' for config " + id + " (expected 'applied' for " + config.ConfigId + ")"
                    + (errors.Length > 2 ? "; errors: " + errors : ""));
            }

            Ok("the platform recorded result 'applied' for " + config.ConfigId);
        }

        private async Task<DeviceMessage> Expect(Func<DeviceMessage, bool> match, long after, string failure)
        {
            try
            {
                return await _platform!.Cota.WaitForAsync(match, Remaining(), after);
            }
            catch (TimeoutException)
            {
                throw new DemoFailure(failure + " (waited until the demo's time limit)");
            }
        }

        private async Task Until(Func<Task<bool>> condition, string failure)
        {
            while (!await condition())
            {
                if (DateTime.UtcNow > _deadline || stop.IsCancellationRequested)
                {
                    throw new DemoFailure(failure);
                }

                await Task.Delay(100);
            }
        }

        private TimeSpan Remaining()
        {
            if (stop.IsCancellationRequested)
            {
                throw new DemoFailure("stopped by the user");
            }

            var left = _deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new DemoFailure("the demo ran out of time (60 s)");
            }

            return left < TimeSpan.FromSeconds(20) ? left : TimeSpan.FromSeconds(20);
        }

        private void Progress(long received, long total)
        {
            int percent = total <= 0 ? 100 : (int)(received * 100 / total);
            if (percent == _lastPercent || (percent < 100 && percent - _lastPercent < 20 && _lastPercent >= 0))
            {
                return;
            }

            _lastPercent = percent;
            int filled = percent / 5;
            Say("    download [" + new string('#', filled) + new string('.', 20 - filled) + "] " + percent + "% " + received + "/" + total + " bytes");
        }

        private void Received(DeviceMessage m)
        {
            string kind = m.Kind switch
            {
                DeviceMessageKind.ConfigGet => "thing.config.get",
                DeviceMessageKind.PushReply => "push_reply",
                DeviceMessageKind.Result => "result event " + m.Identifier,
                _ => m.Kind.ToString(),
            };
            Say("    platform received " + kind + ": " + m.Payload);
        }

        private void Step(string what)
        {
            _step++;
            Say("");
            Say("step " + _step + ": " + what);
        }

        private void Ok(string what) => Say("    ok: " + what);

        private void Say(string line)
        {
            lock (output)
            {
                output.WriteLine(line);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _device?.Dispose();
            if (_platform != null)
            {
                await _platform.DisposeAsync();
            }

            if (keep == null)
            {
                try
                {
                    Directory.Delete(_root, true);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
