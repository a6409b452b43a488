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
public class MqttSessionTests
{
    [TestMethod]
    public void ConnectSendsCredentialsAndReportsTheSession()
    {
        FakeClock clock = new FakeClock();
        FakeChannel channel = new FakeChannel(clock);
        MqttClient client = new MqttClient(channel, clock, MqttFrames.Options());
        int ups = 0;
        client.ConnectionChanged = (connected, reason) => { if (connected) { ups++; } };
        channel.Queue(new byte[] { 0x20, 2, 1, 0 });
        Assert.AreEqual((int)MqttStatus.Ok, (int)client.Connect());
        Assert.IsTrue(client.IsConnected);
        Assert.IsTrue(client.SessionPresent);
        Assert.AreEqual(1, ups);
        int body;
        int length;
        Assert.AreEqual(0x10, channel.NextWritten(out body, out length));
        byte[] w = channel.Written;
        Assert.AreEqual((byte)0xC2, w[body + 7], "user, password, clean session");
        Assert.AreEqual(60, (w[body + 8] << 8) | w[body + 9]);
        Assert.IsTrue(Utf8.TextEquals("dev1", w, body + 12, 4));
    }

    [TestMethod]
    public void EachConnackRefusalMapsToItsNamedStatus()
    {
        MqttStatus[] expected = { MqttStatus.RefusedProtocolVersion, MqttStatus.RefusedIdentifier, MqttStatus.RefusedServerUnavailable,
            MqttStatus.RefusedBadCredentials, MqttStatus.RefusedNotAuthorized, MqttStatus.RefusedUnknownCode };
        for (int code = 1; code <= 6; code++)
        {
            FakeClock clock = new FakeClock();
            FakeChannel channel = new FakeChannel(clock);
            MqttClient client = new MqttClient(channel, clock, MqttFrames.Options());
            MqttStatus seen = MqttStatus.Ok;
            client.ConnectionChanged = (connected, reason) => { seen = reason; };
            channel.Queue(MqttFrames.Connack(code));
            Assert.AreEqual((int)expected[code - 1], (int)client.Connect(), "code " + code);
            Assert.AreEqual((int)expected[code - 1], (int)seen);
            Assert.IsFalse(channel.IsOpen);
        }
    }

    [TestMethod]
    public void MissingConnackTimesOutAndAFailedChannelIsReported()
    {
        FakeClock clock = new FakeClock();
        FakeChannel channel = new FakeChannel(clock);
        MqttClient client = new MqttClient(channel, clock, MqttFrames.Options());
        Assert.AreEqual((int)MqttStatus.ConnackTimeout, (int)client.Connect());
        Assert.IsFalse(channel.IsOpen);

        FakeChannel refused = new FakeChannel(clock);
        refused.ConnectResult = ChannelStatus.Refused;
        MqttClient other = new MqttClient(refused, clock, MqttFrames.Options());
        Assert.AreEqual((int)MqttStatus.ChannelFailed, (int)other.Connect());
        Assert.AreEqual(ChannelStatus.Refused, other.LastChannelStatus);
    }

