using CotaFirmware.Mqtt;

namespace CotaFirmware.Tests.Mqtt;

[TestClass]
public class MqttMalformedFrameTests
{
    private static void AssertEndsWith(MqttStatus expected, byte[] frame)
    {
        MqttRig rig = MqttRig.Connected();
        int calls = 0;
        rig.Client.MessageReceived = m => { calls++; };
        rig.Channel.Queue(frame);
        MqttStatus seen = rig.Client.Yield(0);
        Assert.IsFalse(rig.Client.IsConnected);
        Assert.AreEqual(0, rig.Channel.Closes, "the channel is its owner's to close");
        Expect.Status(expected, seen);
        Expect.Status(expected, rig.Client.LastReason);
        Assert.AreEqual(0, calls);
    }

    [TestMethod]
    public void RemainingLengthOfFiveBytes() =>
        AssertEndsWith(MqttStatus.MalformedRemainingLength, new byte[] { 0x30, 0x80, 0x80, 0x80, 0x80, 0x01 });

    [TestMethod]
    public void ReservedPacketTypes()
    {
        AssertEndsWith(MqttStatus.MalformedPacketType, new byte[] { 0x00, 0 });
        AssertEndsWith(MqttStatus.MalformedPacketType, new byte[] { 0xF0, 0 });
        AssertEndsWith(MqttStatus.MalformedPacketType, new byte[] { 0x82, 0 });
    }

    [TestMethod]
    public void ReservedFlags()
    {
        AssertEndsWith(MqttStatus.MalformedFlags, new byte[] { 0x41, 2, 0, 1 });
        AssertEndsWith(MqttStatus.MalformedFlags, new byte[] { 0x36, 5, 0, 1, (byte)'t', 0, 1 });
        AssertEndsWith(MqttStatus.MalformedFlags, new byte[] { 0xD1, 0 });
    }

    [TestMethod]
    public void TopicLengthRunningPastThePacket()
    {
        AssertEndsWith(MqttStatus.MalformedLength, new byte[] { 0x30, 4, 0, 9, (byte)'a', (byte)'b' });
        AssertEndsWith(MqttStatus.MalformedLength, new byte[] { 0x32, 4, 0, 2, (byte)'a', (byte)'b' }, "no room for the packet id");
        AssertEndsWith(MqttStatus.MalformedLength, new byte[] { 0x30, 1, 0 });
    }

    private static void AssertEndsWith(MqttStatus expected, byte[] frame, string why) => AssertEndsWith(expected, frame);

    [TestMethod]
    public void PacketIdZeroOnQos1()
    {
        AssertEndsWith(MqttStatus.MalformedPacketId, new byte[] { 0x32, 5, 0, 1, (byte)'t', 0, 0 });
        AssertEndsWith(MqttStatus.MalformedPacketId, new byte[] { 0x40, 2, 0, 0 });
        AssertEndsWith(MqttStatus.MalformedPacketId, new byte[] { 0x90, 3, 0, 0, 0 });
    }

    [TestMethod]
    public void TopicThatIsNotValidUtf8OrHasWildcards()
    {
        AssertEndsWith(MqttStatus.MalformedTopic, new byte[] { 0x30, 4, 0, 2, 0xC0, 0x80 });
        AssertEndsWith(MqttStatus.MalformedTopic, new byte[] { 0x30, 4, 0, 2, (byte)'a', 0x00 });
        AssertEndsWith(MqttStatus.MalformedTopic, new byte[] { 0x30, 4, 0, 2, (byte)'a', (byte)'#' });
        AssertEndsWith(MqttStatus.MalformedTopic, new byte[] { 0x30, 3, 0, 0, 1 });
    }

    [TestMethod]
    public void WrongSizesAndFields()
    {
        AssertEndsWith(MqttStatus.MalformedLength, new byte[] { 0x40, 3, 0, 1, 0 });
        AssertEndsWith(MqttStatus.MalformedLength, new byte[] { 0xD0, 1, 0 });
        AssertEndsWith(MqttStatus.MalformedField, new byte[] { 0x90, 3, 0, 1, 3 });
        AssertEndsWith(MqttStatus.ProtocolViolation, new byte[] { 0x20, 2, 0, 0 });
        AssertEndsWith(MqttStatus.ProtocolViolation, new byte[] { 0x34, 5, 0, 1, (byte)'t', 0, 1 });
        AssertEndsWith(MqttStatus.ProtocolViolation, new byte[] { 0x62, 2, 0, 1 });
    }

    [TestMethod]
    public void MalformedConnackIsRefused()
    {
        MqttRig rig = new MqttRig();
        rig.Channel.Queue(new byte[] { 0x20, 2, 2, 0 });
        Expect.Status(MqttStatus.MalformedField, MqttFrames.Connect(rig.Client, rig.Channel));
        MqttRig second = new MqttRig();
        second.Channel.Queue(new byte[] { 0x30, 3, 0, 1, (byte)'t' });
        Expect.Status(MqttStatus.ProtocolViolation, MqttFrames.Connect(second.Client, second.Channel), "a PUBLISH before CONNACK");
    }
}
