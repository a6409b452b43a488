using CotaFirmware.Mqtt;

namespace CotaFirmware.Tests.Mqtt;

[TestClass]
public class MqttInFlightTests
{
    [TestMethod]
    public void Qos1StaysInFlightUntilPubackAndTheSetIsBounded()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        MqttClient client = MqttFrames.Connected(channel, clock, MqttFrames.Settings());
        byte[] p = new byte[10];
        int[] ids = new int[4];
        for (int i = 0; i < 4; i++)
        {
            Expect.Status(MqttStatus.Ok, client.Publish("t/x", p, 0, 10, 1, false));
            ids[i] = client.LastPacketId;
        }

        Assert.AreEqual(4, client.InFlightCount);
        Expect.Status(MqttStatus.InFlightFull, client.Publish("t/x", p, 0, 10, 1, false), "slot count");
        int acked = 0;
        client.PublishAcknowledged = id => { acked = id; };
        channel.Queue(MqttFrames.Ack(MqttCodec.Puback, ids[1]));
        client.Yield(0);
        Assert.AreEqual(ids[1], acked);
        Assert.AreEqual(3, client.InFlightCount);
        Expect.Status(MqttStatus.InFlightFull, client.Publish("t/x", new byte[480], 0, 480, 1, false), "slab bytes");
        Expect.Status(MqttStatus.Ok, client.Publish("t/x", p, 0, 10, 1, false));
        Assert.AreEqual(4, client.InFlightCount);
    }

    [TestMethod]
    public void TheNextSessionResendsInFlightMessagesWithDupAndNoSubscriptions()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        MqttClient client = MqttFrames.Connected(channel, clock, MqttFrames.Settings());
        Expect.Status(MqttStatus.Ok, client.Subscribe("cmd/#", 1));
        Expect.Status(MqttStatus.Ok, client.Publish("t/1", new byte[] { 1 }, 0, 1, 1, false));
        int sentId = client.LastPacketId;
        channel.ReadFailure = ChannelStatus.Closed;
        Expect.Status(MqttStatus.ChannelFailed, client.Yield(0));
        Assert.IsFalse(client.IsConnected);
        Assert.AreEqual(0, channel.Closes, "the client leaves closing the channel to its owner");
        channel.Close();

        // Kept while there is no session, sent in the next one without DUP since it never went out.
        Expect.Status(MqttStatus.Ok, client.Publish("t/2", new byte[] { 2 }, 0, 1, 1, false));
        clock.Advance(100000);
        client.Yield(0);
        Assert.AreEqual(1, channel.Connects, "no reconnect of its own");
        channel.ReadFailure = ChannelStatus.Ok;
        channel.SkipWritten();
        channel.Queue(MqttFrames.Connack(0));
        Expect.Status(MqttStatus.Ok, MqttFrames.Connect(client, channel));

        int body;
        int length;
        Assert.AreEqual(0x10, channel.NextWritten(out body, out length));
        Assert.AreEqual(0x3A, channel.NextWritten(out body, out length), "resent with DUP and QoS 1");
        Assert.AreEqual(sentId, (channel.Written[body + 5] << 8) | channel.Written[body + 6]);
        Assert.AreEqual(0x32, channel.NextWritten(out body, out length), "first send: no DUP");
        Assert.AreEqual(-1, channel.NextWritten(out body, out length), "no SUBSCRIBE: subscriptions are the owner's to renew");
        channel.Queue(MqttFrames.Ack(MqttCodec.Puback, sentId));
        client.Yield(0);
        Assert.AreEqual(1, client.InFlightCount);
    }

    [TestMethod]
    public void PingWhenIdleAndDropWhenPingrespIsLate()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        MqttClient client = MqttFrames.Connected(channel, clock, MqttFrames.Settings());
        clock.Advance(59000);
        client.Yield(0);
        Assert.AreEqual(0, channel.CountWritten(MqttCodec.Pingreq), "not before the keep-alive period");
        clock.Advance(1000);
        client.Yield(0);
        Assert.AreEqual(1, channel.CountWritten(MqttCodec.Pingreq));
        channel.Queue(new byte[] { 0xD0, 0 });
        client.Yield(0);
        Assert.IsTrue(client.IsConnected);

        clock.Advance(60000);
        client.Yield(0);
        Assert.AreEqual(1, channel.CountWritten(MqttCodec.Pingreq));
        clock.Advance(4999);
        client.Yield(0);
        Assert.IsTrue(client.IsConnected);
        clock.Advance(1);
        client.Yield(0);
        Assert.IsFalse(client.IsConnected);
        Expect.Status(MqttStatus.PingTimeout, client.LastReason);
        Assert.AreEqual(0, channel.Closes, "the channel is its owner's to close");
    }

    [TestMethod]
    public void YieldWaitsForTheKeepAliveAndPingsWithinOneCall()
    {
        ManualClock clock = new ManualClock();
        ScriptedChannel channel = new ScriptedChannel(clock);
        MqttClient client = MqttFrames.Connected(channel, clock, MqttFrames.Settings());
        long start = clock.MonotonicMs;
        client.Yield(61000);
        Assert.AreEqual(1, channel.CountWritten(MqttCodec.Pingreq));
        Assert.IsTrue(clock.MonotonicMs - start >= 60000);
    }
}
