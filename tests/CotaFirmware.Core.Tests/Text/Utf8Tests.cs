using CotaFirmware.Text;

namespace CotaFirmware.Tests.Text;

[TestClass]
public class Utf8Tests
{
    // One char of each UTF-8 length, then outside the Basic Multilingual Plane: an emoji and a rare CJK ideograph.
    private const string Mixed = "a\u00e9\u4e2d\ud83d\ude00\ud840\udc00";
    private const string MixedHex = "61C3A9E4B8ADF09F9880F0A08080";

    // Well-formed when the sequences measured from the start end exactly at the end.
    private static bool WellFormed(params byte[] b)
    {
        int i = 0;
        while (i < b.Length)
        {
            int n = Utf8.SequenceLength(b, i, b.Length);
            if (n <= 0)
            {
                return false;
            }

            i += n;
        }

        return true;
    }

    [TestMethod]
    public void EncodesEveryLengthIncludingCharactersOutsideTheBmp()
    {
        byte[] b = Utf8.GetBytes(Mixed);
        Assert.AreEqual(MixedHex, Ascii.Hex(b, 0, b.Length));
        char[] chars = Mixed.ToCharArray();
        Assert.AreEqual(b.Length, Utf8.ByteCount(chars, 0, chars.Length));
        Assert.AreEqual(4, Utf8.ByteCount(chars, 3, 2), "a surrogate pair is one four-byte sequence");

        byte[] into = new byte[20];
        Assert.AreEqual(b.Length, Utf8.Encode(Mixed, into, 3));
        Assert.AreEqual(MixedHex, Ascii.Hex(into, 3, b.Length));
    }

    [TestMethod]
    public void RoundTripsTextOutsideTheBmp()
    {
        byte[] b = Utf8.GetBytes(Mixed);
        Assert.AreEqual(Mixed, Utf8.GetString(b, 0, b.Length));
        Assert.IsTrue(WellFormed(b));
        Assert.IsTrue(Utf8.TextEquals(Mixed, b, 0, b.Length));
        Assert.IsFalse(Utf8.TextEquals("a\u00e9\u4e2d\ud83d\ude00", b, 0, b.Length), "a prefix");
        Assert.IsFalse(Utf8.TextEquals(Mixed + "x", b, 0, b.Length), "longer");
        Assert.IsFalse(Utf8.TextEquals("a\u00e9\u4e2d\ud83d\ude01\ud840\udc00", b, 0, b.Length), "another emoji");
        Assert.AreEqual("", Utf8.GetString(b, 0, 0));
    }

    [TestMethod]
    public void RoundTripsLongText()
    {
        char[] chars = new char[4000];
        for (int i = 0; i < chars.Length; i += 4)
        {
            chars[i] = 'x';
            chars[i + 1] = '\u00e9';
            chars[i + 2] = '\ud83d';
            chars[i + 3] = '\ude00';
        }

        string text = new string(chars);
        byte[] b = Utf8.GetBytes(text);
        Assert.AreEqual(1000 * (1 + 2 + 4), b.Length);
        Assert.AreEqual(text, Utf8.GetString(b, 0, b.Length));
    }

    [TestMethod]
    public void EncodesALoneSurrogateAsTheReplacementCharacter()
    {
        // The device makes U+FFFD of a lone surrogate when it creates a string; .NET keeps it, and the codec
        // encodes it as U+FFFD, so both send the same bytes.
        char[] lone = new char[] { 'x', '\udc00', '\ud800', 'y', '\ud83d' };
        byte[] b = new byte[16];
        Assert.AreEqual(1 + 3 + 3 + 1 + 3, Utf8.ByteCount(lone, 0, lone.Length));
        Assert.AreEqual(11, Utf8.Encode(lone, 0, lone.Length, b, 0));
        Assert.AreEqual("78EFBFBDEFBFBD79EFBFBD", Ascii.Hex(b, 0, 11));
    }

    [TestMethod]
    public void ReportsWhenTheBufferIsTooSmall()
    {
        byte[] b = new byte[9];
        Assert.AreEqual(-1, Utf8.Encode(Mixed, b, 0));
        Assert.AreEqual(-1, Utf8.Encode("abc", b, 7));
        Assert.AreEqual(2, Utf8.Encode("ab", b, 7));
        Assert.AreEqual(-1, Utf8.Encode("\u00e9", b, 8));
    }

    [TestMethod]
    public void DecodesEachMalformedByteToTheReplacementCharacterWithoutThrowing()
    {
        Assert.AreEqual("a\ufffdb", Utf8.GetString(new byte[] { 0x61, 0xFF, 0x62 }, 0, 3));
        Assert.AreEqual("\ufffd\ufffd", Utf8.GetString(new byte[] { 0xC0, 0x80 }, 0, 2), "overlong");
        Assert.AreEqual("\ufffd\ufffd\ufffd", Utf8.GetString(new byte[] { 0xED, 0xA0, 0x80 }, 0, 3), "encoded surrogate");
        Assert.AreEqual("\ufffd", Utf8.GetString(new byte[] { 0xE2, 0x82 }, 0, 1), "cut by the view");
        Assert.AreEqual("\ufffd\ufffd", Utf8.GetString(new byte[] { 0xE2, 0x82 }, 0, 2), "truncated");
        Assert.AreEqual("\ufffd\ufffd\ufffd\ufffd", Utf8.GetString(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, 0, 4), "above U+10FFFF");
        Assert.AreEqual("\ufffd", Utf8.GetString(new byte[] { 0x80 }, 0, 1), "stray continuation");
    }

    [TestMethod]
    public void TellsWellFormedBytesFromTheRest()
    {
        Assert.IsTrue(WellFormed((byte)'a', 0x00, (byte)'/'));
        for (int i = 0; i < Utf8Sequences.WellFormed.Length; i++)
        {
            Assert.IsTrue(WellFormed(Utf8Sequences.WellFormed[i]), "well-formed " + i.ToString());
        }

        for (int i = 0; i < Utf8Sequences.Malformed.Length; i++)
        {
            Assert.IsFalse(WellFormed(Utf8Sequences.Malformed[i]), Utf8Sequences.MalformedNames[i]);
        }
    }

    [TestMethod]
    public void MeasuresASequenceOrSaysItContinuesPastTheEnd()
    {
        byte[] b = { 0xF0, 0x9F, 0x98, 0x80, 0xC3 };
        Assert.AreEqual(4, Utf8.SequenceLength(b, 0, 4));
        Assert.AreEqual(-1, Utf8.SequenceLength(b, 0, 3), "the first three bytes of four");
        Assert.AreEqual(-1, Utf8.SequenceLength(b, 4, 5), "a lead byte at the end");
        Assert.AreEqual(0, Utf8.SequenceLength(b, 1, 4), "a continuation byte");
        Assert.AreEqual(1, Utf8.SequenceLength(new byte[] { 0x41 }, 0, 1));
        Assert.AreEqual(0, Utf8.SequenceLength(new byte[] { 0xE0, 0x9F }, 0, 2), "an overlong start is refused at once");
    }

    [TestMethod]
    public void EncodesCodePointsOfEveryLength()
    {
        byte[] b = new byte[10];
        int n = Utf8.EncodeCodePoint(0x41, b, 0);
        n += Utf8.EncodeCodePoint(0xE9, b, n);
        n += Utf8.EncodeCodePoint(0x4E2D, b, n);
        n += Utf8.EncodeCodePoint(0x1F600, b, n);
        Assert.AreEqual("41C3A9E4B8ADF09F9880", Ascii.Hex(b, 0, n));
    }
}
