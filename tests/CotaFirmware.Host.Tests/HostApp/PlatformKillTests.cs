using System.Diagnostics;
using CotaFirmware.Host.Cli;
using CotaFirmware.Host.Cloud.Web;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.HostTests.HostApp;

/// <summary>A fleet survives its platform: `cota-host cloud` killed (SIGKILL) under 20 connected devices and started
/// again on the same folder, a relative one, listens where they point, and a publish reaches all of them.</summary>
[TestClass]
[DoNotParallelize]
public sealed class PlatformKillTests
{
    private const int FleetSize = 20;

    [TestMethod]
    public async Task AKilledPlatformRestartedOnItsFolderBringsBackItsFleetAndAPublishReachesAll20()
    {
        using var temp = new TempFolder("cota-kill-test");
        string parent = temp.Path;
        Directory.CreateDirectory(parent);
        string folder = Path.Combine(parent, "cloud-data");
        string config = Path.Combine(parent, "config.json");
        File.WriteAllText(config, "{\"telemetry\":{\"intervalSeconds\":20},\"statusLed\":{\"pattern\":\"solid\"}}");
        Process? cloud = null;
        VirtualFleet? fleet = null;
        try
        {
            cloud = StartCloud(parent);
            var first = await WaitForEndpointsAsync(folder, cloud);
            var provisioned = await PlatformClient.CallAsync<ProvisionedDevice[]>(first, HttpMethod.Post,
                "provision?productKey=" + StatusCommand.FirstProduct(folder) + "&count=" + FleetSize + "&prefix=dev");
            fleet = new VirtualFleet(first.Host, first.MqttTlsPort, File.ReadAllText(first.CaPemPath), StatusCommand.FirstProduct(folder),
                provisioned.Select(d => (d.DeviceName, d.DeviceSecret)));
            await fleet.WaitOnlineAsync(TimeSpan.FromSeconds(60));
            Assert.AreEqual(FleetSize, await OnlineAsync(first));

            cloud.Kill();
            await cloud.WaitForExitAsync();
            await Until(() => Task.FromResult(fleet.Online == 0), TimeSpan.FromSeconds(30), "the devices noticed the platform is gone");

            cloud = StartCloud(parent);
            var second = await WaitForEndpointsAsync(folder, cloud);
            Assert.AreEqual(first.MqttTlsPort, second.MqttTlsPort, "same MQTT/TLS port");
            Assert.AreEqual(first.HttpsPort, second.HttpsPort, "same HTTPS port");
            Assert.AreEqual(first.ConsolePort, second.ConsolePort, "same console port");
            var (twiceCode, _, twice) = CommandLineTests.Run("cloud", "--data", folder);
            Assert.AreEqual(1, twiceCode, twice);
            StringAssert.Contains(twice, "a platform already runs on " + folder + " (process " + cloud.Id + ")");

            await fleet.WaitOnlineAsync(TimeSpan.FromSeconds(60));
            await Until(async () => await OnlineAsync(second) == FleetSize, TimeSpan.FromSeconds(30), "the platform sees all 20 again");

            var (code, output, error) = CommandLineTests.Run("publish", config, "--data", folder, "--wait", "--timeout", "90");
            Assert.AreEqual(0, code, output + error);
            StringAssert.Contains(output, "pushed to 20 online devices");
            StringAssert.Contains(output, "all 20 devices applied");
        }
        finally
        {
            fleet?.Dispose();
            if (cloud is { HasExited: false })
            {
                cloud.Kill();
                await cloud.WaitForExitAsync();
            }

            cloud?.Dispose();
        }
    }

    // `cota-host cloud --data cloud-data`, relative to its working directory, as a user types it.
    private static Process StartCloud(string workingDirectory) =>
        CommandLineTests.Start(workingDirectory, "cloud", "--data", "cloud-data", "--devices", "0");

    private static async Task<PlatformEndpoints> WaitForEndpointsAsync(string folder, Process cloud)
    {
        PlatformEndpoints? endpoints = null;
        await Until(() =>
        {
            Assert.IsFalse(cloud.HasExited, "cota-host cloud exited with " + (cloud.HasExited ? cloud.ExitCode : 0));
            try
            {
                endpoints = PlatformEndpoints.Load(folder);
            }
            catch (Exception e) when (e is IOException || e is DamagedDataException)
            {
                endpoints = null;
            }

            return Task.FromResult(endpoints?.ProcessId == cloud.Id);
        }, TimeSpan.FromSeconds(60), "platform.json of process " + cloud.Id);
        return endpoints!;
    }

    private static async Task<int> OnlineAsync(PlatformEndpoints endpoints)
    {
        var state = await PlatformClient.CallAsync<FleetSnapshot>(endpoints, HttpMethod.Get, "state");
        return state.Devices.Count(d => d.Online == true);
    }

    private static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.IsTrue(DateTime.UtcNow < until, "timed out waiting for " + what);
            await Task.Delay(200);
        }
    }
}
