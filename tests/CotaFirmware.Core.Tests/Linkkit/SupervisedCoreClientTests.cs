using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;
using CotaFirmware.Tests.Mqtt;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>LinkKit supervising the core MQTT client over a scripted channel: what a lost connection costs and what survives it.</summary>
[TestClass]
public class SupervisedCoreClientTests
{
    private const string Push = "/sys/pk1/dn1/thing/config/push";

    // LinkKit over the core client's session over the scripted channel, as CotaDevice builds it.
    private static LinkkitDevice Open(ManualClock clock, ScriptedChannel channel, RecordingLog log, LinkkitSettings settings, out MqttClientSession session)
    {
        session = new MqttClientSession(channel, clock, MqttFrames.Settings(), log);
        return LinkkitDevice.Open(new DeviceIdentity("pk1", "dn1", TestDevice.Secret, null), settings, session, new RecordingMac(), clock, log, 3);
    }

    [TestMethod]
    public void AfterALossTheChannelIsReopenedSubscribedAgainAndUnackedQos1MessagesGoOutWithDup()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        RecordingLog log = new RecordingLog();
        MqttClientSession session;
        LinkkitDevice device = Open(clock, channel, log, new LinkkitSettings { BackoffMinMs = 1000, BackoffMaxMs = 8000 }, out session);
        RecordingTopicHandler handler = new RecordingTopicHandler();
        device.Route("thing/config/push", handler);
        int data = device.DefineTopic("thing/event/Data/post");
        channel.Queue(MqttFrames.Connack(0));
        Expect.Status(LinkkitStatus.Ok, device.Connect());
        byte[] payload = MqttFrames.Ascii("{\"v\":1}");
        Expect.Status(LinkkitStatus.Ok, device.Publish(data, payload, 0, payload.Length, 1));
        int unacked = session.Client.LastPacketId;

        channel.ReadFailure = ChannelStatus.Closed;
        device.Yield(0);
        Assert.IsFalse(device.IsConnected);
        Assert.IsFalse(channel.IsOpen, "the session that opened the channel closes it when the MQTT session is lost");
        Assert.IsTrue(log.Contains("connection lost: channel failed"));
        channel.ReadFailure = ChannelStatus.Ok;
        channel.SkipWritten();
        channel.Queue(MqttFrames.Connack(0));
        long lost = clock.MonotonicMs;
        while (!device.IsConnected && clock.MonotonicMs - lost < 2000)
        {
            clock.Advance(10);
            device.Yield(0);
        }

        Assert.IsTrue(device.IsConnected);
        Assert.AreEqual(2, channel.Connects, "LinkKit reopened the channel once");
        Assert.IsTrue(clock.MonotonicMs - lost >= 500, "after a jittered wait, not at once");
        int body;
        int length;
        Assert.AreEqual(0x10, channel.NextWritten(out body, out length));
        Assert.AreEqual(0x3A, channel.NextWritten(out body, out length), "the unacknowledged message again, DUP set");
        int topicLength = (channel.Written[body] << 8) | channel.Written[body + 1];
        Assert.AreEqual(unacked, (channel.Written[body + 2 + topicLength] << 8) | channel.Written[body + 3 + topicLength]);
        Assert.AreEqual(0x82, channel.NextWritten(out body, out length));
        Assert.AreEqual(0x82, channel.NextWritten(out body, out length));

