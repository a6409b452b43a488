using CotaFirmware.Host.Cloud.Broker;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Registry;
using CotaFirmware.Host.Cloud;
using MQTTnet;

namespace CotaFirmware.HostTests.Cloud;

/// <summary>The embedded broker lets in only correctly signed devices and keeps each to its own topics.</summary>
[TestClass]
public sealed class PlatformBrokerTests
{
    private static LocalPlatform _platform = null!;
    private static Product _product = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _platform = await LocalPlatform.StartAsync();
        _product = _platform.Registry.AddProduct("pk1", "productsecret1");
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await _platform.StopAsync();
    }

    private static Device NewDevice() =>
        _platform.Registry.AddDevice(_product.ProductKey, "d" + Guid.NewGuid().ToString("N")[..10]);

    [TestMethod]
    [DataRow("hmacsha256", true, false)]
    [DataRow("hmacsha256", false, true)]
    [DataRow("hmacsha1", false, false)]
    [DataRow("hmacsha1", true, true)]
    public async Task CorrectlySignedDeviceIsAccepted(string signMethod, bool upperHex, bool tls)
    {
        var device = NewDevice();
        Assert.IsFalse(_platform.Registry.FindDevice(device.ProductKey, device.DeviceName)!.Activated);
        var code = await TestDevice.TryConnectAsync(
            TestDevice.Options(_platform, device, tls: tls, signMethod: signMethod, upperHex: upperHex));
        Assert.AreEqual(MqttClientConnectResultCode.Success, code);
        Assert.IsTrue(_platform.Registry.FindDevice(device.ProductKey, device.DeviceName)!.Activated);
    }

    [TestMethod]
    public async Task WrongSecretIsRefused()
    {
        var device = NewDevice();
        var code = await TestDevice.TryConnectAsync(TestDevice.Options(_platform, device, secret: "not-the-secret"));
        Assert.AreEqual(MqttClientConnectResultCode.BadUserNameOrPassword, code);
        Assert.IsFalse(_platform.Registry.FindDevice(device.ProductKey, device.DeviceName)!.Activated);
    }

    [TestMethod]
    public async Task UnknownDeviceIsRefused()
    {
        var ghost = new Device(_product.ProductKey, "ghost", "secret", false);
        var code = await TestDevice.TryConnectAsync(TestDevice.Options(_platform, ghost));
        Assert.AreEqual(MqttClientConnectResultCode.BadUserNameOrPassword, code);
    }

    [TestMethod]
    [DataRow("{dn}")]
    [DataRow("{dn}&")]
    [DataRow("{dn}&otherpk")]
    [DataRow("{pk}&{dn}")]
    [DataRow("{dn}&{pk}&x")]
    public async Task WrongUserNameIsRefused(string pattern)
    {
        var device = NewDevice();
        var user = pattern.Replace("{dn}", device.DeviceName).Replace("{pk}", device.ProductKey);
        var code = await TestDevice.TryConnectAsync(TestDevice.Options(_platform, device, userName: user));
        Assert.AreEqual(MqttClientConnectResultCode.BadUserNameOrPassword, code);
    }

    [TestMethod]
    [DataRow("{id}")]
    [DataRow("{id}|securemode=3,signmethod=hmacsha256,timestamp=2524608000000")]
    [DataRow("{id}|securemode=3,timestamp=2524608000000|")]
    [DataRow("{id}|securemode=3,signmethod=hmacsha999,timestamp=2524608000000|")]
    public async Task MalformedClientIdIsRefused(string pattern)
    {
        var device = NewDevice();
        var clientId = pattern.Replace("{id}", device.ProductKey + "." + device.DeviceName);
        var code = await TestDevice.TryConnectAsync(TestDevice.Options(_platform, device, clientId: clientId));
        Assert.AreEqual(MqttClientConnectResultCode.ClientIdentifierNotValid, code);
    }

    [TestMethod]
    public async Task SignatureCoversTheClientIdAndTimestamp()
    {
        var device = NewDevice();
        // Signed for pk.dn at 2524608000000, sent with another timestamp.
        var options = TestDevice.Options(_platform, device);
        var clientId = device.ProductKey + "." + device.DeviceName + "|securemode=3,signmethod=hmacsha256,timestamp=1|";
        var code = await TestDevice.TryConnectAsync(TestDevice.Options(_platform, device, clientId: clientId));
        Assert.AreEqual(MqttClientConnectResultCode.BadUserNameOrPassword, code);
        Assert.AreEqual(MqttClientConnectResultCode.Success, await TestDevice.TryConnectAsync(options));
    }

    [TestMethod]
    public async Task ALoginStampedOutsideTheWindowIsRefusedButTheNoClockTimestampIsNot()
    {
        var device = NewDevice();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long stale = now - (long)TimeSpan.FromHours(1).TotalMilliseconds;

        Assert.AreEqual(MqttClientConnectResultCode.NotAuthorized,
            await TestDevice.TryConnectAsync(TestDevice.Options(_platform, device, timestamp: stale.ToString())));
        StringAssert.StartsWith(_platform.Broker.Refusals[^1].Reason, "timestamp " + stale + " outside");
        Assert.AreEqual(MqttClientConnectResultCode.Success,
            await TestDevice.TryConnectAsync(TestDevice.Options(_platform, device, timestamp: now.ToString())));
        Assert.AreEqual(MqttClientConnectResultCode.Success,
            await TestDevice.TryConnectAsync(TestDevice.Options(_platform, device, timestamp: PlatformBroker.NoClockTimestamp)));
    }

    [TestMethod]
    public async Task SecureModeMustMatchTheListener()
    {
        var device = NewDevice();
        var clientId = device.ProductKey + "." + device.DeviceName
            + "|securemode=2,signmethod=hmacsha256,timestamp=2524608000000|";
        var code = await TestDevice.TryConnectAsync(TestDevice.Options(_platform, device, clientId: clientId));
        Assert.AreEqual(MqttClientConnectResultCode.NotAuthorized, code);
    }

    [TestMethod]
    public async Task KeepAliveOutsideAliyunRangeIsRefused()
    {
        var device = NewDevice();
        var code = await TestDevice.TryConnectAsync(TestDevice.Options(_platform, device, keepAliveSeconds: 15));
        Assert.AreEqual(MqttClientConnectResultCode.NotAuthorized, code);
    }

    [TestMethod]
    public async Task TlsListenerIsTrustedOnlyThroughThePlatformCa()
    {
        var device = NewDevice();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(_platform.Host, _platform.MqttTlsPort)
            .WithClientId(device.ProductKey + "." + device.DeviceName + "|securemode=2,signmethod=hmacsha256|")
            .WithCredentials(device.DeviceName + "&" + device.ProductKey, DeviceSignature.MqttPassword("hmacsha256",
                device.DeviceSecret!, device.ProductKey + "." + device.DeviceName, device.DeviceName,
                device.ProductKey, null))
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
            .WithTimeout(TimeSpan.FromSeconds(20))
            .WithTlsOptions(o => o.UseTls())
            .Build();
        using var client = new MqttClientFactory().CreateMqttClient();
        await Assert.ThrowsExactlyAsync<MQTTnet.Exceptions.MqttCommunicationException>(() => client.ConnectAsync(options));
    }

    [TestMethod]
    public async Task DeviceMayNotTouchAnotherDevicesTopics()
    {
        await using var a = await TestDevice.ConnectAsync(_platform, NewDevice());
        await using var b = await TestDevice.ConnectAsync(_platform, NewDevice(), tls: true);
        Assert.AreEqual(MqttClientSubscribeResultCode.GrantedQoS1, await b.SubscribeAsync(b.Sys("thing/config/push")));
        Assert.AreEqual(MqttClientSubscribeResultCode.GrantedQoS1, await a.SubscribeAsync(a.Sys("#")));

        Assert.AreNotEqual(MqttClientSubscribeResultCode.GrantedQoS1, await a.SubscribeAsync(b.Sys("thing/config/push")));
        Assert.AreNotEqual(MqttClientSubscribeResultCode.GrantedQoS1, await a.SubscribeAsync("/sys/#"));
        Assert.AreNotEqual(MqttClientSubscribeResultCode.GrantedQoS1, await a.SubscribeAsync("#"));

        await a.PublishAsync(b.Sys("thing/config/push"), "{\"forged\":true}");
        await a.PublishAsync(a.Sys("thing/event/property/post"), "{\"id\":\"1\",\"params\":{}}");
        // The device's own message is processed after the forged one: once it is recorded, the forged one was dropped.
        await _platform.Cota.NextAsync(a.ProductKey, a.DeviceName, DeviceMessageKind.Property, TimeSpan.FromSeconds(20));
        Assert.IsTrue(await b.NothingOnAsync(b.Sys("thing/config/push"), TimeSpan.FromMilliseconds(300)));
        var refusals = _platform.Broker.Refusals.Where(r => r.UserName == a.DeviceName + "&" + a.ProductKey).ToList();
        Assert.IsTrue(refusals.Any(r => r.Action == "publish" && r.Topic == b.Sys("thing/config/push")));
        Assert.AreEqual(3, refusals.Count(r => r.Action == "subscribe"));
    }

    [TestMethod]
    public async Task RefusalsNeverCarryThePassword()
    {
        var device = NewDevice();
        var options = TestDevice.Options(_platform, device, secret: "wrong");
        await TestDevice.TryConnectAsync(options);
        var password = System.Text.Encoding.UTF8.GetString(options.Credentials.GetPassword(null));
        Assert.IsFalse(_platform.Broker.Refusals.Any(r => r.Reason.Contains(password, StringComparison.OrdinalIgnoreCase)));
    }
}
