using CotaFirmware.Mqtt;
using CotaFirmware.Tests.Mqtt;
using CotaFirmware.Text;

namespace CotaFirmware.HostTests.Mqtt;

/// <summary>Steady state allocates nothing: publishing to a topic kept as bytes (QoS 0 and 1 with its PUBACK) and receiving (QoS 0 and 1).</summary>
[TestClass]
public sealed class MqttAllocationTests
{
    [TestMethod]
    public void PublishingAndReceivingAllocateNothing()
    {
        var clock = new ManualClock(5000, 0);
        var channel = new ScriptedChannel(clock);
        channel.Connect("broker.test", 1883, false, 1000);
        channel.Queue(new byte[] { 0x20, 2, 0, 0 });
        var client = new MqttClient(channel, clock, new MqttClientSettings());
        int received = 0;
        client.MessageReceived = m => received += m.PayloadCount;
        Assert.AreEqual(MqttStatus.Ok, client.Connect(new MqttConnectInfo { ClientId = "c", KeepAliveSeconds = 60, CleanSession = true }, 1000));
        byte[] payload = new byte[300];
        byte[] topic = Utf8.GetBytes("/sys/pk/dn/thing/event/property/post");
        byte[] q0 = new byte[400];
        int q0Count = MqttCodec.WritePublish(q0, 0, "/sys/pk/dn/thing/config/push", payload, 0, 300, 0, false, false, 0);
        byte[] q1 = new byte[400];
        int q1Count = MqttCodec.WritePublish(q1, 0, "/sys/pk/dn/thing/config/push", payload, 0, 300, 1, false, false, 42);
        byte[] puback = new byte[4];

        void Round()
        {
            channel.Clear();
            client.Publish(topic, 0, topic.Length, payload, 0, 300, 0, false);
            client.Publish(topic, 0, topic.Length, payload, 0, 300, 1, false);
            MqttCodec.WriteAck(puback, 0, MqttCodec.Puback, client.LastPacketId);
            channel.Queue(puback);
            client.Yield(0);
            channel.Queue(q0, 0, q0Count);
            client.Yield(0);
            channel.Queue(q1, 0, q1Count);
            client.Yield(0);
        }

        for (int i = 0; i < 100; i++)
        {
            Round(); // warm up: JIT and first-use work
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Round();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.AreEqual(0L, allocated, "bytes allocated by 1000 rounds");
        Assert.AreEqual(1100 * 600, received);
        Assert.AreEqual(0, client.InFlightCount);
        Assert.IsTrue(client.IsConnected);
    }
}
