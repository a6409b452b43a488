using CotaFirmware.Host.Cli;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.HostTests.HostApp;

/// <summary><c>flash</c> names a slot that holds a download the device refused as refused, not as torn or in progress.</summary>
[TestClass]
public sealed class FlashCommandTests
{
    [TestMethod]
    public async Task ASlotHoldingARejectedDownloadIsNamedRejected()
    {
        await using var platform = await LocalPlatform.StartAsync();
        var product = platform.Registry.AddProduct();
        var registered = platform.Registry.AddDevice(product.ProductKey, "dev1");
        using var flashFolder = new TempFolder("cota-flash-rejected");
        string flash = flashFolder.Path;
        var device = new HostDevice("dev1", flash, platform.CaPem,
            () => DeviceProfiles.Local(platform.Host, platform.MqttTlsPort, product.ProductKey, "dev1", registered.DeviceSecret!, 0), new RecordingLog(), 5);
        try
        {
            device.Start();
            await platform.Cota.WaitForAsync(m => m.DeviceName == "dev1" && m.Kind == DeviceMessageKind.ConfigGet, TimeSpan.FromSeconds(30));
            var config = platform.Cota.PublishConfig(product.ProductKey, "{\"telemetry\":{\"intervalSeconds\":30},\"fanSpeed\":{\"rpm\":900}}");
            long after = platform.Cota.LastSequence;
            await platform.Cota.PushAsync(product.ProductKey);
            var result = await platform.Cota.NextAsync(product.ProductKey, "dev1", DeviceMessageKind.Result, TimeSpan.FromSeconds(30), after);
            StringAssert.Contains(result.Payload, "\"status\":\"rejected\"");
            device.Dispose();
            device = null;

            var (code, output, error) = CommandLineTests.Run("flash", flash);
            Assert.AreEqual(0, code, output + error);
            StringAssert.Contains(output, "rejected: config " + config.ConfigId + ", " + config.Size + " bytes downloaded in full and refused by the device");
            Assert.IsFalse(output.Contains("torn or corrupt", StringComparison.Ordinal), output);
        }
        finally
        {
            device?.Dispose();
        }
    }
}
