#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Platform;

[TestClass]
public class Utf8TextTests
{
    private static string RoundTrip(string text)
    {
        byte[] b = new byte[64];
        int n = Utf8Text.Encode(text, b, 2, 60);
        Assert.IsTrue(n >= 0);
        return Utf8Text.Decode(b, 2, n);
    }

    [TestMethod]
    public void EveryEncodedLengthRoundTrips()
    {
        Assert.AreEqual("/sys/a1B2/dev-1/thing/config/push", RoundTrip("/sys/a1B2/dev-1/thing/config/push"));
        Assert.AreEqual("Caf\u00e9 \u2615 \ud83d\ude00", RoundTrip("Caf\u00e9 \u2615 \ud83d\ude00"));
        Assert.AreEqual("", RoundTrip(""));
    }

    [TestMethod]
    public void EncodingGivesTheStandardBytes()
    {
        byte[] b = new byte[8];
        Assert.AreEqual(4, Utf8Text.Encode("\ud83d\ude00", b, 0, 8));
        Assert.AreEqual((byte)0xF0, b[0]);
        Assert.AreEqual((byte)0x9F, b[1]);
        Assert.AreEqual((byte)0x98, b[2]);
        Assert.AreEqual((byte)0x80, b[3]);
        Assert.AreEqual(3, Utf8Text.Encode("\u20ac", b, 0, 8));
        Assert.AreEqual((byte)0xE2, b[0]);
        Assert.AreEqual((byte)0x82, b[1]);
        Assert.AreEqual((byte)0xAC, b[2]);
    }

    [TestMethod]
    public void EncodingRefusesWhatDoesNotFitOrIsNotText()
    {
        byte[] b = new byte[4];
        Assert.AreEqual(-1, Utf8Text.Encode(null, b, 0, 4));
        Assert.AreEqual(-1, Utf8Text.Encode("abcde", b, 0, 4));
        Assert.AreEqual(-1, Utf8Text.Encode("a\u00e9\u00e9", b, 0, 4));
        Assert.AreEqual(-1, Utf8Text.Encode("\ud83d", b, 0, 4));
        Assert.AreEqual(-1, Utf8Text.Encode("\ude00x", b, 0, 4));
        Assert.AreEqual(-1, Utf8Text.Encode("\ud83dx", b, 0, 4));
        Assert.AreEqual(4, Utf8Text.Encode("abcd", b, 0, 4));
    }

    [TestMethod]
    public void MalformedBytesBecomeQuestionMarksWithoutThrowing()
    {
        Assert.AreEqual("a?b", Utf8Text.Decode(new byte[] { 0x61, 0xFF, 0x62 }, 0, 3));
        Assert.AreEqual("??", Utf8Text.Decode(new byte[] { 0xC0, 0x80 }, 0, 2));
        Assert.AreEqual("???", Utf8Text.Decode(new byte[] { 0xED, 0xA0, 0x80 }, 0, 3));
        Assert.AreEqual("?", Utf8Text.Decode(new byte[] { 0xE2, 0x82 }, 0, 1));
        Assert.AreEqual("??", Utf8Text.Decode(new byte[] { 0xE2, 0x82 }, 0, 2));
        Assert.AreEqual("????", Utf8Text.Decode(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, 0, 4));
        Assert.AreEqual("?", Utf8Text.Decode(new byte[] { 0x80 }, 0, 1));
    }
}
