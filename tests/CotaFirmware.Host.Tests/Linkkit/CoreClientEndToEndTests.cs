using CotaFirmware.Host.Board;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud;
using CotaFirmware.HostTests.Mqtt;
using CotaFirmware.Linkkit;
using LinkkitIdentity = CotaFirmware.Linkkit.DeviceIdentity;

namespace CotaFirmware.HostTests.Linkkit;

/// <summary>The device's own stack end to end: LinkKit over the core MQTT client over the host TCP/TLS channel, with managed HMAC.</summary>
[TestClass]
public sealed class CoreClientEndToEndTests
{
    private static LinkkitSettings OverTls(LocalPlatform platform) =>
        new() { MqttDomain = platform.Host, Port = platform.MqttTlsPort, UseTls = true, ConnectTimeoutMs = 10000 };

    [TestMethod]
    public async Task SignedTlsConnectionReportsAndRaisesEventsOnTheLocalPlatform()
    {
        await using var platform = await LocalPlatform.StartAsync();
        var registered = platform.Registry.AddDevice(platform.Registry.AddProduct().ProductKey, "core-dev-1");
        using var channel = TcpChannel.WithRootCaPem(platform.CaPem);
        var device = HostLinkkit.Open(new LinkkitIdentity(registered.ProductKey, registered.DeviceName, registered.DeviceSecret!, null), OverTls(platform), channel);
        int fault = device.DefineEvent("Fault");

        Expect.Status(LinkkitStatus.Ok, device.Connect());
        long mark = platform.Cota.LastSequence;
        Assert.IsTrue(device.Report(new TemperatureParams { Value = 23 }, null) > 0);
        Assert.IsTrue(device.TriggerEvent(fault, new TemperatureParams { Value = 23 }, null) > 0);
        var property = platform.Cota.NextAsync(registered.ProductKey, registered.DeviceName, DeviceMessageKind.Property, TimeSpan.FromSeconds(15), mark);
        var raised = platform.Cota.NextAsync(registered.ProductKey, registered.DeviceName, DeviceMessageKind.Event, TimeSpan.FromSeconds(15), mark);
        HostLinkkit.YieldUntil(device, () => property.IsCompleted && raised.IsCompleted);

        StringAssert.Contains((await property).Payload, "\"Temperature\":23");
        Assert.AreEqual("Fault", (await raised).Identifier);
        device.Close();
    }

    [TestMethod]
    public async Task AWrongSecretIsRefused()
    {
        await using var platform = await LocalPlatform.StartAsync();
        var registered = platform.Registry.AddDevice(platform.Registry.AddProduct().ProductKey, "core-dev-2");
        using var channel = TcpChannel.WithRootCaPem(platform.CaPem);
        var device = HostLinkkit.Open(new LinkkitIdentity(registered.ProductKey, registered.DeviceName, "not-the-secret-0123456789abcdef", null), OverTls(platform), channel);

        Assert.AreNotEqual((int)LinkkitStatus.Ok, (int)device.Connect());
        Assert.IsFalse(device.IsConnected);
        device.Close();
    }

    [TestMethod]
    public async Task TheSameDeviceCodeRunsAgainstMosquittoWithoutAuth()
    {
        using var broker = Mosquitto.Start();
        var seen = new List<string>();
        using var peer = new MQTTnet.MqttClientFactory().CreateMqttClient();
        peer.ApplicationMessageReceivedAsync += e =>
        {
            lock (seen)
            {
                seen.Add(e.ApplicationMessage.Topic);
            }

            return Task.CompletedTask;
        };
        await peer.ConnectAsync(new MQTTnet.MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).Build());
        await peer.SubscribeAsync(new MQTTnet.MqttClientSubscribeOptionsBuilder().WithTopicFilter("/sys/#").Build());

        var options = new LinkkitSettings { MqttDomain = "127.0.0.1", Port = broker.Port, UseTls = false, AllowPlainTransport = true, ConnectTimeoutMs = 10000 };
        using var channel = new TcpChannel();
        var device = HostLinkkit.Open(new LinkkitIdentity("pk9", "dn9", "any-secret", null), options, channel);
        Expect.Status(LinkkitStatus.Ok, device.Connect());
        Assert.IsTrue(device.Report(new TemperatureParams { Value = 23 }, null) > 0);
        HostLinkkit.YieldUntil(device, () => { lock (seen) { return seen.Count > 0; } });

        lock (seen)
        {
            CollectionAssert.Contains(seen, "/sys/pk9/dn9/thing/event/property/post");
        }

        device.Close();
    }

    [TestMethod]
    public async Task TwoBoardsWithOneIdentityEndWithOneConnectionAndOneOfThemSaysWhy()
    {
        await using var platform = await LocalPlatform.StartAsync();
        var registered = platform.Registry.AddDevice(platform.Registry.AddProduct().ProductKey, "twin");
        var options = new LinkkitSettings
        {
            MqttDomain = platform.Host, Port = platform.MqttPort, UseTls = false, AllowPlainTransport = true,
            ConnectTimeoutMs = 5000, BackoffMinMs = 200, BackoffMaxMs = 20000,
        };
        using var channelA = new TcpChannel();
        using var channelB = new TcpChannel();
        var logA = new RecordingLog();
        var logB = new RecordingLog();
        var a = HostLinkkit.Open(new LinkkitIdentity(registered.ProductKey, "twin", registered.DeviceSecret!, null), options, channelA, logA, 1);
        var b = HostLinkkit.Open(new LinkkitIdentity(registered.ProductKey, "twin", registered.DeviceSecret!, null), options, channelB, logB, 2);
        const string Told = "another device is using the identity";

        // Each login closes the other's connection, until one of them gives way.
        a.Connect();
        b.Connect();
        long until = Environment.TickCount64 + 30000;
        while (!logA.Contains(Told) && !logB.Contains(Told) && Environment.TickCount64 < until)
        {
            a.Yield(10);
            b.Yield(10);
        }

        Assert.IsTrue(logA.Contains(Told) ^ logB.Contains(Told), "one board says another device uses its identity");
        var stays = logA.Contains(Told) ? b : a;
        HostLinkkit.YieldUntil(stays, () => stays.IsConnected);
        for (int i = 0; i < 50; i++)
        {
            a.Yield(10);
            b.Yield(10);
        }

        Assert.IsTrue(stays.IsConnected, "the other board keeps the session while the first waits");
        Assert.AreEqual(1, (await platform.Broker.OnlineDevicesAsync()).Count(d => d.DeviceName == "twin"));
        a.Close();
        b.Close();
    }
}
