using CotaFirmware.Mqtt;

namespace CotaFirmware.Tests.Mqtt;

[TestClass]
public class MqttCodecTests
{
    private static void AssertRemainingLength(int value, byte[] expected)
    {
        byte[] b = new byte[6];
        b[0] = 0x30;
        Assert.AreEqual(expected.Length, MqttCodec.RemainingLengthSize(value));
        Assert.AreEqual(expected.Length, MqttCodec.WriteRemainingLength(b, 1, value));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], b[1 + i]);
        }

        int decoded;
        Assert.AreEqual(1 + expected.Length, MqttCodec.ReadFixedHeader(b, 0, 1 + expected.Length, out decoded));
        Assert.AreEqual(value, decoded);
        Assert.AreEqual(0, MqttCodec.ReadFixedHeader(b, 0, expected.Length, out decoded), "truncated asks for more");
    }

    [TestMethod]
    public void RemainingLengthEncodesEveryBoundaryOfTheSpecTable()
    {
        AssertRemainingLength(0, new byte[] { 0x00 });
        AssertRemainingLength(127, new byte[] { 0x7F });
        AssertRemainingLength(128, new byte[] { 0x80, 0x01 });
        AssertRemainingLength(16383, new byte[] { 0xFF, 0x7F });
        AssertRemainingLength(16384, new byte[] { 0x80, 0x80, 0x01 });
        AssertRemainingLength(2097151, new byte[] { 0xFF, 0xFF, 0x7F });
        AssertRemainingLength(2097152, new byte[] { 0x80, 0x80, 0x80, 0x01 });
        AssertRemainingLength(268435455, new byte[] { 0xFF, 0xFF, 0xFF, 0x7F });
    }

    [TestMethod]
    public void RemainingLengthOfFiveBytesIsMalformed()
    {
        int v;
        Assert.AreEqual(-1, MqttCodec.ReadFixedHeader(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, 0, 6, out v));
        Assert.AreEqual(-1, MqttCodec.ReadFixedHeader(new byte[] { 0x30, 0x80, 0x80, 0x80, 0x80 }, 0, 5, out v));
    }

    [TestMethod]
    public void ConnectMatchesTheSpecLayout()
    {
        byte[] b = new byte[64];
        MqttConnectInfo info = MqttFrames.Info("c1", "u", "pw", 300);
        int n = MqttCodec.WriteConnect(b, 0, info);
        byte[] expected = { 0x10, 21, 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0xC2, 0x01, 0x2C,
            0, 2, (byte)'c', (byte)'1', 0, 1, (byte)'u', 0, 2, (byte)'p', (byte)'w' };
        AssertBytes(expected, b, n);

        info = MqttFrames.Info("c1", null, null, 30);
        info.CleanSession = false;
        n = MqttCodec.WriteConnect(b, 0, info);
        Assert.AreEqual(16, n);
        Assert.AreEqual((byte)0x00, b[9], "no user, no password, persistent session");
        Assert.AreEqual(-1, MqttCodec.WriteConnect(new byte[15], 0, info));
        // A lone surrogate becomes U+FFFD, as the device makes it when it creates the string.
        info.ClientId = "c\uD800";
        Assert.AreEqual(18, MqttCodec.WriteConnect(b, 0, info));
        Assert.AreEqual(4, (b[12] << 8) | b[13]);
        Assert.AreEqual((byte)0xEF, b[15]);
        Assert.AreEqual((byte)0xBD, b[17]);
    }

    [TestMethod]
    public void PublishQos0AndQos1MatchTheSpecLayout()
    {
        byte[] b = new byte[32];
        byte[] payload = { 1, 2, 3 };
        int n = MqttCodec.WritePublish(b, 0, "a/b", payload, 0, 3, 0, true, false, 0);
        AssertBytes(new byte[] { 0x31, 8, 0, 3, (byte)'a', (byte)'/', (byte)'b', 1, 2, 3 }, b, n);

        byte[] topic = MqttFrames.Ascii("xa/by");
        n = MqttCodec.WritePublish(b, 0, topic, 1, 3, payload, 1, 2, 1, false, true, 0x1234);
        AssertBytes(new byte[] { 0x3A, 9, 0, 3, (byte)'a', (byte)'/', (byte)'b', 0x12, 0x34, 2, 3 }, b, n);
        Assert.AreEqual(n, MqttCodec.PublishSize(3, 2, 1));
        Assert.AreEqual(-1, MqttCodec.WritePublish(new byte[10], 0, topic, 1, 3, payload, 1, 2, 1, false, true, 1));
    }

    [TestMethod]
    public void PublishOf200BytesUsesATwoByteRemainingLength()
    {
        byte[] payload = new byte[200];
        byte[] b = new byte[300];
        int n = MqttCodec.WritePublish(b, 0, "t", payload, 0, 200, 0, false, false, 0);
        Assert.AreEqual(1 + 2 + 3 + 200, n);
        int v;
        Assert.AreEqual(3, MqttCodec.ReadFixedHeader(b, 0, 3, out v));
        Assert.AreEqual(203, v);
    }

    [TestMethod]
    public void SubscribeAckPingAndDisconnectMatchTheSpecLayout()
    {
        byte[] b = new byte[32];
        AssertBytes(new byte[] { 0x82, 8, 0, 10, 0, 3, (byte)'a', (byte)'/', (byte)'#', 1 }, b, MqttCodec.WriteSubscribe(b, 0, 10, "a/#", 1));
        Assert.AreEqual(-1, MqttCodec.WriteSubscribe(b, 0, 10, "", 1), "an empty filter");
        Assert.AreEqual(-1, MqttCodec.WriteSubscribe(new byte[9], 0, 10, "a/#", 1), "does not fit");
        AssertBytes(new byte[] { 0x40, 2, 0x01, 0x02 }, b, MqttCodec.WriteAck(b, 0, MqttCodec.Puback, 0x0102));
        AssertBytes(new byte[] { 0xC0, 0 }, b, MqttCodec.WriteEmpty(b, 0, MqttCodec.Pingreq));
        AssertBytes(new byte[] { 0xE0, 0 }, b, MqttCodec.WriteEmpty(b, 0, MqttCodec.Disconnect));
    }

    [TestMethod]
    public void ServerHeaderRulesRejectReservedTypesAndFlags()
    {
        Expect.Status(MqttStatus.MalformedPacketType, MqttCodec.CheckServerHeader(0x00));
        Expect.Status(MqttStatus.MalformedPacketType, MqttCodec.CheckServerHeader(0xF0));
        Expect.Status(MqttStatus.MalformedPacketType, MqttCodec.CheckServerHeader(0x10), "CONNECT from a broker");
        Expect.Status(MqttStatus.MalformedFlags, MqttCodec.CheckServerHeader(0x41), "PUBACK with flags");
        Expect.Status(MqttStatus.MalformedFlags, MqttCodec.CheckServerHeader(0x36), "PUBLISH QoS 3");
        Expect.Status(MqttStatus.MalformedFlags, MqttCodec.CheckServerHeader(0x38), "PUBLISH QoS 0 with DUP");
        Expect.Status(MqttStatus.MalformedFlags, MqttCodec.CheckServerHeader(0x60), "PUBREL without its 0010 flags");
        Expect.Status(MqttStatus.Ok, MqttCodec.CheckServerHeader(0x62));
        Expect.Status(MqttStatus.Ok, MqttCodec.CheckServerHeader(0x3B));
        Expect.Status(MqttStatus.Ok, MqttCodec.CheckServerHeader(0xD0));
    }

    private static void AssertBytes(byte[] expected, byte[] actual, int count)
    {
        Assert.AreEqual(expected.Length, count, "length");
        for (int i = 0; i < count; i++)
        {
            Assert.AreEqual(expected[i], actual[i], "byte " + i);
        }
    }
}
