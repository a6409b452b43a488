using CotaFirmware.Mqtt;
using CotaFirmware.Text;
using CotaFirmware.Tests.Text;

namespace CotaFirmware.Tests.Mqtt;

[TestClass]
public class MqttStringTests
{
    // An emoji and a rare CJK ideograph: both outside the Basic Multilingual Plane, so surrogate pairs in a string.
    private const string Topic = "dev/\ud83d\ude00/\ud840\udc00";
    private const string TopicHex = "6465762FF09F98802FF0A08080";

    private static bool Valid(params byte[] b) => MqttCodec.IsValidString(b, 0, b.Length);

    [TestMethod]
    public void AcceptsWellFormedSequencesOfEveryLength()
    {
        Assert.IsTrue(Valid((byte)'a', (byte)'/', (byte)'b'));
        for (int i = 0; i < Utf8Sequences.WellFormed.Length; i++)
        {
            Assert.IsTrue(Valid(Utf8Sequences.WellFormed[i]), "well-formed " + i.ToString());
        }
    }

    // U+0000 is checked on bytes: on the device a string ends at its first U+0000, so no string can hold one.
    [TestMethod]
    public void RejectsWhatMqttForbids()
    {
        Assert.IsFalse(Valid(0x00), "U+0000");
        Assert.IsFalse(Valid((byte)'a', 0x00), "U+0000 after text");
        for (int i = 0; i < Utf8Sequences.Malformed.Length; i++)
        {
            Assert.IsFalse(Valid(Utf8Sequences.Malformed[i]), Utf8Sequences.MalformedNames[i]);
        }
    }

    // Long topics are scanned 8 bytes per step: a forbidden byte must be found at every position, in a whole word,
    // in the tail after the last word, and just after a word boundary.
    [TestMethod]
    public void TopicNameRejectsAForbiddenByteAtEveryPosition()
    {
        byte[] bad = { (byte)'+', (byte)'#', 0x00, 0x80, 0xFF, 0xC0 };
        for (int length = 1; length <= 27; length++)
        {
            byte[] topic = new byte[length + 3];
            for (int k = 0; k < topic.Length; k++)
            {
                topic[k] = (byte)('a' + (k % 26));
            }

            Assert.IsTrue(MqttCodec.IsTopicName(topic, 3, length), "plain, length " + length.ToString());
            for (int at = 0; at < length; at++)
            {
                for (int b = 0; b < bad.Length; b++)
                {
                    byte kept = topic[3 + at];
                    topic[3 + at] = bad[b];
                    Assert.IsFalse(MqttCodec.IsTopicName(topic, 3, length), "byte " + bad[b].ToString() + " at " + at.ToString() + " of " + length.ToString());
                    topic[3 + at] = kept;
                }
            }
        }

        Assert.IsFalse(MqttCodec.IsTopicName(new byte[] { (byte)'a' }, 0, 0), "empty");
    }

    [TestMethod]
    public void TopicNameAcceptsMultiByteCharactersAtEveryPosition()
    {
        byte[] emoji = { 0xF0, 0x9F, 0x98, 0x80 };
        for (int at = 0; at <= 20; at++)
        {
            byte[] topic = new byte[24];
            for (int k = 0; k < topic.Length; k++)
            {
                topic[k] = (byte)'/';
            }

            System.Array.Copy(emoji, 0, topic, at, 4);
            Assert.IsTrue(MqttCodec.IsTopicName(topic, 0, topic.Length), "emoji at " + at.ToString());
            topic[at + 3] = (byte)'+';
            Assert.IsFalse(MqttCodec.IsTopicName(topic, 0, topic.Length), "cut emoji at " + at.ToString());
        }
    }

    [TestMethod]
    public void PublishesATopicOutsideTheBmpAsUtf8()
    {
        MqttRig rig = MqttRig.Connected();
        Expect.Status(MqttStatus.Ok, rig.Client.Publish(Topic, new byte[] { 1 }, 0, 1, 0, false));
        int body;
        int length;
        Assert.AreEqual(0x30, rig.Channel.NextWritten(out body, out length));
        byte[] w = rig.Channel.Written;
        Assert.AreEqual(13, (w[body] << 8) | w[body + 1]);
        Assert.AreEqual(TopicHex, Ascii.Hex(w, body + 2, 13));
    }

    [TestMethod]
    public void ReceivesATopicOutsideTheBmp()
    {
        MqttRig rig = MqttRig.Connected();
        string seen = null;
        bool equal = false;
        rig.Client.MessageReceived = m =>
        {
            seen = Utf8.GetString(m.Buffer, m.TopicOffset, m.TopicCount);
            equal = m.TopicEquals(Topic);
        };
        rig.Channel.Queue(MqttFrames.Publish(Topic, new byte[] { 7 }, 0, 0));
        rig.Client.Yield(0);
        Assert.AreEqual(Topic, seen);
        Assert.IsTrue(equal);
    }

    [TestMethod]
    public void ConnectsAndSubscribesWithStringsOutsideTheBmp()
    {
        MqttRig rig = new MqttRig();
        rig.Channel.Queue(MqttFrames.Connack(0));
        rig.Channel.Connect("broker.test", 1883, false, 1000);
        Expect.Status(MqttStatus.Ok, rig.Client.Connect(MqttFrames.Info("dev1", "\ud83d\ude00", "secret", 60), 10000));
        int body;
        int length;
        Assert.AreEqual(0x10, rig.Channel.NextWritten(out body, out length));
        byte[] w = rig.Channel.Written;

        // After the 10-byte variable header and the client id "dev1" (2 + 4 bytes) comes the user name.
        Assert.AreEqual(4, (w[body + 16] << 8) | w[body + 17]);
        Assert.AreEqual("F09F9880", Ascii.Hex(w, body + 18, 4));

        Expect.Status(MqttStatus.Ok, rig.Client.Subscribe(Topic + "/#", 1));
        Assert.AreEqual(0x82, rig.Channel.NextWritten(out body, out length));
        w = rig.Channel.Written;
        Assert.AreEqual(15, (w[body + 2] << 8) | w[body + 3]);
        Assert.AreEqual(TopicHex + "2F23", Ascii.Hex(w, body + 4, 15));
    }
}
