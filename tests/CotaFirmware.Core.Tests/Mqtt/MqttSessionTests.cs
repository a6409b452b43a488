using CotaFirmware.Mqtt;
using CotaFirmware.Text;

namespace CotaFirmware.Tests.Mqtt;

[TestClass]
public class MqttSessionTests
{
    [TestMethod]
    public void ConnectSendsCredentialsAndReportsTheSession()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        MqttClient client = new MqttClient(channel, clock, MqttFrames.Settings());
        channel.Queue(new byte[] { 0x20, 2, 1, 0 });
        Expect.Status(MqttStatus.Ok, MqttFrames.Connect(client, channel));
        Assert.IsTrue(client.IsConnected);
        Assert.IsTrue(client.SessionPresent);
        Expect.Status(MqttStatus.Ok, client.LastReason);
        int body;
        int length;
        Assert.AreEqual(0x10, channel.NextWritten(out body, out length));
        byte[] w = channel.Written;
        Assert.AreEqual((byte)0xC2, w[body + 7], "user, password, clean session");
        Assert.AreEqual(60, (w[body + 8] << 8) | w[body + 9]);
        Assert.IsTrue(Utf8.TextEquals("dev1", w, body + 12, 4));
        Assert.AreEqual(1, channel.Connects, "the client opens no channel of its own");
    }

    [TestMethod]
    public void EachConnackRefusalMapsToItsNamedStatus()
    {
        MqttStatus[] expected = { MqttStatus.RefusedProtocolVersion, MqttStatus.RefusedIdentifier, MqttStatus.RefusedServerUnavailable,
            MqttStatus.RefusedBadCredentials, MqttStatus.RefusedNotAuthorized, MqttStatus.RefusedUnknownCode };
        for (int code = 1; code <= 6; code++)
        {
            ManualClock clock = new ManualClock();
            ScriptedChannel channel = new ScriptedChannel(clock);
            MqttClient client = new MqttClient(channel, clock, MqttFrames.Settings());
            channel.Queue(MqttFrames.Connack(code));
            Expect.Status(expected[code - 1], MqttFrames.Connect(client, channel), "code " + code);
            Expect.Status(expected[code - 1], client.LastReason);
            Assert.IsFalse(client.IsConnected);
            Assert.AreEqual(0, channel.Closes, "the channel is its owner's to close");
        }
    }

    [TestMethod]
    public void MissingConnackTimesOutAndAFailedReadIsReported()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        MqttClient client = new MqttClient(channel, clock, MqttFrames.Settings());
        long start = clock.MonotonicMs;
        Expect.Status(MqttStatus.ConnackTimeout, MqttFrames.Connect(client, channel));
        Assert.IsTrue(clock.MonotonicMs - start >= 10000, "waited the whole timeout");
        Assert.AreEqual(0, channel.Closes, "the channel is its owner's to close");

        ScriptedChannel broken = new ScriptedChannel(clock);
        MqttClient other = new MqttClient(broken, clock, MqttFrames.Settings());
        broken.Connect("broker.test", 1883, false, 1000);
        broken.ReadFailure = ChannelStatus.Closed;
        Expect.Status(MqttStatus.ChannelFailed, other.Connect(MqttFrames.Info("dev1", null, null, 60), 1000));
        Expect.Status(ChannelStatus.Closed, other.LastChannelStatus);
    }

    [TestMethod]
    public void KeepAliveOutsideThirtyToTwelveHundredSecondsIsRejected()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        MqttClient client = new MqttClient(channel, clock, MqttFrames.Settings());
        channel.Connect("broker.test", 1883, false, 1000);
        Expect.Status(MqttStatus.InvalidArgument, client.Connect(MqttFrames.Info("dev1", null, null, 29), 1000));
        Expect.Status(MqttStatus.InvalidArgument, client.Connect(MqttFrames.Info("dev1", null, null, 1201), 1000));
        Assert.AreEqual(0, channel.WrittenCount, "nothing sent");
        channel.Queue(MqttFrames.Connack(0));
        Expect.Status(MqttStatus.Ok, client.Connect(MqttFrames.Info("dev1", null, null, 30), 1000));
        client.Disconnect();
        channel.Connect("broker.test", 1883, false, 1000);
        channel.Queue(MqttFrames.Connack(0));
        Expect.Status(MqttStatus.Ok, client.Connect(MqttFrames.Info("dev1", null, null, 1200), 1000));
    }

    [TestMethod]
    public void APasswordNeedsAUserName()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        MqttClient client = new MqttClient(channel, clock, MqttFrames.Settings());
        channel.Connect("broker.test", 1883, false, 1000);
        Expect.Status(MqttStatus.InvalidArgument, client.Connect(MqttFrames.Info("dev1", null, "secret", 60), 1000));
        Expect.Status(MqttStatus.InvalidArgument, client.Connect(MqttFrames.Info(null, "user", "secret", 60), 1000));
        Assert.AreEqual(0, channel.WrittenCount, "nothing sent");
        channel.Queue(MqttFrames.Connack(0));
        Expect.Status(MqttStatus.Ok, client.Connect(MqttFrames.Info("dev1", "user", "secret", 60), 1000));
    }

    [TestMethod]
    public void IncomingMessagesArriveAsViewsAndQos1IsAckedAfterTheHandler()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        MqttClient client = MqttFrames.Connected(channel, clock, MqttFrames.Settings());
        int calls = 0;
        int acksBeforeHandlerReturned = -1;
        string payloads = "";
        client.MessageReceived = m =>
        {
            calls++;
            Assert.IsTrue(m.TopicEquals("dev/in"));
            Assert.AreEqual(m.PayloadCount, m.PayloadSize);
            for (int i = 0; i < m.PayloadCount; i++)
            {
                payloads += (char)m.Buffer[m.PayloadOffset + i];
            }

            if (m.Qos == 1)
            {
                Assert.AreEqual(77, m.PacketId);
                acksBeforeHandlerReturned = channel.CountWritten(MqttCodec.Puback);
            }
        };
        channel.Queue(MqttFrames.Publish("dev/in", MqttFrames.Ascii("zero"), 0, 0));
        channel.Queue(MqttFrames.Publish("dev/in", MqttFrames.Ascii("one"), 1, 77));
        client.Yield(0);
        Assert.AreEqual(2, calls);
        Assert.AreEqual("zeroone", payloads);
        Assert.AreEqual(0, acksBeforeHandlerReturned);
        int body;
        int length;
        Assert.AreEqual(0x40, channel.NextWritten(out body, out length));
        Assert.AreEqual(77, (channel.Written[body] << 8) | channel.Written[body + 1]);
    }

    [TestMethod]
    public void FramesSplitIntoSingleBytesStillParse()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        MqttClient client = MqttFrames.Connected(channel, clock, MqttFrames.Settings());
        channel.MaxChunk = 1;
        int calls = 0;
        client.MessageReceived = m => { calls++; Assert.AreEqual(5, m.PayloadCount); };
        for (int i = 0; i < 3; i++)
        {
            channel.Queue(MqttFrames.Publish("a/b", MqttFrames.Ascii("hello"), 1, i + 1));
        }

        for (int i = 0; i < 200 && channel.Unread > 0; i++)
        {
            client.Yield(0);
        }

        Assert.AreEqual(3, calls);
        Assert.AreEqual(3, channel.CountWritten(MqttCodec.Puback));
        Assert.IsTrue(client.IsConnected);
    }

    [TestMethod]
    public void SubscribeSendsAndSubackCodesIncludingFailureAreReported()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        MqttClient client = MqttFrames.Connected(channel, clock, MqttFrames.Settings());
        string results = "";
        client.SubscribeAcknowledged = (id, code) => { results += id + ":" + code + ";"; };
        Expect.Status(MqttStatus.Ok, client.Subscribe("a/+", 1));
        int idA = client.LastPacketId;
        Expect.Status(MqttStatus.Ok, client.Subscribe("b/#", 0));
        int idB = client.LastPacketId;
        Assert.IsTrue(idA != idB);
        int body;
        int length;
        Assert.AreEqual(0x82, channel.NextWritten(out body, out length));
        Assert.IsTrue(Utf8.TextEquals("a/+", channel.Written, body + 4, 3));
        Assert.AreEqual(1, (int)channel.Written[body + 7], "QoS asked");
        Assert.AreEqual(0x82, channel.NextWritten(out body, out length));
        channel.Queue(MqttFrames.Suback(idA, 1));
        channel.Queue(MqttFrames.Suback(idB, 0x80));
        client.Yield(0);
        Assert.AreEqual(idA + ":1;" + idB + ":128;", results);
        channel.Queue(MqttFrames.Ack(MqttCodec.Unsuback, 9));
        client.Yield(0);
        Assert.IsTrue(client.IsConnected, "a stray UNSUBACK is ignored");
    }

    [TestMethod]
    public void SubscribeNeedsASessionAndAFilterThatFits()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        MqttClient client = new MqttClient(channel, clock, MqttFrames.Settings());
        Expect.Status(MqttStatus.NotConnected, client.Subscribe("a", 1), "nothing is remembered for later");
        channel.Queue(MqttFrames.Connack(0));
        MqttFrames.Connect(client, channel);
        channel.SkipWritten();
        Expect.Status(MqttStatus.InvalidArgument, client.Subscribe("d", 2));
        Expect.Status(MqttStatus.InvalidArgument, client.Subscribe("", 1));
