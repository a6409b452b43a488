using CotaFirmware.Mqtt;
using CotaFirmware.Platform;
using CotaFirmware.Tests.Platform;
using CotaFirmware.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace CotaFirmware.HostTests.Mqtt;

/// <summary>Steady state allocates nothing: publishing to a topic kept as bytes (QoS 0 and 1 with its PUBACK) and receiving (QoS 0 and 1).</summary>
[TestClass]
public sealed class MqttAllocationTests
{
    /// <summary>Answers CONNECT with CONNACK; then serves whatever the test put in <see cref="Next"/>, once.</summary>
    private sealed class ScriptChannel : IByteChannel
    {
        public byte[] Next = { 0x20, 2, 0, 0 };
        public int NextCount = 4;

        public ChannelStatus Connect(string host, int port, bool tls, int timeoutMs) => ChannelStatus.Ok;

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            int n = NextCount;
            if (n == 0 || n > count)
            {
                return 0;
            }

            Buffer.BlockCopy(Next, 0, buffer, offset, n);
            NextCount = 0;
            return n;
        }

        public int Write(byte[] buffer, int offset, int count) => count;

        public void Close()
        {
        }
    }

    [TestMethod]
    public void PublishingAndReceivingAllocateNothing()
    {
        var channel = new ScriptChannel();
        var client = new MqttClient(channel, new ManualClock(5000, 0), new MqttClientSettings());
        int received = 0;
        client.MessageReceived = m => received += m.PayloadCount;
        Assert.AreEqual(MqttStatus.Ok, client.Connect("c", null, null, 60, true, 1000));
        byte[] payload = new byte[300];
        byte[] topic = Utf8.GetBytes("/sys/pk/dn/thing/event/property/post");
        byte[] q0 = new byte[400];
        int q0Count = MqttCodec.WritePublish(q0, 0, "/sys/pk/dn/thing/config/push", payload, 0, 300, 0, false, false, 0);
        byte[] q1 = new byte[400];
        int q1Count = MqttCodec.WritePublish(q1, 0, "/sys/pk/dn/thing/config/push", payload, 0, 300, 1, false, false, 42);
        byte[] puback = new byte[4];

        void Round()
        {
            client.Publish(topic, 0, topic.Length, payload, 0, 300, 0, false);
            client.Publish(topic, 0, topic.Length, payload, 0, 300, 1, false);
            MqttCodec.WriteAck(puback, 0, MqttCodec.Puback, client.LastPacketId);
            channel.Next = puback;
            channel.NextCount = 4;
            client.Yield(0);
            channel.Next = q0;
            channel.NextCount = q0Count;
            client.Yield(0);
            channel.Next = q1;
            channel.NextCount = q1Count;
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
