#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System;
using CotaFirmware.Mqtt;
using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Tests.Mqtt;

[TestClass]
public class MqttReconnectTests
{
    [TestMethod]
    public void Qos1StaysInFlightUntilPubackAndTheSetIsBounded()
    {
        FakeClock clock = new FakeClock();
        FakeChannel channel = new FakeChannel(clock);
        MqttClient client = MqttFrames.Connected(channel, clock, MqttFrames.Options());
        byte[] p = new byte[10];
        int[] ids = new int[4];
        for (int i = 0; i < 4; i++)
        {
            Assert.AreEqual((int)MqttStatus.Ok, (int)client.Publish("t/x", p, 0, 10, 1, false));
            ids[i] = client.LastPacketId;
        }

        Assert.AreEqual(4, client.InFlightCount);
        Assert.AreEqual((int)MqttStatus.InFlightFull, (int)client.Publish("t/x", p, 0, 10, 1, false), "slot count");
        int acked = 0;
        client.PublishAcknowledged = id => { acked = id; };
        channel.Queue(MqttFrames.Ack(MqttCodec.Puback, ids[1]));
        client.Yield(0);
        Assert.AreEqual(ids[1], acked);
        Assert.AreEqual(3, client.InFlightCount);
        Assert.AreEqual((int)MqttStatus.InFlightFull, (int)client.Publish("t/x", new byte[480], 0, 480, 1, false), "slab bytes");
        Assert.AreEqual((int)MqttStatus.Ok, (int)client.Publish("t/x", p, 0, 10, 1, false));
        Assert.AreEqual(4, client.InFlightCount);
    }

    [TestMethod]
    public void ReconnectResubscribesAndResendsInFlightWithDup()
    {
        FakeClock clock = new FakeClock();
        FakeChannel channel = new FakeChannel(clock);
        MqttClient client = MqttFrames.Connected(channel, clock, MqttFrames.Options());
        client.Subscribe("cmd/#", 1);
        string events = "";
        client.ConnectionChanged = (up, reason) => { events += up ? "up;" : "down:" + (int)reason + ";"; };
        Assert.AreEqual((int)MqttStatus.Ok, (int)client.Publish("t/1", new byte[] { 1 }, 0, 1, 1, false));
        int sentId = client.LastPacketId;
        channel.ReadFailure = ChannelStatus.Closed;
        client.Yield(0);
        Assert.IsFalse(client.IsConnected);
        Assert.AreEqual("down:" + (int)MqttStatus.ChannelFailed + ";", events);

        // queued while offline: sent once connected, without DUP since it never went out
        Assert.AreEqual((int)MqttStatus.Ok, (int)client.Publish("t/2", new byte[] { 2 }, 0, 1, 1, false));
        channel.ReadFailure = 0;
        channel.SkipWritten();
        int delay = client.ReconnectDelayMs;
        Assert.IsTrue(delay >= 500 && delay <= 1000, "first delay with jitter: " + delay);
        client.Yield(0);
        Assert.AreEqual(1, channel.Connects, "not before the delay");
        clock.Now += delay;
        channel.Queue(MqttFrames.Connack(0));
        client.Yield(0);
        Assert.IsTrue(client.IsConnected);
        Assert.AreEqual(2, channel.Connects);

        int body;
        int length;
        Assert.AreEqual(0x10, channel.NextWritten(out body, out length));
        Assert.AreEqual(0x82, channel.NextWritten(out body, out length));
        Assert.IsTrue(Utf8.TextEquals("cmd/#", channel.Written, body + 4, 5));
        Assert.AreEqual(0x3A, channel.NextWritten(out body, out length), "resent with DUP and QoS 1");
        Assert.AreEqual(sentId, (channel.Written[body + 5] << 8) | channel.Written[body + 6]);
        Assert.AreEqual(0x32, channel.NextWritten(out body, out length), "first send: no DUP");
        Assert.AreEqual("down:" + (int)MqttStatus.ChannelFailed + ";up;", events);
    }

    [TestMethod]
    public void BackoffDoublesWithJitterAndStaysBounded()
    {
        FakeClock clock = new FakeClock();
        FakeChannel channel = new FakeChannel(clock);
        channel.ConnectResult = ChannelStatus.Unreachable;
        MqttClient client = new MqttClient(channel, clock, MqttFrames.Options());
        client.Connect();
        int[] ceilings = { 1000, 2000, 4000, 8000, 8000, 8000 };
        for (int i = 0; i < ceilings.Length; i++)
        {
            int delay = client.ReconnectDelayMs;
            Assert.IsTrue(delay >= ceilings[i] / 2 && delay <= ceilings[i], "attempt " + i + ": " + delay);
            clock.Now += delay;
            client.Yield(0);
            Assert.AreEqual(i + 2, channel.Connects);
        }

        channel.ConnectResult = 0;
        clock.Now += client.ReconnectDelayMs;
        channel.Queue(MqttFrames.Connack(0));
        client.Yield(0);
        Assert.IsTrue(client.IsConnected);
        channel.ReadFailure = ChannelStatus.Failed;
        client.Yield(0);
        int after = client.ReconnectDelayMs;
        Assert.IsTrue(after >= 500 && after <= 1000, "success resets the backoff: " + after);
    }

    [TestMethod]
    public void PingWhenIdleAndDropWhenPingrespIsLate()
    {
        FakeClock clock = new FakeClock();
        FakeChannel channel = new FakeChannel(clock);
        MqttClient client = MqttFrames.Connected(channel, clock, MqttFrames.Options());
        clock.Now += 59000;
        client.Yield(0);
        Assert.AreEqual(0, channel.CountWritten(MqttCodec.Pingreq), "not before the keep-alive period");
        clock.Now += 1000;
        client.Yield(0);
        Assert.AreEqual(1, channel.CountWritten(MqttCodec.Pingreq));
        channel.Queue(new byte[] { 0xD0, 0 });
        client.Yield(0);
        Assert.IsTrue(client.IsConnected);

        clock.Now += 60000;
        client.Yield(0);
        Assert.AreEqual(1, channel.CountWritten(MqttCodec.Pingreq));
        clock.Now += 4999;
        client.Yield(0);
        Assert.IsTrue(client.IsConnected);
        clock.Now += 1;
        client.Yield(0);
        Assert.IsFalse(client.IsConnected);
        Assert.AreEqual((int)MqttStatus.PingTimeout, (int)client.LastReason);
    }

    [TestMethod]
    public void YieldWaitsForTheKeepAliveAndPingsWithinOneCall()
    {
        FakeClock clock = new FakeClock();
        FakeChannel channel = new FakeChannel(clock);
        MqttClient client = MqttFrames.Connected(channel, clock, MqttFrames.Options());
        long start = clock.Now;
        client.Yield(61000);
        Assert.AreEqual(1, channel.CountWritten(MqttCodec.Pingreq));
        Assert.IsTrue(clock.Now - start >= 60000);
    }
}