#if !NANOFRAMEWORK_1_0
        // A device string ends at its first U+0000, so only the host can even pass one (bytes: MqttStringTests).
        Expect.Status(MqttStatus.InvalidArgument, client.Subscribe("a\u0000b", 1));
#endif
        Expect.Status(MqttStatus.TxBufferTooSmall, client.Subscribe(new string('x', 300), 1));
        Assert.AreEqual(0, channel.CountWritten(MqttCodec.Subscribe));
        Assert.IsTrue(client.IsConnected);
    }

    [TestMethod]
    public void Qos0PublishNeedsAConnectionAndInvalidTopicsAreRefused()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        MqttClient client = new MqttClient(channel, clock, MqttFrames.Settings());
        byte[] p = { 1 };
        Expect.Status(MqttStatus.NotConnected, client.Publish("t", p, 0, 1, 0, false));
        channel.Queue(MqttFrames.Connack(0));
        MqttFrames.Connect(client, channel);
        channel.SkipWritten();
        Expect.Status(MqttStatus.InvalidArgument, client.Publish("a/+", p, 0, 1, 0, false));
        Expect.Status(MqttStatus.InvalidArgument, client.Publish("", p, 0, 1, 0, false));
        Expect.Status(MqttStatus.InvalidArgument, client.Publish("t", p, 0, 1, 2, false));
        byte[] badTopic = { 0xC0, 0x80 };
        Expect.Status(MqttStatus.InvalidArgument, client.Publish(badTopic, 0, 2, p, 0, 1, 0, false));
        Expect.Status(MqttStatus.TxBufferTooSmall, client.Publish("t", new byte[300], 0, 300, 0, false));
        Expect.Status(MqttStatus.Ok, client.Publish("t", p, 0, 1, 0, true));
        int body;
        int length;
        Assert.AreEqual(0x31, channel.NextWritten(out body, out length));
        Assert.AreEqual(4, length);
    }

    [TestMethod]
    public void DisconnectSendsDisconnectAndNeverReconnects()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        MqttClient client = MqttFrames.Connected(channel, clock, MqttFrames.Settings());
        client.Disconnect();
        Assert.AreEqual(1, channel.CountWritten(MqttCodec.Disconnect));
        Assert.AreEqual(0, channel.Closes, "the channel is its owner's to close");
        Expect.Status(MqttStatus.ClosedByCaller, client.LastReason);
        clock.Advance(100000);
        Expect.Status(MqttStatus.ClosedByCaller, client.Yield(0));
        Assert.AreEqual(1, channel.Connects, "only its owner opens the channel");
    }
}
