using CotaFirmware.Host.Cli;
using CotaFirmware.Host.Cloud.Registry;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.HostTests.HostApp;

/// <summary><c>cloud</c>, <c>device</c>, <c>publish</c> and <c>status</c> together on one data folder, as a user runs them in three terminals.</summary>
[TestClass]
public sealed class CloudCommandTests
{
    [TestMethod]
    public async Task PublishReachesARunningDeviceAndStatusShowsItsResult()
    {
        using var temp = new TempFolder("cota-cloud-test");
        Directory.CreateDirectory(temp.Path);
        string folder = Path.Combine(temp.Path, "data");
        string configFile = Path.Combine(temp.Path, "config.json");
        File.WriteAllText(configFile, "{\"telemetry\":{\"intervalSeconds\":15}}");
        using var stopCloud = new CancellationTokenSource();
        var cloud = Task.Run(() => CommandLineTests.Run(stopCloud.Token, "cloud", "--data", folder, "--devices", "2"));
        try
        {
            await WaitForPlatform(folder, cloud);

            var (statusCode, statusOut, _) = CommandLineTests.Run("status", "--data", folder);
            Assert.AreEqual(0, statusCode);
            StringAssert.Contains(statusOut, "(platform running)");
            StringAssert.Contains(statusOut, "dev1");
            StringAssert.Contains(statusOut, "dev2");
            StringAssert.Contains(statusOut, "current config (none)");

            using var stopDevice = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            var device = Task.Run(() => CommandLineTests.Run(stopDevice.Token, "device", "--data", folder, "--device-name", "dev1",
                "--jitter", "0", "--exit-when-converged", "--seconds", "35"));
            await WaitUntil(() => CommandLineTests.Run("status", "--data", folder).Out.Contains("dev1                 yes"), device);

            var (refusedCode, _, refusedErr) = CommandLineTests.Run("publish", configFile, "--data", folder, "--halt-count", "0");
            Assert.AreEqual(2, refusedCode);
            StringAssert.Contains(refusedErr, "a threshold needs a refusal count or a percentage");

            var (publishCode, publishOut, publishErr) = CommandLineTests.Run("publish", configFile, "--data", folder,
                "--halt-percent", "25", "--halt-min-results", "4");
            Assert.AreEqual(0, publishCode, publishErr);
            StringAssert.Contains(publishOut, "pushed to 1 online devices: dev1");
            StringAssert.Contains(publishOut, "rollout halts at 25% of results refusing, after 4 results");
            string configId = publishOut.Split("as configId ")[1].Split(' ')[0];

            var (deviceCode, deviceOut, deviceErr) = await device;
            Assert.AreEqual(0, deviceCode, deviceOut + deviceErr);
            StringAssert.Contains(deviceOut, "all 1 devices run " + configId);

            var (finalCode, finalOut, _) = CommandLineTests.Run("status", "--data", folder);
            Assert.AreEqual(0, finalCode);
            StringAssert.Contains(finalOut, "current config " + configId);
            StringAssert.Contains(finalOut, "rollout of " + configId + ": halts at 25% of results refusing, after 4 results");
            StringAssert.Contains(finalOut, "applied " + configId);
        }
        finally
        {
            stopCloud.Cancel();
            var (cloudCode, cloudOut, cloudErr) = await cloud;
            Assert.AreEqual(0, cloudCode, cloudOut + cloudErr);
            StringAssert.Contains(cloudOut, "DeviceSecret");
            StringAssert.Contains(cloudOut, "web console     http://127.0.0.1:");
            Assert.IsFalse(PlatformEndpoints.Load(folder)!.IsRunning, "platform.json says the platform stopped");
        }
    }

