using System.Diagnostics;
using System.Text;
using CotaFirmware.Host.Board;
using CotaFirmware.Host.Cli;
using CotaFirmware.Mqtt;

namespace CotaFirmware.HostTests.Mqtt;

/// <summary>The client against a real mosquitto on loopback, with MQTTnet as the other party (reconnection is LinkKit's: see FleetHealingTests).</summary>
[TestClass]
public sealed class MqttBrokerTests
{
    internal static MqttClientSettings Settings() => new() { PingTimeoutMs = 3000 };

    /// <summary>Opens <paramref name="channel"/> to the broker and starts a session over it (30 s keep-alive, clean session), as a session's owner does.</summary>
    internal static MqttStatus Open(MqttClient client, IByteChannel channel, int port, string clientId, string host = "127.0.0.1", bool tls = false)
    {
        ChannelStatus opened = channel.Connect(host, port, tls, 3000);
        return opened != ChannelStatus.Ok ? MqttStatus.ChannelFailed : client.Connect(new MqttConnectInfo { ClientId = clientId, KeepAliveSeconds = 30, CleanSession = true }, 3000);
    }

    internal static bool Pump(MqttClient client, Func<bool> until, int timeoutMs = 5000)
    {
        var sw = Stopwatch.StartNew();
        while (!until() && sw.ElapsedMilliseconds < timeoutMs)
        {
            client.Yield(20);
        }

        return until();
    }

    private sealed class Inbox
    {
        public readonly List<(string Topic, string Payload, int Qos, bool Retain)> Items = new();

        public void Take(MqttMessage m) => Items.Add((
            Encoding.UTF8.GetString(m.Buffer, m.TopicOffset, m.TopicCount),
            Encoding.UTF8.GetString(m.Buffer, m.PayloadOffset, m.PayloadCount), m.Qos, m.Retain));
    }

    [TestMethod]
    public void PublishAndReceiveAtQos0AndQos1ThroughMosquitto()
    {
        using var broker = Mosquitto.Start();
        using var peer = Peer.Connect(broker.Port, "peer");
        peer.Subscribe("dev/out/#", 1);
        var channel = new TcpChannel();
        var client = new MqttClient(channel, new HostClock(), Settings());
        var inbox = new Inbox();
        client.MessageReceived = inbox.Take;
        int granted = -1;
        client.SubscribeAcknowledged = (id, code) => granted = code;
        Assert.AreEqual(MqttStatus.Ok, Open(client, channel, broker.Port, "dev-a"));
        Assert.AreEqual(MqttStatus.Ok, client.Subscribe("dev/in/+", 1));
        Assert.IsTrue(Pump(client, () => granted >= 0));
        Assert.AreEqual(1, granted);

        byte[] topic = Encoding.UTF8.GetBytes("xdev/out/q1");
        Assert.AreEqual(MqttStatus.Ok, client.Publish("dev/out/q0", Encoding.UTF8.GetBytes("zero"), 0, 4, 0, false));
        Assert.AreEqual(MqttStatus.Ok, client.Publish(topic, 1, topic.Length - 1, Encoding.UTF8.GetBytes("one"), 0, 3, 1, false));
        Assert.IsTrue(Pump(client, () => client.InFlightCount == 0), "PUBACK frees the in-flight slot");
        Assert.IsTrue(peer.WaitFor(2));
        var got = peer.Received.ToArray().OrderBy(r => r.Topic).ToArray();
        Assert.AreEqual("dev/out/q0", got[0].Topic);
        Assert.AreEqual("zero", Encoding.UTF8.GetString(got[0].Payload));
        Assert.AreEqual("dev/out/q1", got[1].Topic);
        Assert.AreEqual("one", Encoding.UTF8.GetString(got[1].Payload));

        peer.Publish("dev/in/a", Encoding.UTF8.GetBytes("to-qos0"), 0);
        peer.Publish("dev/in/b", Encoding.UTF8.GetBytes("to-qos1"), 1);
        Assert.IsTrue(Pump(client, () => inbox.Items.Count >= 2));
        Assert.AreEqual(("dev/in/a", "to-qos0", 0, false), inbox.Items[0]);
        Assert.AreEqual(("dev/in/b", "to-qos1", 1, false), inbox.Items[1]);
        client.Disconnect();
        Assert.IsFalse(client.IsConnected);
    }

    [TestMethod]
    public void RetainedMessageArrivesOnSubscribeWithTheRetainFlag()
    {
        using var broker = Mosquitto.Start();
        using var peer = Peer.Connect(broker.Port, "peer");
        peer.Publish("cfg/state", Encoding.UTF8.GetBytes("retained-v1"), 1, retain: true);
        var channel = new TcpChannel();
        var client = new MqttClient(channel, new HostClock(), Settings());
        var inbox = new Inbox();
        client.MessageReceived = inbox.Take;
        Assert.AreEqual(MqttStatus.Ok, Open(client, channel, broker.Port, "dev-r"));
        client.Subscribe("cfg/#", 1);
        Assert.IsTrue(Pump(client, () => inbox.Items.Count >= 1));
        Assert.AreEqual(("cfg/state", "retained-v1", 1, true), inbox.Items[0]);

        byte[] p = Encoding.UTF8.GetBytes("mine");
        client.Publish("cfg/own", p, 0, p.Length, 1, true);
        Assert.IsTrue(Pump(client, () => client.InFlightCount == 0));
        using var late = Peer.Connect(broker.Port, "late");
        late.Subscribe("cfg/own", 0);
        Assert.IsTrue(late.WaitFor(1));
        Assert.IsTrue(late.Received.First().Retain, "our retain flag reached the broker");
        client.Disconnect();
    }

