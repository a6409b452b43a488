using CotaFirmware.Host.Cli;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud;
using CotaFirmware.Linkkit;
using DeviceIdentity = CotaFirmware.Linkkit.DeviceIdentity;

namespace CotaFirmware.HostTests.Linkkit;

/// <summary>The LinkKit device end to end over an MQTTnet-backed session (an alternative transport) against the local IoT platform.</summary>
[TestClass]
public sealed class LinkkitBrokerTests
{
    private const string Secret = "XZvZ1295n3mzGFYWHUnjy1xkdHb919C8";

    private static LinkkitSettings LocalOptions(int port, MacMethod method = MacMethod.HmacSha256) => new()
    {
        MqttDomain = "127.0.0.1",
        Port = port,
        UseTls = false,
        AllowPlainTransport = true,
        SignMethod = method,
        ConnectTimeoutMs = 5000,
    };

    [TestMethod]
    public async Task ConnectsWithSignedCredentialsReportsGetsRepliesAndReceivesPushes()
    {
        await using var platform = await LocalPlatform.StartAsync();
        var product = platform.Registry.AddProduct();
        platform.Registry.AddDevice(product.ProductKey, "dn1", Secret);
        using var session = new MqttNetSession();
        var log = new RecordingLog();
        var device = LinkkitDevice.Open(new DeviceIdentity(product.ProductKey, "dn1", Secret, null), LocalOptions(platform.MqttPort), session, new SystemMac(), new HostClock(), log, 1);
        int get = device.DefineRequest("thing/config/get", "thing.config.get");
        var pushes = new RecordingTopicHandler();
        device.Route("thing/config/push", pushes);
        int connects = 0;
        device.Connected += _ => connects++;

        Expect.Status(LinkkitStatus.Ok, device.Connect());
        Assert.AreEqual(1, connects);

        long mark = platform.Cota.LastSequence;
        var report = new RecordingReplyHandler();
        Assert.AreEqual(1, device.Report(new TemperatureParams { Value = 21 }, report));
        HostLinkkit.YieldUntil(device, () => report.Calls > 0);
        Assert.AreEqual(ReplyStatus.Replied, report.Status);
        Assert.AreEqual(200, report.Code);
        var property = await platform.Cota.NextAsync(product.ProductKey, "dn1", DeviceMessageKind.Property, TimeSpan.FromSeconds(10), mark);
        Assert.AreEqual("{\"id\":\"1\",\"version\":\"1.0\",\"params\":{\"Temperature\":21},\"method\":\"thing.event.property.post\"}", property.Payload);

        // The product has no config yet: the platform answers the get with 6710, routed back by id.
        var config = new RecordingReplyHandler();
        Assert.AreEqual(2, device.Query(get, null, config, 5000));
        HostLinkkit.YieldUntil(device, () => config.Calls > 0);
        Assert.AreEqual(ReplyStatus.Replied, config.Status);
        Assert.AreEqual(6710, config.Code);
        Assert.AreEqual(2, config.Id);
        Assert.AreEqual("{}", config.Data, "the envelope stays in LinkKit: only data goes up");

        string topic = "/sys/" + product.ProductKey + "/dn1/thing/config/push";
        string push = "{\"id\":\"77\",\"version\":\"1.0\",\"params\":{\"configId\":\"c1\",\"configSize\":10,\"sign\":\"AB\",\"signMethod\":\"Sha256\",\"url\":\"https://x/y\",\"getType\":\"file\"},\"method\":\"thing.config.push\"}";
        await platform.Broker.PublishAsync(topic, push);
        HostLinkkit.YieldUntil(device, () => pushes.Calls > 0);
        Assert.AreEqual(1, pushes.Calls);
        Assert.AreEqual(push, pushes.Payload);

        device.Close();
        Assert.IsFalse(log.Contains(Secret));
    }

    [TestMethod]
    public async Task HmacSha1CredentialsAreAcceptedAndAWrongSecretIsRefused()
    {
        await using var platform = await LocalPlatform.StartAsync();
        var product = platform.Registry.AddProduct();
        platform.Registry.AddDevice(product.ProductKey, "dn1", Secret);

        using (var session = new MqttNetSession())
        {
            var device = LinkkitDevice.Open(new DeviceIdentity(product.ProductKey, "dn1", Secret, null), LocalOptions(platform.MqttPort, MacMethod.HmacSha1), session, new SystemMac(), new HostClock(), new RecordingLog(), 1);
            Expect.Status(LinkkitStatus.Ok, device.Connect());
            device.Close();
        }

        using (var session = new MqttNetSession())
        {
            var log = new RecordingLog();
            var device = LinkkitDevice.Open(new DeviceIdentity(product.ProductKey, "dn1", "wrongSecret", null), LocalOptions(platform.MqttPort), session, new SystemMac(), new HostClock(), log, 1);
            Expect.Status(LinkkitStatus.ConnectFailed, device.Connect());
            Assert.IsFalse(device.IsConnected);
            Assert.AreEqual(1, platform.Broker.Refusals.Count);
            Assert.IsTrue(log.Contains("refused"));
            Assert.IsFalse(log.Contains("wrongSecret"));
        }
    }
}
