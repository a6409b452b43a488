using CotaFirmware.Mqtt;
using CotaFirmware.Text;

namespace CotaFirmware.Tests.Mqtt;

[TestClass]
public class MqttSessionTests
{
    [TestMethod]
    public void ConnectSendsCredentialsAndReportsTheSession()
    {
        MqttRig rig = new MqttRig();
        rig.Channel.Queue(MqttFrames.Connack(0, true));
        Expect.Status(MqttStatus.Ok, MqttFrames.Connect(rig.Client, rig.Channel));
        Assert.IsTrue(rig.Client.IsConnected);
        Assert.IsTrue(rig.Client.SessionPresent);
        Expect.Status(MqttStatus.Ok, rig.Client.LastReason);
        int body;
        int length;
        Assert.AreEqual(0x10, rig.Channel.NextWritten(out body, out length));
        byte[] w = rig.Channel.Written;
        Assert.AreEqual((byte)0xC2, w[body + 7], "user, password, clean session");
        Assert.AreEqual(60, (w[body + 8] << 8) | w[body + 9]);
        Assert.IsTrue(Utf8.TextEquals("dev1", w, body + 12, 4));
        Assert.AreEqual(1, rig.Channel.Connects, "the client opens no channel of its own");
    }

    [TestMethod]
    public void EachConnackRefusalMapsToItsNamedStatus()
    {
        MqttStatus[] expected = { MqttStatus.RefusedProtocolVersion, MqttStatus.RefusedIdentifier, MqttStatus.RefusedServerUnavailable,
            MqttStatus.RefusedBadCredentials, MqttStatus.RefusedNotAuthorized, MqttStatus.RefusedUnknownCode };
        for (int code = 1; code <= 6; code++)
        {
            MqttRig rig = new MqttRig();
            rig.Channel.Queue(MqttFrames.Connack(code));
            Expect.Status(expected[code - 1], MqttFrames.Connect(rig.Client, rig.Channel), "code " + code);
            Expect.Status(expected[code - 1], rig.Client.LastReason);
            Assert.IsFalse(rig.Client.IsConnected);
            Assert.AreEqual(0, rig.Channel.Closes, "the channel is its owner's to close");
        }
    }

    [TestMethod]
    public void MissingConnackTimesOutAndAFailedReadIsReported()
    {
        MqttRig rig = new MqttRig();
        long start = rig.Clock.MonotonicMs;
        Expect.Status(MqttStatus.ConnackTimeout, MqttFrames.Connect(rig.Client, rig.Channel));
        Assert.IsTrue(rig.Clock.MonotonicMs - start >= 10000, "waited the whole timeout");
        Assert.AreEqual(0, rig.Channel.Closes, "the channel is its owner's to close");

        MqttRig broken = new MqttRig();
        broken.Channel.Connect("broker.test", 1883, false, 1000);
        broken.Channel.ReadFailure = ChannelStatus.Closed;
        Expect.Status(MqttStatus.ChannelFailed, broken.Client.Connect(MqttFrames.Info("dev1", null, null, 60), 1000));
        Expect.Status(ChannelStatus.Closed, broken.Client.LastChannelStatus);
    }

    [TestMethod]
    public void KeepAliveOutsideThirtyToTwelveHundredSecondsIsRejected()
    {
        MqttRig rig = new MqttRig();
        rig.Channel.Connect("broker.test", 1883, false, 1000);
        Expect.Status(MqttStatus.InvalidArgument, rig.Client.Connect(MqttFrames.Info("dev1", null, null, 29), 1000));
        Expect.Status(MqttStatus.InvalidArgument, rig.Client.Connect(MqttFrames.Info("dev1", null, null, 1201), 1000));
        Assert.AreEqual(0, rig.Channel.WrittenCount, "nothing sent");
        rig.Channel.Queue(MqttFrames.Connack(0));
        Expect.Status(MqttStatus.Ok, rig.Client.Connect(MqttFrames.Info("dev1", null, null, 30), 1000));
        rig.Client.Disconnect();
        rig.Channel.Connect("broker.test", 1883, false, 1000);
        rig.Channel.Queue(MqttFrames.Connack(0));
        Expect.Status(MqttStatus.Ok, rig.Client.Connect(MqttFrames.Info("dev1", null, null, 1200), 1000));
    }