        channel.Queue(MqttFrames.Publish(Push, MqttFrames.Ascii("{\"id\":\"1\"}"), 0, 0));
        device.Yield(0);
        Assert.AreEqual(1, handler.Calls, "a message published to it after the reconnect arrives");
        channel.Queue(MqttFrames.Ack(MqttCodec.Puback, unacked));
        device.Yield(0);
        Assert.AreEqual(0, session.Client.InFlightCount);
        device.Close();
        Assert.AreEqual(1, channel.CountWritten(MqttCodec.Disconnect));
        Assert.IsFalse(channel.IsOpen, "closing the device ends the MQTT session, then its channel");
    }

    [TestMethod]
    public void APushReadWithTheConnackOfAResumedSessionArrivesOnceConnectedAndSubscribedAndItsAnswerGoesOut()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        MqttClientSession session;
        LinkkitDevice device = Open(clock, channel, new RecordingLog(), new LinkkitSettings(), out session);
        ConnectionCounter connections = new ConnectionCounter();
        device.Connected += connections.OnConnected;
        RecordingTopicHandler handler = new RecordingTopicHandler();
        device.Route("thing/config/push", handler);
        handler.AnswerTopic = device.DefineTopic("thing/config/push_reply");

        // A persistent session (clean session off): the broker sends the push it kept right behind the CONNACK, in one read.
        channel.Queue(MqttFrames.Connack(0, true));
        channel.Queue(MqttFrames.Publish(Push, MqttFrames.Ascii("{\"id\":\"7\"}"), 1, 9));
        Expect.Status(LinkkitStatus.Ok, device.Connect());
        Assert.AreEqual(1, connections.Connects);
        device.Yield(0);

        Assert.AreEqual(1, handler.Calls);
        Assert.IsTrue(handler.ArrivedConnected, "the push arrives on a device that counts itself connected");
        Expect.Status(LinkkitStatus.Ok, handler.AnswerStatus);
        int body;
        int length;
        Assert.AreEqual(0x10, channel.NextWritten(out body, out length));
        int subscribes = 0;
        int next = channel.NextWritten(out body, out length);
        for (; next == 0x82; next = channel.NextWritten(out body, out length))
        {
            subscribes++;
        }

        Assert.AreEqual(2, subscribes, "the push and the property post reply topics, subscribed before anything of the session is handled");
        Assert.AreEqual(0x30, next, "the answer");
        int topicLength = (channel.Written[body] << 8) | channel.Written[body + 1];
        Assert.AreEqual("/sys/pk1/dn1/thing/config/push_reply", Ascii.Text(channel.Written, body + 2, topicLength));
        Assert.AreEqual(0x40, channel.NextWritten(out body, out length), "then the push is acknowledged");
        Assert.AreEqual(9, (channel.Written[body] << 8) | channel.Written[body + 1]);
    }

    [TestMethod]
    public void ARefusedSubscriptionIsLoggedNamingItsFilterOncePerConnectAndTheConnectionStays()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        RecordingLog log = new RecordingLog();
        MqttClientSession session;
        LinkkitDevice device = Open(clock, channel, log, new LinkkitSettings { BackoffMinMs = 1000, BackoffMaxMs = 8000 }, out session);
        device.Route("thing/config/push", new RecordingTopicHandler());
        RecordingTopicHandler raw = new RecordingTopicHandler();
        device.Route("thing/model/down_raw", raw);
        channel.Queue(MqttFrames.Connack(0));
        Expect.Status(LinkkitStatus.Ok, device.Connect());
        int last = session.Client.LastPacketId;
        channel.Queue(MqttFrames.Suback(last - 1, 0x80));
        channel.Queue(MqttFrames.Suback(last, 0));
        channel.Queue(MqttFrames.Suback(last + 7, 0x80));
        channel.Queue(MqttFrames.Publish("/sys/pk1/dn1/thing/model/down_raw", MqttFrames.Ascii("x"), 0, 0));
        device.Yield(0);
        device.Yield(0);
        Assert.AreEqual(1, Lines(log, "subscription refused: "), "only the refused filter, once");
        Assert.AreEqual(1, Lines(log, "subscription refused: " + Push));
        Assert.IsTrue(device.IsConnected, "the topics granted still work");
        Assert.AreEqual(1, raw.Calls);

        channel.ReadFailure = ChannelStatus.Closed;
        device.Yield(0);
        channel.ReadFailure = ChannelStatus.Ok;
        channel.Queue(MqttFrames.Connack(0));
        YieldUntilConnected(device, clock);

        last = session.Client.LastPacketId;
        channel.Queue(MqttFrames.Suback(last - 1, 0x80));
        device.Yield(0);
        Assert.AreEqual(2, Lines(log, "subscription refused: " + Push), "again after the next connect");
    }

    // Up to 2 s of the clock, in 10 ms yields: the backoff's wait, then the next attempt.
    private static void YieldUntilConnected(LinkkitDevice device, ManualClock clock)
    {
        for (int i = 0; i < 200 && !device.IsConnected; i++)
        {
            clock.Advance(10);
            device.Yield(0);
        }
    }

    private static int Lines(RecordingLog log, string text)
    {
        int n = 0;
        for (int i = 0; i < log.Count; i++)
        {
            if (log.Line(i).IndexOf(text) >= 0)
            {
                n++;
            }
        }

        return n;
    }

    [TestMethod]
    public void ARefusedConnectClosesTheChannelTheSessionOpened()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        RecordingLog log = new RecordingLog();
        MqttClientSession session;
        LinkkitDevice device = Open(clock, channel, log, new LinkkitSettings(), out session);
        channel.Queue(MqttFrames.Connack(4));
        Expect.Status(LinkkitStatus.ConnectFailed, device.Connect());
        Assert.AreEqual(1, channel.Connects);
        Assert.IsFalse(channel.IsOpen);
        Assert.IsTrue(log.Contains("refused: bad user name or password"));
    }

    [TestMethod]
    public void AChannelThatDoesNotOpenIsLoggedWithItsStatusAndRetried()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        channel.ConnectResult = ChannelStatus.TlsFailed;
        RecordingLog log = new RecordingLog();
        MqttClientSession session;
        LinkkitDevice device = Open(clock, channel, log, new LinkkitSettings { MqttDomain = "broker.test", BackoffMinMs = 1000 }, out session);
        Expect.Status(LinkkitStatus.ConnectFailed, device.Connect());
        Assert.IsTrue(log.Contains("cannot reach broker.test:1883: tls failed"));
        Assert.IsTrue(log.Contains("failed: channel failed"));
        Assert.IsFalse(channel.IsOpen);
        channel.ConnectResult = ChannelStatus.Ok;
        channel.Queue(MqttFrames.Connack(0));
        YieldUntilConnected(device, clock);

        Assert.IsTrue(device.IsConnected);
        Assert.AreEqual(2, channel.Connects);
    }
}
