#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using CotaFirmware.Text;

namespace CotaFirmware.Tests.Text;

[TestClass]
public class Utf8TextTests
{
    [TestMethod]
    public void DecodesEveryEncodedLength()
    {
        byte[] b = new byte[] { 0x00, 0x43, 0x61, 0x66, 0xC3, 0xA9, 0x20, 0xE2, 0x98, 0x95, 0x20, 0xF0, 0x9F, 0x98, 0x80, 0x00 };
        Assert.AreEqual("Caf\u00e9 \u2615 \ud83d\ude00", Utf8Text.Decode(b, 1, 14));
        Assert.AreEqual("", Utf8Text.Decode(b, 1, 0));
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
