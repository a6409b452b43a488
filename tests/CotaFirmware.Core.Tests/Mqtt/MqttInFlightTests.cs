using CotaFirmware.Mqtt;

namespace CotaFirmware.Tests.Mqtt;

[TestClass]
public class MqttInFlightTests
{
    [TestMethod]
    public void Qos1StaysInFlightUntilPubackAndTheSetIsBounded()
    {
        MqttRig rig = MqttRig.Connected();
        byte[] p = new byte[10];
        int[] ids = new int[4];
        for (int i = 0; i < 4; i++)
        {
            Expect.Status(MqttStatus.Ok, rig.Client.Publish("t/x", p, 0, 10, 1, false));
            ids[i] = rig.Client.LastPacketId;
        }

        Assert.AreEqual(4, rig.Client.InFlightCount);
        Expect.Status(MqttStatus.InFlightFull, rig.Client.Publish("t/x", p, 0, 10, 1, false), "slot count");
        int acked = 0;
        rig.Client.PublishAcknowledged = id => { acked = id; };
        rig.Channel.Queue(MqttFrames.Ack(MqttCodec.Puback, ids[1]));
        rig.Client.Yield(0);
        Assert.AreEqual(ids[1], acked);
        Assert.AreEqual(3, rig.Client.InFlightCount);
        Expect.Status(MqttStatus.InFlightFull, rig.Client.Publish("t/x", new byte[480], 0, 480, 1, false), "slab bytes");
        Expect.Status(MqttStatus.Ok, rig.Client.Publish("t/x", p, 0, 10, 1, false));
        Assert.AreEqual(4, rig.Client.InFlightCount);
    }

    [TestMethod]
    public void TheNextSessionResendsInFlightMessagesWithDupAndNoSubscriptions()
    {
        MqttRig rig = MqttRig.Connected();
        Expect.Status(MqttStatus.Ok, rig.Client.Subscribe("cmd/#", 1));
        Expect.Status(MqttStatus.Ok, rig.Client.Publish("t/1", new byte[] { 1 }, 0, 1, 1, false));
        int sentId = rig.Client.LastPacketId;
        rig.Channel.ReadFailure = ChannelStatus.Closed;
        Expect.Status(MqttStatus.ChannelFailed, rig.Client.Yield(0));
        Assert.IsFalse(rig.Client.IsConnected);
        Assert.AreEqual(0, rig.Channel.Closes, "the client leaves closing the channel to its owner");
        rig.Channel.Close();

        // Kept while there is no session, sent in the next one without DUP since it never went out.
        Expect.Status(MqttStatus.Ok, rig.Client.Publish("t/2", new byte[] { 2 }, 0, 1, 1, false));
        rig.Clock.Advance(100000);
        rig.Client.Yield(0);
        Assert.AreEqual(1, rig.Channel.Connects, "no reconnect of its own");
        rig.Channel.ReadFailure = ChannelStatus.Ok;
        rig.Channel.SkipWritten();
        rig.Channel.Queue(MqttFrames.Connack(0));
        Expect.Status(MqttStatus.Ok, MqttFrames.Connect(rig.Client, rig.Channel));

        int body;
        int length;
        Assert.AreEqual(0x10, rig.Channel.NextWritten(out body, out length));
        Assert.AreEqual(0x3A, rig.Channel.NextWritten(out body, out length), "resent with DUP and QoS 1");
        Assert.AreEqual(sentId, (rig.Channel.Written[body + 5] << 8) | rig.Channel.Written[body + 6]);
        Assert.AreEqual(0x32, rig.Channel.NextWritten(out body, out length), "first send: no DUP");
        Assert.AreEqual(-1, rig.Channel.NextWritten(out body, out length), "no SUBSCRIBE: subscriptions are the owner's to renew");
        rig.Channel.Queue(MqttFrames.Ack(MqttCodec.Puback, sentId));
        rig.Client.Yield(0);
        Assert.AreEqual(1, rig.Client.InFlightCount);
    }

    [TestMethod]
    public void PingWhenIdleAndDropWhenPingrespIsLate()
    {
        MqttRig rig = MqttRig.Connected();
        rig.Clock.Advance(59000);
        rig.Client.Yield(0);
        Assert.AreEqual(0, rig.Channel.CountWritten(MqttCodec.Pingreq), "not before the keep-alive period");
        rig.Clock.Advance(1000);
        rig.Client.Yield(0);
        Assert.AreEqual(1, rig.Channel.CountWritten(MqttCodec.Pingreq));
        rig.Channel.Queue(new byte[] { 0xD0, 0 });
        rig.Client.Yield(0);
        Assert.IsTrue(rig.Client.IsConnected);

        rig.Clock.Advance(60000);
        rig.Client.Yield(0);
        Assert.AreEqual(1, rig.Channel.CountWritten(MqttCodec.Pingreq));
        rig.Clock.Advance(4999);
        rig.Client.Yield(0);
        Assert.IsTrue(rig.Client.IsConnected);
        rig.Clock.Advance(1);
        rig.Client.Yield(0);
        Assert.IsFalse(rig.Client.IsConnected);
        Expect.Status(MqttStatus.PingTimeout, rig.Client.LastReason);
        Assert.AreEqual(0, rig.Channel.Closes, "the channel is its owner's to close");
    }

    [TestMethod]
    public void APingrespThatCameWhileTheCallerWasBusyElsewhereKeepsTheSession()
    {
        MqttRig rig = MqttRig.Connected();
        rig.Clock.Advance(60000);
        rig.Client.Yield(0);
        Assert.AreEqual(1, rig.Channel.CountWritten(MqttCodec.Pingreq));

        // The broker answers at once, while the caller spends 6 s on a download request before it yields again.
        rig.Channel.Queue(new byte[] { 0xD0, 0 });
        rig.Clock.Advance(6000);
        Expect.Status(MqttStatus.Ok, rig.Client.Yield(0));
        Assert.IsTrue(rig.Client.IsConnected, "the PINGRESP was in the channel, not late");

        // The next ping, with no answer at all, still times out.
        rig.Clock.Advance(60000);
        rig.Client.Yield(0);
        rig.Clock.Advance(5000);
        rig.Client.Yield(0);
        Expect.Status(MqttStatus.PingTimeout, rig.Client.LastReason);
    }

    [TestMethod]
    public void YieldWaitsForTheKeepAliveAndPingsWithinOneCall()
    {
        MqttRig rig = MqttRig.Connected();
        long start = rig.Clock.MonotonicMs;
        rig.Client.Yield(61000);
        Assert.AreEqual(1, rig.Channel.CountWritten(MqttCodec.Pingreq));
        Assert.IsTrue(rig.Clock.MonotonicMs - start >= 60000);
    }
}
