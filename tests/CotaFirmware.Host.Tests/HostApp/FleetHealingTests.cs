using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using CotaFirmware.Host.Cli;
using CotaFirmware.Host.Cloud;
using CotaFirmware.HostTests.Mqtt;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace CotaFirmware.HostTests.HostApp;

/// <summary>A fleet heals itself: the broker under connected host-board devices (the whole firmware each, over the core
/// MQTT client) is killed and started again; LinkKit reconnects them with backoff, re-reading where the broker is, and
/// subscribes again, so what is published to them afterwards arrives.</summary>
[TestClass]
[DoNotParallelize]
public sealed class FleetHealingTests
{
    const int FleetSize = 5;

    [TestMethod]
    public void DevicesReconnectAndResubscribeAfterMosquittoIsKilledAndRestarted()
    {
        using var broker = Mosquitto.Start();
        string flash = TempFolder("cota-heal-flash");
        var devices = new List<HostDevice>();
        var logs = new List<LineLog>();
        try
        {
            for (int i = 1; i <= FleetSize; i++)
            {
                string name = "dev" + i;
                var log = new LineLog();
                logs.Add(log);
                var device = new HostDevice(name, Path.Combine(flash, name), null,
                    () => DeviceProfiles.Plain("127.0.0.1", broker.Port, "a1HealPk01", name, "no-secret-checked", 0), log, 100 + i);
                devices.Add(device);
                device.Start();
            }

            WaitFor(() => devices.All(d => d.Firmware?.IsConnected == true), 30, "all devices connected");

            broker.Kill();
            WaitFor(() => devices.All(d => d.Firmware?.IsConnected == false), 30, "every device noticed the broker is gone");
            Thread.Sleep(1500); // attempts against a dead port fail and back off
            broker.Restart();
            WaitFor(() => devices.All(d => d.Firmware?.IsConnected == true), 30, "all devices connected again");

            using var peer = Peer.Connect(broker.Port, "cloud-side");
            peer.Subscribe("/sys/a1HealPk01/+/thing/config/push_reply", 1);
            Thread.Sleep(500); // the devices' SUBSCRIBEs went out before they counted as connected; let the broker take them
            for (int i = 1; i <= FleetSize; i++)
            {
                peer.Publish("/sys/a1HealPk01/dev" + i + "/thing/config/push", Encoding.ASCII.GetBytes("{\"id\":\"" + (700 + i) + "\",\"params\":{}}"), 1);
            }

            Assert.IsTrue(peer.WaitFor(FleetSize, 15000), "push_replies received: " + peer.Received.Count);
            var repliedBy = peer.Received.Select(r => r.Topic.Split('/')[3]).Distinct().OrderBy(n => n).ToArray();
            CollectionAssert.AreEqual(Enumerable.Range(1, FleetSize).Select(i => "dev" + i).ToArray(), repliedBy,
                "every device is subscribed again and answers its push");
            foreach (var log in logs)
            {
                StringAssert.Contains(log.Text, "connection lost");
                StringAssert.Contains(log.Text, "reconnecting in");
            }

            var firstWaits = logs.Select(l => FirstReconnectWait(l.Text)).ToArray();
            Assert.IsTrue(firstWaits.Distinct().Count() > 1, "the waits are drawn per device: " + string.Join(", ", firstWaits));
        }
        finally
        {
            Parallel.ForEach(devices, d => d.Dispose());
            TryDelete(flash);
        }
    }

