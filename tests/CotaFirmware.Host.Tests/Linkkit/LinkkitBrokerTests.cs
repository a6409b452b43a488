using System.Buffers;
using System.Text;
using System.Text.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Platform;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MQTTnet;

namespace CotaFirmware.HostTests.Linkkit;

/// <summary>The LinkKit device end to end over MQTTnet against a broker that checks Aliyun-style signatures, on loopback.</summary>
[TestClass]
public sealed class LinkkitBrokerTests
{
    const string Secret = "XZvZ1295n3mzGFYWHUnjy1xkdHb919C8";

    sealed class HostClock : IClock
    {
        public long MonotonicMs => Environment.TickCount64;

        public long UnixTimeMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    }

    sealed class ListLog : ILog
    {
        public readonly List<string> Lines = new();

        public void Write(LogLevel level, string area, string message)
        {
            lock (Lines)
            {
                Lines.Add(level + " " + area + ": " + message);
            }
        }
    }

    sealed class Reply : IReplyHandler
    {
        public ReplyStatus? Status;
        public int Code;
        public string Payload = "";

        public void OnReply(LinkkitDevice device, int requestId, ReplyStatus status, int code, byte[] payload, int offset, int count)
        {
            Status = status;
            Code = code;
            Payload = Encoding.UTF8.GetString(payload, offset, count);
        }
    }

    sealed class Inbox : ITopicHandler
    {
        public readonly List<string> Payloads = new();

        public void OnTopicMessage(LinkkitDevice device, int topic, byte[] payload, int offset, int count) =>
            Payloads.Add(Encoding.UTF8.GetString(payload, offset, count));
    }

    sealed class Temperature : IRequestParams
    {
        public void WriteParams(CotaFirmware.Json.JsonWriter writer) => writer.WriteProperty("Temperature", 21);
    }

    static LinkkitOptions LocalOptions(int port, MacMethod method = MacMethod.HmacSha256) => new()
    {
        MqttDomain = "127.0.0.1",
        Port = port,
        UseTls = false,
        AllowPlainTransport = true,
        SignMethod = method,
        ConnectTimeoutMs = 5000,
    };

    /// <summary>A cloud side that answers every request on the device's request topics with code 200 and echoes the id.</summary>
    static async Task<IMqttClient> StartCloudAsync(int port, List<string> requests)
    {
        var cloud = new MqttClientFactory().CreateMqttClient();
        cloud.ApplicationMessageReceivedAsync += async e =>
        {
            string topic = e.ApplicationMessage.Topic;
            string body = Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray());
            lock (requests)
            {
                requests.Add(topic + " " + body);
            }

            using var doc = JsonDocument.Parse(body);
            string id = doc.RootElement.GetProperty("id").GetString()!;
            string reply = "{\"id\":\"" + id + "\",\"code\":200,\"data\":{},\"message\":\"success\",\"method\":\"" + doc.RootElement.GetProperty("method").GetString() + "\"}";
            await cloud.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic + "_reply").WithPayload(reply).Build());
        };
        await cloud.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("cloud-1").Build());
        await cloud.SubscribeAsync("/sys/pk1/dn1/thing/event/+/post");
        await cloud.SubscribeAsync("/sys/pk1/dn1/thing/config/get");
        return cloud;
    }

    static void YieldUntil(LinkkitDevice device, Func<bool> done)
    {
        var until = Environment.TickCount64 + 5000;
        while (!done() && Environment.TickCount64 < until)
        {
            device.Yield(20);
        }
    }

    [TestMethod]
    public async Task ConnectsWithSignedCredentialsReportsGetsRepliesAndReceivesPushes()
    {
        await using var broker = await SigningBroker.StartAsync();
        broker.AddDevice("pk1", "dn1", Secret);
        var requests = new List<string>();
        using var cloud = await StartCloudAsync(broker.Port, requests);
        using var session = new MqttNetSession();
        var log = new ListLog();
        var device = LinkkitDevice.Open(new DeviceIdentity("pk1", "dn1", Secret, null), LocalOptions(broker.Port), session, new SystemMac(), new HostClock(), log);
        int get = device.DefineRequest("thing/config/get", "thing.config.get");
        var pushes = new Inbox();
        device.Route("thing/config/push", pushes);
        int connects = 0;
        device.Connected += _ => connects++;

        Assert.AreEqual(LinkkitStatus.Ok, device.Connect());
        Assert.AreEqual(1, connects);

        var report = new Reply();
        Assert.AreEqual(1, device.Report(new Temperature(), report));
        YieldUntil(device, () => report.Status != null);
        Assert.AreEqual(ReplyStatus.Replied, report.Status);
        Assert.AreEqual(200, report.Code);

        var config = new Reply();
        Assert.AreEqual(2, device.Query(get, null, config, 5000));
        YieldUntil(device, () => config.Status != null);
        Assert.AreEqual(ReplyStatus.Replied, config.Status);
        StringAssert.Contains(config.Payload, "\"id\":\"2\"");

        lock (requests)
        {
            CollectionAssert.Contains(requests, "/sys/pk1/dn1/thing/event/property/post {\"id\":\"1\",\"version\":\"1.0\",\"params\":{\"Temperature\":21},\"method\":\"thing.event.property.post\"}");
        }

        string push = "{\"id\":\"77\",\"version\":\"1.0\",\"params\":{\"configId\":\"c1\",\"configSize\":10,\"sign\":\"AB\",\"signMethod\":\"Sha256\",\"url\":\"https://x/y\",\"getType\":\"file\"},\"method\":\"thing.config.push\"}";
        await cloud.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("/sys/pk1/dn1/thing/config/push").WithPayload(push).Build());
        YieldUntil(device, () => pushes.Payloads.Count > 0);
        Assert.AreEqual(push, pushes.Payloads.Single());

        device.Close();
        Assert.IsFalse(log.Lines.Any(l => l.Contains(Secret)));
    }

    [TestMethod]
    public async Task HmacSha1CredentialsAreAcceptedAndAWrongSecretIsRefused()
    {
        await using var broker = await SigningBroker.StartAsync();
        broker.AddDevice("pk1", "dn1", Secret);

        using (var session = new MqttNetSession())
        {
            var device = LinkkitDevice.Open(new DeviceIdentity("pk1", "dn1", Secret, null), LocalOptions(broker.Port, MacMethod.HmacSha1), session, new SystemMac(), new HostClock(), new ListLog());
            Assert.AreEqual(LinkkitStatus.Ok, device.Connect());
            device.Close();
        }

        using (var session = new MqttNetSession())
        {
            var log = new ListLog();
            var device = LinkkitDevice.Open(new DeviceIdentity("pk1", "dn1", "wrongSecret", null), LocalOptions(broker.Port), session, new SystemMac(), new HostClock(), log);
            Assert.AreEqual(LinkkitStatus.ConnectFailed, device.Connect());
            Assert.IsFalse(device.IsConnected);
            Assert.AreEqual(1, broker.Refusals);
            Assert.IsTrue(log.Lines.Any(l => l.Contains("refused")));
            Assert.IsFalse(log.Lines.Any(l => l.Contains("wrongSecret")));
        }
    }
}