    [TestMethod]
    public void IdleClientPingsAndTheBrokerAnswers()
    {
        using var broker = Mosquitto.Start();
        var clock = new ManualClock();
        var wire = new RecordingChannel(new TcpChannel());
        var client = new MqttClient(wire, clock, Settings());
        Assert.AreEqual(MqttStatus.Ok, Open(client, wire, broker.Port, "dev-ping"));
        clock.Advance(29_999);
        client.Yield(0);
        CollectionAssert.DoesNotContain(RecordingChannel.PacketTypes(wire.Written), 0xC0, "no ping before the keep-alive period");
        clock.Advance(1);
        client.Yield(0);
        CollectionAssert.Contains(RecordingChannel.PacketTypes(wire.Written), 0xC0, "PINGREQ written once the link was idle for 30 s");
        wire.AwaitNextBytes(5000);
        client.Yield(0);
        CollectionAssert.Contains(RecordingChannel.PacketTypes(wire.ReadBytes), 0xD0, "PINGRESP read");
        Assert.IsTrue(client.IsConnected);
        Assert.IsTrue(broker.WaitForLog("Received PINGREQ from dev-ping"), broker.Log);
        client.Disconnect();
    }

    [TestMethod]
    public void MissingPingrespDropsTheConnection()
    {
        // A listener that accepts and answers CONNACK, then stays silent: the ping goes unanswered.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        using var testOver = new ManualResetEventSlim();
        var accept = Task.Run(() =>
        {
            using var s = listener.AcceptSocket();
            var buf = new byte[256];
            s.Receive(buf);
            s.Send(new byte[] { 0x20, 2, 0, 0 });
            testOver.Wait(TimeSpan.FromSeconds(30)); // silent, with the socket open, until the client has given up
        });
        try
        {
            var clock = new ManualClock();
            var settings = Settings();
            settings.PingTimeoutMs = 200;
            var channel = new TcpChannel();
            var client = new MqttClient(channel, clock, settings);
            Assert.AreEqual(MqttStatus.Ok, Open(client, channel, port, "dev-silent"));
            clock.Advance(30_000);
            client.Yield(0); // the ping goes out
            clock.Advance(199);
            client.Yield(0);
            Assert.IsTrue(client.IsConnected, "still within the ping timeout");
            clock.Advance(1);
            client.Yield(0);
            Assert.IsFalse(client.IsConnected);
            Assert.AreEqual(MqttStatus.PingTimeout, client.LastReason);
            client.Disconnect();
        }
        finally
        {
            testOver.Set();
            accept.Wait(TimeSpan.FromSeconds(5));
            listener.Stop();
        }
    }

    [TestMethod]
    public void MessageLargerThanTheReceiveBufferIsReportedAndTheSessionGoesOn()
    {
        using var broker = Mosquitto.Start();
        using var peer = Peer.Connect(broker.Port, "peer");
        var channel = new TcpChannel();
        var client = new MqttClient(channel, new HostClock(), Settings());
        var inbox = new Inbox();
        client.MessageReceived = inbox.Take;
        int oversize = 0;
        int payloadSize = 0;
        string oversizeTopic = "";
        string prefix = "";
        client.OversizeReceived = (m, size) =>
        {
            oversize = size;
            payloadSize = m.PayloadSize;
            oversizeTopic = Encoding.UTF8.GetString(m.Buffer, m.TopicOffset, m.TopicCount);
            prefix = Encoding.ASCII.GetString(m.Buffer, m.PayloadOffset, m.PayloadCount);
        };
        int granted = -1;
        client.SubscribeAcknowledged = (id, code) => granted = code;
        Assert.AreEqual(MqttStatus.Ok, Open(client, channel, broker.Port, "dev-big"));
        client.Subscribe("big/#", 1);
        Assert.IsTrue(Pump(client, () => granted == 1));
        byte[] big = new byte[5000];
        big.AsSpan().Fill((byte)'u');
        Encoding.ASCII.GetBytes("{\"id\":\"7\",\"url\":\"").CopyTo(big, 0);
        peer.Publish("big/url", big, 1);
        peer.Publish("big/next", Encoding.UTF8.GetBytes("small"), 1);
        Assert.IsTrue(Pump(client, () => inbox.Items.Count >= 1));
        Assert.AreEqual("big/url", oversizeTopic);
        Assert.AreEqual(1 + 2 + 2 + 7 + 2 + 5000, oversize);
        Assert.AreEqual(5000, payloadSize);
        Assert.AreEqual(2048 - (oversize - 5000), prefix.Length, "the prefix that fit the 2048-byte buffer");
        StringAssert.StartsWith(prefix, "{\"id\":\"7\",\"url\":\"uuu");
        Assert.AreEqual("small", inbox.Items[0].Payload);
        Assert.IsTrue(client.IsConnected);
        client.Disconnect();
    }
}
