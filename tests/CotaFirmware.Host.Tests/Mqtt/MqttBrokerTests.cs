using System.Diagnostics;
using System.Text;
using CotaFirmware.Host.Board;
using CotaFirmware.Mqtt;
using CotaFirmware.Platform;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace CotaFirmware.HostTests.Mqtt;

/// <summary>The client against a real mosquitto on loopback, with MQTTnet as the other party.</summary>
[TestClass]
public sealed class MqttBrokerTests
{
    internal static MqttClientOptions Options(int port, string clientId) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        ClientId = clientId,
        KeepAliveSeconds = 30,
        ConnectTimeoutMs = 3000,
        PingTimeoutMs = 3000,
        ReconnectMinMs = 50,
        ReconnectMaxMs = 400,
    };

    internal static bool Pump(MqttClient client, Func<bool> until, int timeoutMs = 5000)
    {
        var sw = Stopwatch.StartNew();
        while (!until() && sw.ElapsedMilliseconds < timeoutMs)
        {
            client.Yield(20);
        }

        return until();
    }

    sealed class Inbox
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
        var client = new MqttClient(new TcpChannel(), new SystemClock(), Options(broker.Port, "dev-a"));
        var inbox = new Inbox();
        client.MessageReceived = inbox.Take;
        int granted = -1;
        client.SubscribeCompleted = (f, o, c, code) => granted = code;
        Assert.AreEqual(MqttStatus.Ok, client.Connect());
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
        var client = new MqttClient(new TcpChannel(), new SystemClock(), Options(broker.Port, "dev-r"));
        var inbox = new Inbox();
        client.MessageReceived = inbox.Take;
        Assert.AreEqual(MqttStatus.Ok, client.Connect());
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
        var clock = new ShiftableClock();
        var wire = new RecordingChannel(new TcpChannel());
        var client = new MqttClient(wire, clock, Options(broker.Port, "dev-ping"));
        Assert.AreEqual(MqttStatus.Ok, client.Connect());
        client.Yield(50);
        CollectionAssert.DoesNotContain(RecordingChannel.PacketTypes(wire.Written), 0xC0, "no ping before the keep-alive period");
        clock.Advance(30_000);
        Assert.IsTrue(Pump(client, () => RecordingChannel.PacketTypes(wire.ReadBytes).Contains(0xD0)), "PINGRESP read");
        CollectionAssert.Contains(RecordingChannel.PacketTypes(wire.Written), 0xC0, "PINGREQ written");
        Assert.IsTrue(client.IsConnected);
        Assert.IsTrue(SpinUntil(() => broker.Log.Contains("Received PINGREQ from dev-ping")), broker.Log);
        client.Disconnect();
    }

    [TestMethod]
    public void MissingPingrespDropsTheConnection()
    {
        // A listener that accepts and answers CONNACK, then stays silent: the ping goes unanswered.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var accept = Task.Run(() =>
        {
            using var s = listener.AcceptSocket();
            var buf = new byte[256];
            s.Receive(buf);
            s.Send(new byte[] { 0x20, 2, 0, 0 });
            Thread.Sleep(3000);
        });
        try
        {
            var clock = new ShiftableClock();
            var options = Options(port, "dev-silent");
            options.PingTimeoutMs = 200;
            var client = new MqttClient(new TcpChannel(), clock, options);
            Assert.AreEqual(MqttStatus.Ok, client.Connect());
            clock.Advance(30_000);
            Assert.IsTrue(Pump(client, () => !client.IsConnected, 2000));
            Assert.AreEqual(MqttStatus.PingTimeout, client.LastReason);
            client.Disconnect();
        }
        finally
        {
            listener.Stop();
        }
    }

    [TestMethod]
    public void AfterTheBrokerIsKilledTheClientReconnectsResubscribesAndDeliversItsQueue()
    {
        using var broker = Mosquitto.Start();
        var client = new MqttClient(new TcpChannel(), new SystemClock(), Options(broker.Port, "dev-k"));
        var inbox = new Inbox();
        client.MessageReceived = inbox.Take;
        var events = new List<string>();
        client.ConnectionChanged = (up, reason) => events.Add(up ? "up" : "down:" + reason);
        Assert.AreEqual(MqttStatus.Ok, client.Connect());
        client.Subscribe("down/cmd", 1);
        Assert.IsTrue(Pump(client, () => client.IsConnected && client.Yield(50) == MqttStatus.Ok));

        broker.Kill();
        Assert.IsTrue(Pump(client, () => !client.IsConnected), "the loss is noticed");
        for (int i = 0; i < 3; i++)
        {
            byte[] p = Encoding.UTF8.GetBytes("queued-" + i);
            Assert.AreEqual(MqttStatus.Ok, client.Publish("up/data", p, 0, p.Length, 1, false));
        }

        Assert.AreEqual(3, client.InFlightCount);
        client.Yield(100); // attempts against a dead port fail and back off
        Assert.IsFalse(client.IsConnected);

        broker.Restart();
        using var peer = Peer.Connect(broker.Port, "peer");
        peer.Subscribe("up/#", 1);
        Assert.IsTrue(Pump(client, () => client.IsConnected && client.InFlightCount == 0, 8000), string.Join(",", events));
        Assert.IsTrue(peer.WaitFor(3));
        CollectionAssert.AreEquivalent(new[] { "queued-0", "queued-1", "queued-2" },
            peer.Received.Select(r => Encoding.UTF8.GetString(r.Payload)).ToArray());

        // resubscribed: a command published after the restart reaches the client
        Thread.Sleep(100);
        client.Yield(100);
        peer.Publish("down/cmd", Encoding.UTF8.GetBytes("after-restart"), 1);
        Assert.IsTrue(Pump(client, () => inbox.Items.Count >= 1));
        Assert.AreEqual("after-restart", inbox.Items[0].Payload);
        Assert.AreEqual("up", events[0]);
        Assert.IsTrue(events[1].StartsWith("down:", StringComparison.Ordinal));
        Assert.AreEqual("up", events[^1]);
        client.Disconnect();
    }

    [TestMethod]
    public void MessageLargerThanTheReceiveBufferIsReportedAndTheSessionGoesOn()
    {
        using var broker = Mosquitto.Start();
        using var peer = Peer.Connect(broker.Port, "peer");
        var client = new MqttClient(new TcpChannel(), new SystemClock(), Options(broker.Port, "dev-big"));
        var inbox = new Inbox();
        client.MessageReceived = inbox.Take;
        int oversize = 0;
        string oversizeTopic = "";
        client.OversizeReceived = (m, size) =>
        {
            oversize = size;
            oversizeTopic = Encoding.UTF8.GetString(m.Buffer, m.TopicOffset, m.TopicCount);
        };
        Assert.AreEqual(MqttStatus.Ok, client.Connect());
        client.Subscribe("big/#", 1);
        Assert.IsTrue(Pump(client, () => client.Yield(50) == MqttStatus.Ok && client.SubscriptionCount == 1));
        Thread.Sleep(100);
        client.Yield(50);
        peer.Publish("big/url", new byte[5000], 1);
        peer.Publish("big/next", Encoding.UTF8.GetBytes("small"), 1);
        Assert.IsTrue(Pump(client, () => inbox.Items.Count >= 1));
        Assert.AreEqual("big/url", oversizeTopic);
        Assert.AreEqual(1 + 2 + 2 + 7 + 2 + 5000, oversize);
        Assert.AreEqual("small", inbox.Items[0].Payload);
        Assert.IsTrue(client.IsConnected);
        client.Disconnect();
    }

    [TestMethod]
    public void BackgroundDriverRunsTheSessionWhileAnotherThreadPublishes()
    {
        using var broker = Mosquitto.Start();
        var client = new MqttClient(new TcpChannel(), new SystemClock(), Options(broker.Port, "dev-bg"));
        int received = 0;
        client.MessageReceived = m => Interlocked.Increment(ref received);
        client.Subscribe("loop/#", 1);
        var driver = new MqttBackgroundDriver(client, 50);
        driver.Start();
        client.Start();
        try
        {
            Assert.IsTrue(SpinUntil(() => client.IsConnected));
            Thread.Sleep(200);
            byte[] p = Encoding.UTF8.GetBytes("x");
            for (int i = 0; i < 20; i++)
            {
                while (client.Publish("loop/t", p, 0, 1, 1, false) == MqttStatus.InFlightFull)
                {
                    Thread.Sleep(5);
                }
            }

            Assert.IsTrue(SpinUntil(() => Volatile.Read(ref received) >= 20 && client.InFlightCount == 0));
        }
        finally
        {
            driver.Stop();
        }

        Assert.IsNull(driver.LastHandlerException);
        client.Disconnect();
    }

    internal static bool SpinUntil(Func<bool> condition, int timeoutMs = 5000)
    {
        var sw = Stopwatch.StartNew();
        while (!condition() && sw.ElapsedMilliseconds < timeoutMs)
        {
            Thread.Sleep(10);
        }

        return condition();
    }
}
