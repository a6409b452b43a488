using CotaFirmware.Host.Cli;
using CotaFirmware.Host.Cloud.Registry;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.HostTests.HostApp;

/// <summary>What <c>cloud</c> and <c>device</c> print and how they end: secrets once, one line per event, a refused
/// device named once and a non-zero exit when a device never connected.</summary>
[TestClass]
public sealed class CommandNoiseTests
{
    [TestMethod]
    public void CloudShowsSecretsWhenItProvisionsThemOrWhenAsked()
    {
        using var folder = new TempFolder("cota-secrets");
        var first = RunCloudOnce(folder.Path);
        var registry = new DeviceRegistry(folder.Path);
        var secret = registry.Devices[0].DeviceSecret!;
        StringAssert.Contains(first, secret, "a first run shows the secrets it made");

        var again = RunCloudOnce(folder.Path);
        Assert.IsFalse(again.Contains(secret, StringComparison.Ordinal), "a restart does not print them again");
        Assert.IsFalse(again.Contains(registry.Products[0].ProductSecret, StringComparison.Ordinal));
        StringAssert.Contains(again, "--show-secrets");

        StringAssert.Contains(RunCloudOnce(folder.Path, "--show-secrets"), secret);
    }

    [TestMethod]
    public async Task ADeviceTheBrokerRefusesIsNamedOnceAndTheRunExitsOne()
    {
        await using var platform = await LocalPlatform.StartAsync();
        var product = platform.Registry.AddProduct();
        platform.Registry.AddDevice(product.ProductKey, "dev1");
        string ca = Path.Combine(platform.DataFolder, "test-ca.pem");
        File.WriteAllText(ca, platform.CaPem);

        var (code, output, error) = CommandLineTests.Run("device", "--host", platform.Host, "--port", platform.MqttTlsPort.ToString(),
            "--product-key", product.ProductKey, "--device-name", "dev1", "--device-secret", "not-the-secret", "--ca", ca, "--seconds", "5");

        Assert.AreEqual(1, code, output + error);
        StringAssert.Contains(output, "1 of 1 devices never connected:");
        var refusals = output.Split('\n').Where(l => l.Contains("warning: connect to", StringComparison.Ordinal)).ToArray();
        Assert.AreEqual(1, refusals.Length, "the refusal is named once, then the device backs off:\n" + output);
        Assert.IsTrue(platform.Broker.Refusals.Count is >= 2 and <= 4, "1 s doubling: 2 to 4 attempts in 5 s, not " + platform.Broker.Refusals.Count);
    }

    [TestMethod]
    public async Task DeviceSaysWhichDevicesItProvisioned()
    {
        using var data = new TempFolder("cota-provision");
        string folder = data.Path;
        var lines = new List<string>();
        var allGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int Count(string start)
        {
            lock (lines)
            {
                return lines.Count(l => l.StartsWith(start, StringComparison.Ordinal));
            }
        }

        void Take(string line)
        {
            lock (lines)
            {
                lines.Add(line);
            }

            if (Count("mqtt: disconnected ") >= 3)
            {
                allGone.TrySetResult();
            }
        }

        var platform = await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = folder, Console = true, Log = Take });
        try
        {
            platform.Registry.AddProduct();
            var (code, output, error) = CommandLineTests.Run("device", "--data", folder, "--devices", "3", "--seconds", "3");
            Assert.AreEqual(0, code, output + error);
            StringAssert.Contains(output, "provisioned 3 new devices on the platform: dev1, dev2, dev3");

            // The broker hears of the closed connections after the command returned: its log lines are awaited.
            await Task.WhenAny(allGone.Task, Task.Delay(TimeSpan.FromSeconds(20)));

            Assert.AreEqual(1, Count("registry: provisioned 3 devices"));
            Assert.AreEqual(3, Count("mqtt: connected "));
            Assert.AreEqual(3, Count("mqtt: disconnected "));
        }
        finally
        {
            await platform.DisposeAsync();
        }
    }

    [TestMethod]
    public void AFleetsRepeatedWarningsArePrintedOnceWithACount()
    {
        var output = new StringWriter();
        var repeats = new ConsoleLog.Repeats();
        var logs = Enumerable.Range(1, 20).Select(i => new ConsoleLog(output, "dev" + i, LogLevel.Warning, repeats)).ToArray();
        foreach (var log in logs)
        {
            log.Write(LogLevel.Warning, "linkkit", "connection lost: channel failed; reconnecting in " + (700 + log.GetHashCode() % 300) + " ms");
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual(2, lines.Length, output.ToString());
        StringAssert.Contains(lines[1], "(10 times from 10 devices since ");

        logs[0].Write(LogLevel.Info, "linkkit", "connected to 127.0.0.1:8883 as pk.dev1");
        lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual(3, lines.Length, output.ToString());
        StringAssert.Contains(lines[2], "(20 times from 20 devices since ");
        StringAssert.Contains(lines[2], " in all)");

        logs[5].Write(LogLevel.Warning, "linkkit", "connection lost: channel failed; reconnecting in 1000 ms");
        StringAssert.EndsWith(output.ToString().TrimEnd(), "[dev6] linkkit: warning: connection lost: channel failed; reconnecting in 1000 ms",
            "a new outage is named again");
    }

    private static string RunCloudOnce(string folder, params string[] extra)
    {
        using var stopped = new CancellationTokenSource();
        stopped.Cancel();
        var (code, output, error) = CommandLineTests.Run(stopped.Token, new[] { "cloud", "--data", folder, "--devices", "2" }.Concat(extra).ToArray());
        Assert.AreEqual(0, code, output + error);
        return output;
    }
}