    [TestMethod]
    public async Task PublishWaitNamesEachDeviceThatRejectedAndStatusShowsTheReasons()
    {
        using var temp = new TempFolder("cota-cloud-test");
        Directory.CreateDirectory(temp.Path);
        string folder = Path.Combine(temp.Path, "data");
        string bad = Path.Combine(temp.Path, "bad.json");
        string broken = Path.Combine(temp.Path, "broken.json");
        File.WriteAllText(bad, "{\"telemetry\":{\"intervalSeconds\":15},\"fanSpeed\":{\"rpm\":900}}");
        File.WriteAllText(broken, "{\"telemetry\":");
        using var stopCloud = new CancellationTokenSource();
        var cloud = Task.Run(() => CommandLineTests.Run(stopCloud.Token, "cloud", "--data", folder, "--devices", "2"));
        VirtualFleet? fleet = null;
        try
        {
            await WaitForPlatform(folder, cloud);
            var endpoints = RunningPlatform.Find(folder);
            string pk = StatusCommand.FirstProduct(folder);
            var registry = new CotaFirmware.Host.Cloud.Registry.DeviceRegistry(folder);
            fleet = new VirtualFleet(endpoints.Host, endpoints.MqttTlsPort, File.ReadAllText(endpoints.CaPemPath), pk,
                registry.Devices.Select(d => (d.DeviceName, d.DeviceSecret!)));
            await fleet.WaitOnlineAsync(TimeSpan.FromSeconds(30));
            await WaitUntil(() => CommandLineTests.Run("status", "--data", folder).Out.Contains("dev2                 yes"), cloud);

            var (brokenCode, _, brokenErr) = CommandLineTests.Run("publish", broken, "--data", folder, "--wait");
            Assert.AreEqual(2, brokenCode);
            StringAssert.Contains(brokenErr, "cannot be published: not valid JSON at line 1");

            var (code, output, error) = CommandLineTests.Run("publish", bad, "--data", folder, "--wait", "--timeout", "60");
            Assert.AreEqual(1, code, output + error);
            StringAssert.Contains(output, "2 of 2 devices did not apply");
            StringAssert.Contains(output, "dev1: rejected it: fanSpeed: key_not_recognized");
            StringAssert.Contains(output, "dev2: rejected it: fanSpeed: key_not_recognized");
            StringAssert.Contains(output, "rejected 2");

            var (statusCode, status, _) = CommandLineTests.Run("status", "--data", folder);
            Assert.AreEqual(0, statusCode);
            StringAssert.Contains(status, "reasons: fanSpeed: key_not_recognized");
            StringAssert.Contains(status, "refused by devices (not offered): ");
            StringAssert.Contains(status, "web console   http://127.0.0.1:" + endpoints.ConsolePort + "/?token=");
        }
        finally
        {
            fleet?.Dispose();
            stopCloud.Cancel();
            await cloud;
        }
    }

    [TestMethod]
    public void WithoutDataTheCloudRunsInATemporaryFolderThatGoesWithIt()
    {
        using var stopped = new CancellationTokenSource();
        stopped.Cancel();
        var (code, output, error) = CommandLineTests.Run(stopped.Token, "cloud", "--devices", "1");

        Assert.AreEqual(0, code, output + error);
        string line = output.Split('\n').Single(l => l.Contains("data folder"));
        StringAssert.EndsWith(line.TrimEnd(), "(temporary)");
        string folder = line.Split("data folder")[1].Replace("(temporary)", "").Trim();
        Assert.IsFalse(Directory.Exists(folder), folder + " is left behind");
    }

    private static async Task WaitForPlatform(string folder, Task running) =>
        await WaitUntil(() => PlatformEndpoints.Load(folder) is { IsRunning: true, ConsolePort: > 0 }, running);

    private static async Task WaitUntil(Func<bool> condition, Task running)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (running.IsCompleted)
            {
                Assert.Fail("the command ended early: " + await (Task<(int, string, string)>)running);
            }

            Assert.IsTrue(DateTime.UtcNow < until, "timed out waiting");
            await Task.Delay(100);
        }
    }
}