    [TestMethod]
    public void APasswordNeedsAUserName()
    {
        MqttRig rig = new MqttRig();
        rig.Channel.Connect("broker.test", 1883, false, 1000);
        Expect.Status(MqttStatus.InvalidArgument, rig.Client.Connect(MqttFrames.Info("dev1", null, "secret", 60), 1000));
        Expect.Status(MqttStatus.InvalidArgument, rig.Client.Connect(MqttFrames.Info(null, "user", "secret", 60), 1000));
        Assert.AreEqual(0, rig.Channel.WrittenCount, "nothing sent");
        rig.Channel.Queue(MqttFrames.Connack(0));
        Expect.Status(MqttStatus.Ok, rig.Client.Connect(MqttFrames.Info("dev1", "user", "secret", 60), 1000));
    }

    [TestMethod]
    public void IncomingMessagesArriveAsViewsAndQos1IsAckedAfterTheHandler()
    {
        MqttRig rig = MqttRig.Connected();
        int calls = 0;
        int acksBeforeHandlerReturned = -1;
        string payloads = "";
        rig.Client.MessageReceived = m =>
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
                acksBeforeHandlerReturned = rig.Channel.CountWritten(MqttCodec.Puback);
            }
        };
        rig.Channel.Queue(MqttFrames.Publish("dev/in", MqttFrames.Ascii("zero"), 0, 0));
        rig.Channel.Queue(MqttFrames.Publish("dev/in", MqttFrames.Ascii("one"), 1, 77));
        rig.Client.Yield(0);
        Assert.AreEqual(2, calls);
        Assert.AreEqual("zeroone", payloads);
        Assert.AreEqual(0, acksBeforeHandlerReturned);
        int body;
        int length;
        Assert.AreEqual(0x40, rig.Channel.NextWritten(out body, out length));
        Assert.AreEqual(77, (rig.Channel.Written[body] << 8) | rig.Channel.Written[body + 1]);
    }

    [TestMethod]
    public void PublishesReadWithTheConnackWaitForTheFirstYieldWhichServesThemBeforeWaitingOnTheChannel()
    {
        // A resumed session: the broker sends what it kept for the device right behind the CONNACK, in the same read.
        MqttRig rig = new MqttRig();
        rig.Channel.Queue(MqttFrames.Connack(0, true));
        rig.Channel.Queue(MqttFrames.Publish("dev/in", MqttFrames.Ascii("kept"), 1, 5));
        rig.Channel.Queue(MqttFrames.Publish("dev/in", MqttFrames.Ascii("next"), 0, 0));
        string payloads = "";
        long deliveredAt = -1;
        int acksBeforeHandlerReturned = -1;
        rig.Client.MessageReceived = m =>
        {
            payloads += Utf8.GetString(m.Buffer, m.PayloadOffset, m.PayloadCount) + ";";
            deliveredAt = rig.Clock.MonotonicMs;
            if (m.Qos == 1)
            {
                acksBeforeHandlerReturned = rig.Channel.CountWritten(MqttCodec.Puback);
            }
        };

        Expect.Status(MqttStatus.Ok, MqttFrames.Connect(rig.Client, rig.Channel));
        Assert.AreEqual(0, rig.Channel.Unread, "one read took the CONNACK and both messages");
        Assert.AreEqual("", payloads, "nothing of the session is dispatched before Connect has returned");
        Assert.AreEqual(0, rig.Channel.CountWritten(MqttCodec.Puback), "nor acknowledged");

        long yieldedAt = rig.Clock.MonotonicMs;
        Expect.Status(MqttStatus.Ok, rig.Client.Yield(1000));
        Assert.AreEqual("kept;next;", payloads);
        Assert.AreEqual(yieldedAt, deliveredAt, "served from the buffer, not after a read's wait");
        Assert.AreEqual(0, acksBeforeHandlerReturned);
        int body;
        int length;
        rig.Channel.SkipWritten();
        rig.Channel.Queue(MqttFrames.Publish("dev/in", MqttFrames.Ascii("late"), 1, 6));
        rig.Client.Yield(0);
        Assert.AreEqual("kept;next;late;", payloads, "the session runs on as usual");
        Assert.AreEqual(0x40, rig.Channel.NextWritten(out body, out length));
        Assert.AreEqual(6, (rig.Channel.Written[body] << 8) | rig.Channel.Written[body + 1]);
    }

    [TestMethod]
    public void APublishReadWithTheConnackIsNotAcknowledgedWhenTheSessionEndsBeforeTheFirstYield()
    {
        MqttRig rig = new MqttRig();
        int calls = 0;
        rig.Client.MessageReceived = m => calls++;
        rig.Channel.Queue(MqttFrames.Connack(0, true));
        rig.Channel.Queue(MqttFrames.Publish("dev/in", MqttFrames.Ascii("kept"), 1, 5));
        Expect.Status(MqttStatus.Ok, MqttFrames.Connect(rig.Client, rig.Channel));
        rig.Client.Disconnect();
        Assert.AreEqual(0, calls);
        Assert.AreEqual(0, rig.Channel.CountWritten(MqttCodec.Puback), "unacknowledged, the broker keeps it for the next session");

        rig.Channel.Queue(MqttFrames.Connack(0, true));
        rig.Channel.Queue(MqttFrames.Publish("dev/in", MqttFrames.Ascii("kept"), 1, 5));
        Expect.Status(MqttStatus.Ok, MqttFrames.Connect(rig.Client, rig.Channel));
        rig.Client.Yield(0);
        Assert.AreEqual(1, calls, "delivered once, in the session that stayed");
        Assert.AreEqual(1, rig.Channel.CountWritten(MqttCodec.Puback));
    }

    [TestMethod]
    public void FramesSplitIntoSingleBytesStillParse()
    {
        MqttRig rig = MqttRig.Connected();
        rig.Channel.MaxChunk = 1;
        int calls = 0;
        rig.Client.MessageReceived = m => { calls++; Assert.AreEqual(5, m.PayloadCount); };
        for (int i = 0; i < 3; i++)
        {
            rig.Channel.Queue(MqttFrames.Publish("a/b", MqttFrames.Ascii("hello"), 1, i + 1));
        }

        for (int i = 0; i < 200 && rig.Channel.Unread > 0; i++)
        {
            rig.Client.Yield(0);
        }

        Assert.AreEqual(3, calls);
        Assert.AreEqual(3, rig.Channel.CountWritten(MqttCodec.Puback));
        Assert.IsTrue(rig.Client.IsConnected);
    }

    [TestMethod]
    public void SubscribeSendsAndSubackCodesIncludingFailureAreReported()
    {
        MqttRig rig = MqttRig.Connected();
        string results = "";
        rig.Client.SubscribeAcknowledged = (id, code) => { results += id + ":" + code + ";"; };
        Expect.Status(MqttStatus.Ok, rig.Client.Subscribe("a/+", 1));
        int idA = rig.Client.LastPacketId;
        Expect.Status(MqttStatus.Ok, rig.Client.Subscribe("b/#", 0));
        int idB = rig.Client.LastPacketId;
        Assert.IsTrue(idA != idB);
        int body;
        int length;
        Assert.AreEqual(0x82, rig.Channel.NextWritten(out body, out length));
        Assert.IsTrue(Utf8.TextEquals("a/+", rig.Channel.Written, body + 4, 3));
        Assert.AreEqual(1, (int)rig.Channel.Written[body + 7], "QoS asked");
        Assert.AreEqual(0x82, rig.Channel.NextWritten(out body, out length));
        rig.Channel.Queue(MqttFrames.Suback(idA, 1));
        rig.Channel.Queue(MqttFrames.Suback(idB, 0x80));
        rig.Client.Yield(0);
        Assert.AreEqual(idA + ":1;" + idB + ":128;", results);
        rig.Channel.Queue(MqttFrames.Ack(MqttCodec.Unsuback, 9));
        rig.Client.Yield(0);
        Assert.IsTrue(rig.Client.IsConnected, "a stray UNSUBACK is ignored");
    }

    [TestMethod]
    public void SubscribeNeedsASessionAndAFilterThatFits()
    {
        MqttRig rig = new MqttRig();
        Expect.Status(MqttStatus.NotConnected, rig.Client.Subscribe("a", 1), "nothing is remembered for later");
        rig.Channel.Queue(MqttFrames.Connack(0));
        MqttFrames.Connect(rig.Client, rig.Channel);
        rig.Channel.SkipWritten();
        Expect.Status(MqttStatus.InvalidArgument, rig.Client.Subscribe("d", 2));
        Expect.Status(MqttStatus.InvalidArgument, rig.Client.Subscribe("", 1));
#if !NANOFRAMEWORK_1_0
        // A device string ends at its first U+0000, so only the host can even pass one (bytes: MqttStringTests).
        Expect.Status(MqttStatus.InvalidArgument, rig.Client.Subscribe("a\u0000b", 1));
#endif
        Expect.Status(MqttStatus.TxBufferTooSmall, rig.Client.Subscribe(new string('x', 300), 1));
        Assert.AreEqual(0, rig.Channel.CountWritten(MqttCodec.Subscribe));
        Assert.IsTrue(rig.Client.IsConnected);
    }

    [TestMethod]
    public void APublishNeedsAConnectionAndRefusesBadTopicsAndViews()
    {
        MqttRig rig = new MqttRig();
        byte[] p = { 1 };
        Expect.Status(MqttStatus.NotConnected, rig.Client.Publish("t", p, 0, 1, 0, false));
        rig.Channel.Queue(MqttFrames.Connack(0));
        MqttFrames.Connect(rig.Client, rig.Channel);
        rig.Channel.SkipWritten();
        Expect.Status(MqttStatus.InvalidArgument, rig.Client.Publish("a/+", p, 0, 1, 0, false));
        Expect.Status(MqttStatus.InvalidArgument, rig.Client.Publish("", p, 0, 1, 0, false));
        Expect.Status(MqttStatus.InvalidArgument, rig.Client.Publish("t", p, 0, 1, 2, false));
        byte[] badTopic = { 0xC0, 0x80 };
        Expect.Status(MqttStatus.InvalidArgument, rig.Client.Publish(badTopic, 0, 2, p, 0, 1, 0, false));

        // Views past their array's end are refused, overflowing ones too, at either QoS.
        byte[] topic = { (byte)'t', (byte)'/', (byte)'x' };
        byte[] payload = new byte[16];
        for (int qos = 0; qos <= 1; qos++)
        {
            Expect.Status(MqttStatus.InvalidArgument, rig.Client.Publish(topic, 0, 3, payload, 8, int.MaxValue - 4, qos, false));
            Expect.Status(MqttStatus.InvalidArgument, rig.Client.Publish(topic, 0, 3, payload, 17, 1, qos, false));
            Expect.Status(MqttStatus.InvalidArgument, rig.Client.Publish(topic, 0, 3, payload, 8, 9, qos, false));
            Expect.Status(MqttStatus.InvalidArgument, rig.Client.Publish(topic, 2, 2, payload, 0, 1, qos, false));
            Expect.Status(MqttStatus.InvalidArgument, rig.Client.Publish(topic, int.MaxValue, 2, payload, 0, 1, qos, false));
            Expect.Status(MqttStatus.InvalidArgument, rig.Client.Publish(topic, -1, 2, payload, 0, 1, qos, false));
        }

        Assert.AreEqual(0, rig.Client.InFlightCount, "nothing refused was kept");
        Expect.Status(MqttStatus.TxBufferTooSmall, rig.Client.Publish("t", new byte[300], 0, 300, 0, false));
        Expect.Status(MqttStatus.Ok, rig.Client.Publish("t", p, 0, 1, 0, true));
        int body;
        int length;
        Assert.AreEqual(0x31, rig.Channel.NextWritten(out body, out length));
        Assert.AreEqual(4, length);
    }

    [TestMethod]
    public void DisconnectSendsDisconnectAndNeverReconnects()
    {
        MqttRig rig = MqttRig.Connected();
        rig.Client.Disconnect();
        Assert.AreEqual(1, rig.Channel.CountWritten(MqttCodec.Disconnect));
        Assert.AreEqual(0, rig.Channel.Closes, "the channel is its owner's to close");
        Expect.Status(MqttStatus.ClosedByCaller, rig.Client.LastReason);
        rig.Clock.Advance(100000);
        Expect.Status(MqttStatus.ClosedByCaller, rig.Client.Yield(0));
        Assert.AreEqual(1, rig.Channel.Connects, "only its owner opens the channel");
    }
}