    [TestMethod]
    public void KeepAliveOutsideThirtyToTwelveHundredSecondsIsRejected()
    {
        FakeClock clock = new FakeClock();
        FakeChannel channel = new FakeChannel(clock);
        MqttClientOptions o = MqttFrames.Options();
        o.KeepAliveSeconds = 29;
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => new MqttClient(channel, clock, o));
        o.KeepAliveSeconds = 1201;
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => new MqttClient(channel, clock, o));
        o.KeepAliveSeconds = 30;
        Assert.IsNotNull(new MqttClient(channel, clock, o));
        o.KeepAliveSeconds = 1200;
        Assert.IsNotNull(new MqttClient(channel, clock, o));
    }

    [TestMethod]
    public void IncomingMessagesArriveAsViewsAndQos1IsAckedAfterTheHandler()
    {
        FakeClock clock = new FakeClock();
        FakeChannel channel = new FakeChannel(clock);
        MqttClient client = MqttFrames.Connected(channel, clock, MqttFrames.Options());
        int calls = 0;
        int acksBeforeHandlerReturned = -1;
        string payloads = "";
        client.MessageReceived = m =>
        {
            calls++;
            Assert.IsTrue(m.TopicEquals("dev/in"));
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
        FakeClock clock = new FakeClock();
        FakeChannel channel = new FakeChannel(clock);
        MqttClient client = MqttFrames.Connected(channel, clock, MqttFrames.Options());
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
    public void SubscribeIsRememberedAndSubackCodesIncludingFailureAreReported()
    {
        FakeClock clock = new FakeClock();
        FakeChannel channel = new FakeChannel(clock);
        MqttClient client = MqttFrames.Connected(channel, clock, MqttFrames.Options());
        string results = "";
        client.SubscribeCompleted = (f, o, c, code) => { results += (char)f[o] + ":" + code + ";"; };
        Assert.AreEqual((int)MqttStatus.Ok, (int)client.Subscribe("a/+", 1));
        int idA = client.LastPacketId;
        Assert.AreEqual((int)MqttStatus.Ok, (int)client.Subscribe("b/#", 0));
        int idB = client.LastPacketId;
        Assert.AreEqual(2, channel.CountWritten(MqttCodec.Subscribe));
        channel.Queue(MqttFrames.Suback(idA, 1));
        channel.Queue(MqttFrames.Suback(idB, 0x80));
        client.Yield(0);
        Assert.AreEqual("a:1;b:128;", results);
        Assert.AreEqual(2, client.SubscriptionCount);

        Assert.AreEqual((int)MqttStatus.Ok, (int)client.Unsubscribe("a/+"));
        Assert.AreEqual(1, channel.CountWritten(MqttCodec.Unsubscribe));
        Assert.AreEqual(1, client.SubscriptionCount);
        Assert.AreEqual((int)MqttStatus.NotSubscribed, (int)client.Unsubscribe("a/+"));
        channel.Queue(MqttFrames.Ack(MqttCodec.Unsuback, client.LastPacketId));
        client.Yield(0);
        Assert.IsTrue(client.IsConnected);
    }

    [TestMethod]
    public void SubscriptionTableIsBounded()
    {
        FakeClock clock = new FakeClock();
        FakeChannel channel = new FakeChannel(clock);
        MqttClientOptions o = MqttFrames.Options();
        o.MaxSubscriptions = 2;
        o.SubscriptionBytes = 8;
        MqttClient client = new MqttClient(channel, clock, o);
        Assert.AreEqual((int)MqttStatus.Ok, (int)client.Subscribe("aaa", 1));
        Assert.AreEqual((int)MqttStatus.Ok, (int)client.Subscribe("aaa", 0), "same filter updates in place");
        Assert.AreEqual((int)MqttStatus.SubscriptionsFull, (int)client.Subscribe("bbbbbb", 1), "bytes");
        Assert.AreEqual((int)MqttStatus.Ok, (int)client.Subscribe("bb", 1));
        Assert.AreEqual((int)MqttStatus.SubscriptionsFull, (int)client.Subscribe("c", 1), "count");
        Assert.AreEqual((int)MqttStatus.InvalidArgument, (int)client.Subscribe("d", 2));
    }

    [TestMethod]
    public void Qos0PublishNeedsAConnectionAndInvalidTopicsAreRefused()
    {
        FakeClock clock = new FakeClock();
        FakeChannel channel = new FakeChannel(clock);
        MqttClient client = new MqttClient(channel, clock, MqttFrames.Options());
        byte[] p = { 1 };
        Assert.AreEqual((int)MqttStatus.NotConnected, (int)client.Publish("t", p, 0, 1, 0, false));
        channel.Queue(MqttFrames.Connack(0));
        client.Connect();
        channel.SkipWritten();
        Assert.AreEqual((int)MqttStatus.InvalidArgument, (int)client.Publish("a/+", p, 0, 1, 0, false));
        Assert.AreEqual((int)MqttStatus.InvalidArgument, (int)client.Publish("", p, 0, 1, 0, false));
        Assert.AreEqual((int)MqttStatus.InvalidArgument, (int)client.Publish("t", p, 0, 1, 2, false));
        byte[] badTopic = { 0xC0, 0x80 };
        Assert.AreEqual((int)MqttStatus.InvalidArgument, (int)client.Publish(badTopic, 0, 2, p, 0, 1, 0, false));
        Assert.AreEqual((int)MqttStatus.TxBufferTooSmall, (int)client.Publish("t", new byte[300], 0, 300, 0, false));
        Assert.AreEqual((int)MqttStatus.Ok, (int)client.Publish("t", p, 0, 1, 0, true));
        int body;
        int length;
        Assert.AreEqual(0x31, channel.NextWritten(out body, out length));
        Assert.AreEqual(4, length);
    }

    [TestMethod]
    public void DisconnectSendsDisconnectAndStopsReconnecting()
    {
        FakeClock clock = new FakeClock();
        FakeChannel channel = new FakeChannel(clock);
        MqttClient client = MqttFrames.Connected(channel, clock, MqttFrames.Options());
        client.Disconnect();
        Assert.AreEqual(1, channel.CountWritten(MqttCodec.Disconnect));
        Assert.IsFalse(channel.IsOpen);
        Assert.AreEqual((int)MqttStatus.ClosedByCaller, (int)client.LastReason);
        clock.Now += 100000;
        client.Yield(0);
        Assert.AreEqual(1, channel.Connects);
    }

    [TestMethod]
    public void StartLetsYieldConnectWithoutBlockingTheCaller()
    {
        FakeClock clock = new FakeClock();
        FakeChannel channel = new FakeChannel(clock);
        MqttClient client = new MqttClient(channel, clock, MqttFrames.Options());
        client.Yield(0);
        Assert.AreEqual(0, channel.Connects, "nothing before Start");
        client.Start();
        Assert.AreEqual(0, channel.Connects, "Start itself does no I/O");
        channel.Queue(MqttFrames.Connack(0));
        client.Yield(0);
        Assert.IsTrue(client.IsConnected);
        Assert.AreEqual(1, channel.Connects);
    }
}
