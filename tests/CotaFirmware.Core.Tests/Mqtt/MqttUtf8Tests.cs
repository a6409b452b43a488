#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using CotaFirmware.Mqtt;

namespace CotaFirmware.Tests.Mqtt;

[TestClass]
public class MqttUtf8Tests
{
    static bool Valid(params byte[] b) => MqttUtf8.IsValid(b, 0, b.Length);

    [TestMethod]
    public void AcceptsWellFormedSequencesOfEveryLength()
    {
        Assert.IsTrue(Valid((byte)'a', (byte)'/', (byte)'b'));
        Assert.IsTrue(Valid(0xC3, 0xA9));                 // é
        Assert.IsTrue(Valid(0xE4, 0xB8, 0xAD));           // 中
        Assert.IsTrue(Valid(0xF0, 0x9F, 0x98, 0x80));     // U+1F600
        Assert.IsTrue(Valid(0xF4, 0x8F, 0xBF, 0xBF));     // U+10FFFF
        Assert.IsTrue(Valid());
    }

    [TestMethod]
    public void RejectsWhatMqttForbids()
    {
        Assert.IsFalse(Valid(0x00), "U+0000");
        Assert.IsFalse(Valid(0xC0, 0x80), "overlong NUL");
        Assert.IsFalse(Valid(0xE0, 0x80, 0xAF), "overlong 3-byte");
        Assert.IsFalse(Valid(0xF0, 0x80, 0x80, 0xAF), "overlong 4-byte");
        Assert.IsFalse(Valid(0xED, 0xA0, 0x80), "surrogate");
        Assert.IsFalse(Valid(0xF4, 0x90, 0x80, 0x80), "above U+10FFFF");
        Assert.IsFalse(Valid(0x80), "stray continuation");
        Assert.IsFalse(Valid(0xE4, 0xB8), "truncated");
        Assert.IsFalse(Valid(0xC3, 0x41), "bad continuation");
        Assert.IsFalse(Valid(0xFF));
    }

    [TestMethod]
    public void EncodesStringsIncludingSurrogatePairs()
    {
        string s = "a\u00e9\u4e2d\ud83d\ude00";
        byte[] b = MqttUtf8.GetBytes(s);
        Assert.AreEqual(1 + 2 + 3 + 4, b.Length);
        Assert.IsTrue(MqttUtf8.IsValid(b, 0, b.Length));
        Assert.AreEqual((byte)0xF0, b[6]);
        Assert.AreEqual((byte)0x9F, b[7]);
        Assert.IsTrue(MqttUtf8.TextEquals(s, b, 0, b.Length));
        Assert.IsFalse(MqttUtf8.TextEquals("a\u00e9\u4e2d", b, 0, b.Length));
        Assert.IsFalse(MqttUtf8.TextEquals(s + "x", b, 0, b.Length));
        Assert.AreEqual(-1, MqttUtf8.ByteCount("\ud83d"), "unpaired surrogate");
        Expect.Throws(typeof(System.ArgumentException), () => MqttUtf8.GetBytes("x\ude00"));
    }
}
