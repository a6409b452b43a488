using CotaFirmware.Crypto;

namespace CotaFirmware.Tests.Crypto;

[TestClass]
public class HexTests
{
    [TestMethod]
    public void EncodesInTheChosenCase()
    {
        byte[] data = new byte[] { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xCD, 0xef, 0xff };
        Assert.AreEqual("00017f80abcdefff", Hex.EncodeToString(data, 0, data.Length, false));
        Assert.AreEqual("00017F80ABCDEFFF", Hex.EncodeToString(data, 0, data.Length, true));
        Assert.AreEqual("80ABCD", Hex.EncodeToString(data, 3, 3, true));
        Assert.AreEqual("", Hex.EncodeToString(data, 2, 0, false));
    }

    [TestMethod]
    public void RoundTripsEveryByteInBothCases()
    {
        byte[] data = TestBytes.Sequence(0, 256);
        byte[] back = new byte[256];
        Assert.AreEqual(256, Hex.Decode(TestBytes.Ascii(Hex.EncodeToString(data, 0, 256, false)), 0, 512, back, 0));
        Assert.IsTrue(ConstantTime.AreEqual(data, 0, 256, back, 0, 256));

        back = new byte[256];
        Assert.AreEqual(256, Hex.Decode(TestBytes.Ascii(Hex.EncodeToString(data, 0, 256, true)), 0, 512, back, 0));
        Assert.IsTrue(ConstantTime.AreEqual(data, 0, 256, back, 0, 256));
    }

    [TestMethod]
    public void DecodesMixedCaseIntoAView()
    {
        byte[] text = TestBytes.Ascii("xx0aFfC3yy");
        byte[] output = TestBytes.Repeat(0xEE, 5);
        Assert.AreEqual(3, Hex.Decode(text, 2, 6, output, 1));
        Assert.AreEqual((byte)0xEE, output[0]);
        Assert.AreEqual((byte)0x0A, output[1]);
        Assert.AreEqual((byte)0xFF, output[2]);
        Assert.AreEqual((byte)0xC3, output[3]);
        Assert.AreEqual((byte)0xEE, output[4]);
        Assert.AreEqual(0, Hex.Decode(text, 2, 0, output, 5));
    }

    [TestMethod]
    public void RefusesAnOddLength()
    {
        Assert.AreEqual(-1, Hex.Decode(TestBytes.Ascii("abc"), 0, 3, new byte[8], 0));
    }

    [TestMethod]
    public void RefusesEveryCharacterThatIsNotADigit()
    {
        byte[] output = new byte[2];
        byte[] text = TestBytes.Ascii("00");
        for (int c = 0; c < 256; c++)
        {
            bool digit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            text[1] = (byte)c;
            Assert.AreEqual(digit ? 1 : -1, Hex.Decode(text, 0, 2, output, 0), "low digit " + c);
            text[1] = (byte)'0';
            text[0] = (byte)c;
            Assert.AreEqual(digit ? 1 : -1, Hex.Decode(text, 0, 2, output, 0), "high digit " + c);
            text[0] = (byte)'0';
        }
    }

    [TestMethod]
    public void RefusesADestinationTooShort()
    {
        byte[] output = new byte[2];
        Assert.AreEqual(-1, Hex.Decode(TestBytes.Ascii("010203"), 0, 6, output, 0));
        Assert.AreEqual(-1, Hex.Decode(TestBytes.Ascii("0102"), 0, 4, output, 1));
        Assert.AreEqual(2, Hex.Decode(TestBytes.Ascii("0102"), 0, 4, output, 0));
    }

    [TestMethod]
    public void RejectsViewsOutsideTheBuffer()
    {
        byte[] data = new byte[4];
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => Hex.EncodeToString(data, 2, 3, false));
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => Hex.Decode(data, 2, 4, data, 0));
        Expect.Throws(typeof(ArgumentNullException), () => Hex.Decode(null, 0, 0, data, 0));
    }
}
