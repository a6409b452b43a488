using CotaFirmware.Host.Cli;
using CotaFirmware.Host.Cloud;
using CotaFirmware.HostTests.Cota;
using CotaFirmware.HostTests.Mqtt;

namespace CotaFirmware.HostTests.HostApp;

/// <summary><c>publish --broker</c> pushes a config through a plain mosquitto to a device run as <c>device --plain</c>,
/// answering its thing.config.get as the platform would, and reads its verdict from its ConfigResult event.</summary>
[TestClass]
public sealed class BrokerPublishTests
{
    [TestMethod]
    public async Task AConfigPushedThroughMosquittoIsAppliedAndARejectedOneNamesItsReason()
    {
        using var broker = Mosquitto.Start();
        // Any file server does; this one is the local platform's (HTTPS, its own CA, which the device is given).
        await using var files = await LocalPlatform.StartAsync();
        var product = files.Registry.AddProduct();
        string good = "{\"telemetry\":{\"intervalSeconds\":45}}";
        string bad = "{\"telemetry\":{\"intervalSeconds\":45},\"fanSpeed\":{\"rpm\":900}}";
        string goodUrl = files.Cota.DownloadUrl(files.Cota.PublishConfig(product.ProductKey, good));
        string badUrl = files.Cota.DownloadUrl(files.Cota.PublishConfig(product.ProductKey, bad));

        using var owned = new TempFolder("cota-broker-publish");
        string folder = owned.Path;
        var device = new HostDevice("pump-1", Path.Combine(folder, "flash"), files.CaPem,
            () => DeviceProfiles.Plain("127.0.0.1", broker.Port, product.ProductKey, "pump-1", "unchecked", 0), new RecordingLog(), 3);
        try
        {
            device.Start();
            var until = DateTime.UtcNow.AddSeconds(30);
            while (device.Firmware?.IsConnected != true)
            {
                Assert.IsTrue(DateTime.UtcNow < until, "the device did not connect to mosquitto");
                await Task.Delay(50);
            }

            string goodFile = owned.Write("good.json", good);
            var (code, output, error) = CommandLineTests.Run("publish", goodFile, "--broker", "127.0.0.1:" + broker.Port,
                "--product-key", product.ProductKey, "--device-name", "pump-1", "--url", goodUrl, "--timeout", "60");
            Assert.AreEqual(0, code, output + error);
            StringAssert.Contains(output, "pump-1: applied");
            Assert.AreEqual(45, device.Firmware!.State.TelemetryIntervalSeconds);

            string badFile = owned.Write("bad.json", bad);
            (code, output, error) = CommandLineTests.Run("publish", badFile, "--broker", "127.0.0.1:" + broker.Port,
                "--product-key", product.ProductKey, "--device-name", "pump-1", "--url", badUrl, "--timeout", "60");
            Assert.AreEqual(1, code, output + error);
            StringAssert.Contains(output, "pump-1: rejected: fanSpeed: key_not_recognized");

            // A plain broker's device takes plain http:// downloads too (the push's SHA-256 still checks every byte).
            string plain = "{\"telemetry\":{\"intervalSeconds\":50}}";
            string plainFile = owned.Write("plain.json", plain);
            using var plainServer = new RangeServer(System.Text.Encoding.UTF8.GetBytes(plain));
            (code, output, error) = CommandLineTests.Run("publish", plainFile, "--broker", "127.0.0.1:" + broker.Port,
                "--product-key", product.ProductKey, "--device-name", "pump-1", "--url", plainServer.Url(), "--timeout", "60");
            Assert.AreEqual(0, code, output + error);
            StringAssert.Contains(output, "pump-1: applied");
            Assert.AreEqual(50, device.Firmware!.State.TelemetryIntervalSeconds);
        }
        finally
        {
            device.Dispose();
        }
    }

    [TestMethod]
    public void ANameOrUrlNoDeviceTakesIsABadCommandLineBeforeAnythingIsPushed()
    {
        using var folder = new TempFolder("cota-broker-bad");
        string file = folder.Write("config.json", "{\"telemetry\":{\"intervalSeconds\":45}}");
        foreach (var (pk, names, url, message) in new[]
        {
            ("a1LocalPk01", "dev", "notaurl", "--url must be an http:// or https:// address, not 'notaurl'"),
            ("a1LocalPk01", "dev", "ftp://127.0.0.1/x.json", "--url must be an http:// or https:// address, not 'ftp://127.0.0.1/x.json'"),
            ("a1LocalPk01", "dev,a b", "http://127.0.0.1:1/x.json", "--device-name 'a b' is no device name"),
            ("a1LocalPk01", "+", "http://127.0.0.1:1/x.json", "--device-name '+' is no device name"),
            ("a1/#", "dev", "http://127.0.0.1:1/x.json", "--product-key 'a1/#' is no product key"),
        })
        {
            // No broker listens there: a bad line is named before any connection is tried.
            var (code, _, error) = CommandLineTests.Run("publish", file, "--broker", "127.0.0.1:1", "--product-key", pk,
                "--device-name", names, "--url", url);
            Assert.AreEqual(2, code, error);
            StringAssert.StartsWith(error, "cota-host: " + message);
        }
    }

    [TestMethod]
    public void WithoutABrokerThereTheCommandSaysSo()
    {
        using var folder = new TempFolder("cota-broker-none");
        string file = folder.Write("config.json", "{\"telemetry\":{\"intervalSeconds\":45}}");
        var (code, _, error) = CommandLineTests.Run("publish", file, "--broker", "127.0.0.1:1", "--product-key", "a1LocalPk01",
            "--device-name", "dev", "--url", "http://127.0.0.1:1/x.json");
        Assert.AreEqual(1, code, "a broker that does not answer is a failed run, not a bad command line");
        StringAssert.StartsWith(error, "cota-host: no MQTT broker answers at 127.0.0.1:1 (connection refused)");
        Assert.IsFalse(error.Contains("Unspecified", StringComparison.Ordinal), "the MQTT library's wording: " + error);

        (code, _, error) = CommandLineTests.Run("publish", file, "--broker", "127.0.0.1:1883", "--product-key", "a1LocalPk01", "--device-name", "dev");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "--broker needs --url");
    }
}
