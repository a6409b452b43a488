using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using CotaFirmware.Host.Cli;
using CotaFirmware.Host.Cloud;
using CotaFirmware.HostTests.Mqtt;

namespace CotaFirmware.HostTests.HostApp;

/// <summary>A fleet heals itself: the broker under connected host-board devices (the whole firmware each, over the core
/// MQTT client) is killed and started again; LinkKit reconnects them with backoff, re-reading where the broker is, and
/// subscribes again, so what is published to them afterwards arrives. The same under a killed local platform, 20 devices:
/// PlatformKillTests.</summary>
[TestClass]
[DoNotParallelize]
public sealed class FleetHealingTests
{
    private const int FleetSize = 5;

    [TestMethod]
    public void DevicesReconnectAndResubscribeAfterMosquittoIsKilledAndRestarted()
    {
        using var broker = Mosquitto.Start();
        using var flashFolder = new TempFolder("cota-heal-flash");
        Directory.CreateDirectory(flashFolder.Path);
        string flash = flashFolder.Path;
        var devices = new List<HostDevice>();
        var logs = new List<RecordingLog>();
        try
        {
            for (int i = 1; i <= FleetSize; i++)
            {
                string name = "dev" + i;
                var log = new RecordingLog();
                logs.Add(log);
                var device = new HostDevice(name, Path.Combine(flash, name), null,
                    () => DeviceProfiles.Plain("127.0.0.1", broker.Port, "a1HealPk01", name, "no-secret-checked", 0), log, 100 + i);
                devices.Add(device);
                device.Start();
            }

            WaitFor(() => devices.All(d => d.Firmware?.IsConnected == true), 30, "all devices connected");

            broker.Kill();
            WaitFor(() => devices.All(d => d.Firmware?.IsConnected == false), 30, "every device noticed the broker is gone");
            WaitFor(() => logs.All(l => l.Contains("next connection attempt in")), 30, "every device failed an attempt against the dead port and backed off");
            broker.Restart();
            WaitFor(() => devices.All(d => d.Firmware?.IsConnected == true), 30, "all devices connected again");

            using var peer = Peer.Connect(broker.Port, "cloud-side");
            peer.Subscribe("/sys/a1HealPk01/+/thing/config/push_reply", 1);
            // A device counts as connected once its SUBSCRIBEs are sent, and the broker may take them a moment later,
            // so the cloud side pushes again to each device that has not answered yet, as a cloud retries a push.
            var watch = Stopwatch.StartNew();
            string[] repliedBy = Array.Empty<string>();
            for (int round = 0; repliedBy.Length < FleetSize && watch.Elapsed < TimeSpan.FromSeconds(15); round++)
            {
                foreach (int i in Enumerable.Range(1, FleetSize).Where(i => !repliedBy.Contains("dev" + i)))
                {
                    peer.Publish("/sys/a1HealPk01/dev" + i + "/thing/config/push", Encoding.ASCII.GetBytes("{\"id\":\"" + (700 + (10 * round) + i) + "\",\"params\":{}}"), 1);
                }

                peer.WaitFor(peer.Received.Count + FleetSize - repliedBy.Length, 1000);
                repliedBy = peer.Received.Select(r => r.Topic.Split('/')[3]).Distinct().OrderBy(n => n).ToArray();
            }

            CollectionAssert.AreEqual(Enumerable.Range(1, FleetSize).Select(i => "dev" + i).ToArray(), repliedBy,
                "every device is subscribed again and answers its push");
            foreach (var log in logs)
            {
                StringAssert.Contains(log.ToString(), "connection lost");
                StringAssert.Contains(log.ToString(), "reconnecting in");
            }

            var firstWaits = logs.Select(l => FirstReconnectWait(l.ToString())).ToArray();
            Assert.IsTrue(firstWaits.Distinct().Count() > 1, "the waits are drawn per device: " + string.Join(", ", firstWaits));
        }
        finally
        {
            Parallel.ForEach(devices, d => d.Dispose());
        }
    }

    [TestMethod]
    public void TheHostBoardReadsThePlatformsEndpointFromPlatformJsonEachTime()
    {
        using var data = new TempFolder("cota-heal-endpoint");
        Directory.CreateDirectory(data.Path);
        string folder = data.Path;
        var endpoint = new PlatformBrokerEndpoint(folder);
        Assert.IsFalse(endpoint.TryRead(out _, out _), "no platform yet");
        new PlatformEndpoints { Host = "127.0.0.1", MqttTlsPort = 40001 }.Save(folder);
        Assert.IsTrue(endpoint.TryRead(out string host, out int port));
        Assert.AreEqual(("127.0.0.1", 40001), (host, port));
        new PlatformEndpoints { Host = "localhost", MqttTlsPort = 40002 }.Save(folder);
        Assert.IsTrue(endpoint.TryRead(out host, out port));
        Assert.AreEqual(("localhost", 40002), (host, port), "a restarted platform's new port");
        File.WriteAllText(Path.Combine(folder, PlatformEndpoints.FileName), "{\"Host\":");
        Assert.IsFalse(endpoint.TryRead(out _, out _), "a file being written: keep the last endpoint");
    }

    private static int FirstReconnectWait(string log)
    {
        string tail = log[(log.IndexOf("reconnecting in ", StringComparison.Ordinal) + "reconnecting in ".Length)..];
        return int.Parse(tail[..tail.IndexOf(' ')]);
    }

    private static void WaitFor(Func<bool> condition, int seconds, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.IsTrue(watch.Elapsed < TimeSpan.FromSeconds(seconds), "timed out waiting: " + what);
            Thread.Sleep(100);
        }
    }
}
