using CotaFirmware.Mqtt;

namespace CotaFirmware.Tests.Mqtt;

[TestClass]
public class MqttOversizeTests
{
    [TestMethod]
    public void MessageLargerThanTheBufferIsDrainedReportedAndTheStreamStaysInSync()
    {
        MqttRig rig = MqttRig.Connected();
        rig.Channel.MaxChunk = 100;
        int size = 0;
        int oversizeId = 0;
        bool topicSeen = false;
        int payloadSize = 0;
        int prefixCount = 0;
        bool prefixMatches = true;
        string received = "";
        byte[] payload = new byte[1000];
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)(i * 7);
        }

        rig.Client.OversizeReceived = (m, packetSize) =>
        {
            size = packetSize;
            oversizeId = m.PacketId;
            topicSeen = m.TopicEquals("big/one");
            payloadSize = m.PayloadSize;
            prefixCount = m.PayloadCount;
            for (int i = 0; i < m.PayloadCount; i++)
            {
                prefixMatches &= m.Buffer[m.PayloadOffset + i] == payload[i];
            }
        };
        rig.Client.MessageReceived = m => { received += (char)m.Buffer[m.PayloadOffset]; };
        byte[] big = MqttFrames.Publish("big/one", payload, 1, 9);
        rig.Channel.Queue(MqttFrames.Publish("s/a", MqttFrames.Ascii("A"), 0, 0));
        rig.Channel.Queue(big);
        rig.Channel.Queue(MqttFrames.Publish("s/b", MqttFrames.Ascii("B"), 1, 10));
        for (int i = 0; i < 50 && rig.Channel.Unread > 0; i++)
        {
            rig.Client.Yield(0);
        }

        Assert.AreEqual(big.Length, size);
        Assert.IsTrue(topicSeen);
        Assert.AreEqual(9, oversizeId);
        Assert.AreEqual(1000, payloadSize);
        Assert.AreEqual(256 - (big.Length - 1000), prefixCount, "the prefix fills the rest of the buffer");
        Assert.IsTrue(prefixMatches, "the prefix holds the payload's first bytes");
        Assert.AreEqual("AB", received);
        Assert.IsTrue(rig.Client.IsConnected);
        Assert.AreEqual(2, rig.Channel.CountWritten(MqttCodec.Puback), "the oversize QoS 1 message is still acked");
    }

    [TestMethod]
    public void AQos1MessageWhoseTopicOutgrowsTheBufferIsReportedWithoutAnIdAndNotAcked()
    {
        MqttRig rig = MqttRig.Connected();
        int reports = 0;
        int reportedId = -1;
        int reportedQos = -1;
        string received = "";
        rig.Client.OversizeReceived = (m, packetSize) =>
        {
            reports++;
            reportedId = m.PacketId;
            reportedQos = m.Qos;
        };
        rig.Client.MessageReceived = m => { received += (char)m.Buffer[m.PayloadOffset]; };
        char[] topic = new char[300];
        for (int i = 0; i < topic.Length; i++)
        {
            topic[i] = 't';
        }

        rig.Channel.Queue(MqttFrames.Publish(new string(topic), new byte[100], 1, 0x1234));
        rig.Channel.Queue(MqttFrames.Publish("s/b", MqttFrames.Ascii("B"), 0, 0));
        for (int i = 0; i < 50 && rig.Channel.Unread > 0; i++)
        {
            rig.Client.Yield(0);
        }

        Assert.AreEqual(1, reports);
        Assert.AreEqual(1, reportedQos);
        Assert.AreEqual(0, reportedId, "the id lies behind the topic, past the buffer");
        Assert.AreEqual(0, rig.Channel.CountWritten(MqttCodec.Puback), "no PUBACK for an id never read");
        Assert.AreEqual("B", received, "the stream stays in sync");
        Assert.IsTrue(rig.Client.IsConnected);
    }

    [TestMethod]
    public void MessageExactlyTheBufferSizeIsDelivered()
    {
        MqttRig rig = MqttRig.Connected();
        int delivered = 0;
        int oversize = 0;
        rig.Client.MessageReceived = m => { delivered = m.PayloadCount; };
        rig.Client.OversizeReceived = (m, n) => { oversize++; };
        int payload = 256 - MqttCodec.PublishSize(1, 0, 0);
        payload -= MqttCodec.PublishSize(1, payload, 0) - 256;
        byte[] exact = MqttFrames.Publish("t", new byte[payload], 0, 0);
        Assert.AreEqual(256, exact.Length);
        rig.Channel.Queue(exact);
        rig.Channel.Queue(MqttFrames.Publish("t", new byte[payload + 1], 0, 0));
        for (int i = 0; i < 10 && rig.Channel.Unread > 0; i++)
        {
            rig.Client.Yield(0);
        }

        Assert.AreEqual(payload, delivered);
        Assert.AreEqual(1, oversize);
        Assert.IsTrue(rig.Client.IsConnected);
    }
}