    [TestMethod]
    public void DevicesFollowAKilledLocalPlatformRestartedOnTheSameFolderAndApplyWhatItPublishes()
    {
        string parent = TempFolder("cota-heal-cloud");
        string folder = Path.Combine(parent, "cloud-data");
        string config = Path.Combine(parent, "config.json");
        File.WriteAllText(config, "{\"telemetry\":{\"intervalSeconds\":23}}");
        Process? cloud = null;
        var devices = new List<HostDevice>();
        try
        {
            cloud = StartCloud(folder);
            var first = WaitForEndpoints(folder, cloud);
            string pk = StatusCommand.FirstProduct(folder);
            var registry = new DeviceRegistry(folder);
            string caPem = File.ReadAllText(first.CaPemPath);
            for (int i = 1; i <= FleetSize; i++)
            {
                string name = "dev" + i;
                string secret = registry.FindDevice(pk, name)!.DeviceSecret!;
                var device = new HostDevice(name, Path.Combine(parent, "flash", name), caPem,
                    () => DeviceProfiles.Local(first.Host, first.MqttTlsPort, pk, name, secret, 0), new LineLog(), 200 + i,
                    broker: new PlatformBrokerEndpoint(folder));
                devices.Add(device);
                device.Start();
            }

            WaitFor(() => devices.All(d => d.Firmware?.IsConnected == true), 60, "all devices connected");

            cloud.Kill();
            cloud.WaitForExit();
            WaitFor(() => devices.All(d => d.Firmware?.IsConnected == false), 30, "every device noticed the platform is gone");

            cloud = StartCloud(folder);
            var second = WaitForEndpoints(folder, cloud);
            WaitFor(() => devices.All(d => d.Firmware?.IsConnected == true), 60,
                "all devices connected again (MQTT/TLS port " + first.MqttTlsPort + " before, " + second.MqttTlsPort + " now)");

            var (code, output, error) = CommandLineTests.Run("publish", config, "--data", folder);
            Assert.AreEqual(0, code, output + error);
            WaitFor(() => devices.All(d => d.Firmware?.Telemetry.IntervalSeconds == 23), 60, "every device applied the config published after the restart");
        }
        finally
        {
            Parallel.ForEach(devices, d => d.Dispose());
            if (cloud is { HasExited: false })
            {
                cloud.Kill();
                cloud.WaitForExit();
            }

            cloud?.Dispose();
            TryDelete(parent);
        }
    }

    [TestMethod]
    public void TheHostBoardReadsThePlatformsEndpointFromCloudJsonEachTime()
    {
        string folder = TempFolder("cota-heal-endpoint");
        try
        {
            var endpoint = new PlatformBrokerEndpoint(folder);
            Assert.IsFalse(endpoint.TryRead(out _, out _), "no platform yet");
            new CloudEndpoints { Host = "127.0.0.1", MqttTlsPort = 40001 }.Save(folder);
            Assert.IsTrue(endpoint.TryRead(out string host, out int port));
            Assert.AreEqual(("127.0.0.1", 40001), (host, port));
            new CloudEndpoints { Host = "localhost", MqttTlsPort = 40002 }.Save(folder);
            Assert.IsTrue(endpoint.TryRead(out host, out port));
            Assert.AreEqual(("localhost", 40002), (host, port), "a restarted platform's new port");
            File.WriteAllText(Path.Combine(folder, CloudEndpoints.FileName), "{\"Host\":");
            Assert.IsFalse(endpoint.TryRead(out _, out _), "a file being written: keep the last endpoint");
        }
        finally
        {
            TryDelete(folder);
        }
    }

    // `cota-host cloud --data <folder>` as its own process, so that it can be killed.
    static Process StartCloud(string folder)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "cota-host.dll"), "cloud", "--data", folder, "--devices", FleetSize.ToString() })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static CloudEndpoints WaitForEndpoints(string folder, Process cloud)
    {
        CloudEndpoints? endpoints = null;
        WaitFor(() =>
        {
            Assert.IsFalse(cloud.HasExited, "cota-host cloud exited early");
            try
            {
                endpoints = File.Exists(Path.Combine(folder, CloudEndpoints.FileName)) ? CloudEndpoints.Load(folder) : null;
            }
            catch (Exception e) when (e is IOException || e is System.Text.Json.JsonException)
            {
                endpoints = null;
            }

            return endpoints?.ProcessId == cloud.Id;
        }, 60, "cloud.json of process " + cloud.Id);
        return endpoints!;
    }

    static int FirstReconnectWait(string log)
    {
        string tail = log[(log.IndexOf("reconnecting in ", StringComparison.Ordinal) + "reconnecting in ".Length)..];
        return int.Parse(tail[..tail.IndexOf(' ')]);
    }

    static void WaitFor(Func<bool> condition, int seconds, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.IsTrue(watch.Elapsed < TimeSpan.FromSeconds(seconds), "timed out waiting: " + what);
            Thread.Sleep(100);
        }
    }

    static string TempFolder(string prefix)
    {
        string folder = Path.Combine(Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, true);
        }
        catch (IOException)
        {
        }
    }
}
