using System.Text;
using System.Text.Json;
using CotaFirmware.Host.Cli;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.HostTests.HostApp;

/// <summary>The host board runs by its board.json, as the ESP32 app runs by its own.</summary>
[TestClass]
public sealed class HostBoardTests
{
    [TestMethod]
    public void VirtualDevicesTakeTheirLimitsBuffersAndTrialFromBoardJson()
    {
        // The file read independently of the core's reader.
        using var file = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "boards", "host", "board.json")));
        int Key(string name) => file.RootElement.GetProperty(name).GetInt32();
        var settings = DeviceProfiles.Local("127.0.0.1", 8883, "a1pk", "dev1", "secret", 0);

        Assert.AreEqual(1048576, Key("maxConfigSize"), "board.json says 1 MB");
        Assert.AreEqual(Key("maxConfigSize"), settings.MaxConfigSize);
        Assert.AreEqual(Key("trialDeadlineMs"), settings.Cota.TrialDeadlineMs);
        Assert.AreEqual(Key("maxTrialBoots"), settings.MaxTrialBoots);
        Assert.AreEqual(Key("mqttRxBufferSize"), settings.Mqtt.ReceiveBufferSize);
        Assert.AreEqual(Key("mqttTxBufferSize"), settings.Mqtt.TransmitBufferSize);
        Assert.AreEqual(Key("downloadBufferSize"), settings.Download.BufferSize);
        Assert.AreEqual(Key("jsonWindowSize"), settings.ConfigWindowSize);
        Assert.AreEqual(Key("keepAliveSeconds"), settings.Linkkit.KeepAliveSeconds);
    }

    [TestMethod]
    public void ARefusedBoardJsonIsAClearError()
    {
        using var folder = new TempFolder("cota-board");
        string path = folder.Write("board.json", "{\"board\":\"host\",\"keepAliveSeconds\":5}");
        var settings = new CotaFirmware.App.DeviceSettings(null);
        int keepAlive = settings.Linkkit.KeepAliveSeconds;
        var e = Assert.ThrowsExactly<UsageException>(() => HostBoard.Load(path, settings));
        StringAssert.Contains(e.Message, "keepAliveSeconds");
        Assert.AreEqual(keepAlive, settings.Linkkit.KeepAliveSeconds, "a refused file sets nothing");
        Assert.ThrowsExactly<UsageException>(() => HostBoard.Load(path + ".missing", settings));
    }

    [TestMethod]
    public async Task AConfigOver64KbWithinTheBoardsLimitIsApplied()
    {
        await using var platform = await LocalPlatform.StartAsync();
        var product = platform.Registry.AddProduct();
        using var fleet = OneDevice(platform, product.ProductKey, "big");
        await fleet.WaitOnlineAsync(TimeSpan.FromSeconds(30));

        // 65,552 bytes: past the 64 KB that DeviceSettings defaults to, well within board.json's 1 MB.
        string head = "{\"telemetry\":{\"intervalSeconds\":25}";
        string text = head + new string(' ', 65552 - head.Length - 1) + "}";
        Assert.AreEqual(65552, Encoding.UTF8.GetByteCount(text));
        long mark = platform.Cota.LastSequence;
        var config = platform.Cota.PublishConfig(product.ProductKey, text);
        await platform.Cota.PushAsync(product.ProductKey, config.ConfigId);
        var result = await platform.Cota.NextAsync(product.ProductKey, "big", DeviceMessageKind.Result, TimeSpan.FromSeconds(60), mark);
        var report = ResultReport.From(result)!;
        Assert.AreEqual(ResultReport.Applied, report.Status, result.Payload);
        Assert.AreEqual(config.ConfigId, report.ConfigId);
    }

    [TestMethod]
    public async Task AHostDevicePostsItsTelemetryAtConnectAndAtTheIntervalAConfigSets()
    {
        await using var platform = await LocalPlatform.StartAsync();
        var product = platform.Registry.AddProduct();
        using var fleet = OneDevice(platform, product.ProductKey, "tele");
        var first = await platform.Cota.NextAsync(product.ProductKey, "tele", DeviceMessageKind.Property, TimeSpan.FromSeconds(30), 0);
        using (var json = JsonDocument.Parse(first.Payload))
        {
            var properties = json.RootElement.GetProperty("params");
            Assert.AreEqual(1, properties.GetProperty("boots").GetInt32(), first.Payload);
            Assert.IsTrue(properties.GetProperty("uptimeSeconds").GetInt64() >= 0, first.Payload);
        }

        // The default interval is a minute; a config of 1 s is taken live and the posts follow it.
        long mark = platform.Cota.LastSequence;
        var config = platform.Cota.PublishConfig(product.ProductKey, "{\"telemetry\":{\"intervalSeconds\":1}}");
        await platform.Cota.PushAsync(product.ProductKey, config.ConfigId);
        await platform.Cota.NextAsync(product.ProductKey, "tele", DeviceMessageKind.Result, TimeSpan.FromSeconds(30), mark);
        mark = platform.Cota.LastSequence;
        for (int i = 0; i < 2; i++)
        {
            mark = (await platform.Cota.NextAsync(product.ProductKey, "tele", DeviceMessageKind.Property, TimeSpan.FromSeconds(10), mark)).Sequence;
        }
    }

    // One host-board device of the product, provisioned on the platform and started, its downloads without jitter.
    private static VirtualFleet OneDevice(LocalPlatform platform, string productKey, string name)
    {
        var device = platform.Registry.AddDevice(productKey, name);
        return new VirtualFleet(platform.Host, platform.MqttTlsPort, platform.CaPem, productKey,
            new[] { (device.DeviceName, device.DeviceSecret!) }, jitterMs: 0);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "CotaFirmware.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("not inside the repository");
    }
}
