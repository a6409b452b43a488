using CotaFirmware.Json;

namespace CotaFirmware.Tests.Json;

/// <summary>Every kind of bad input ends in its defined error at the right offset, in memory and streamed.</summary>
[TestClass]
public class JsonReaderErrorTests
{
    private static void AssertError(string text, JsonError error, int offset)
    {
        JsonReader r = JsonText.InMemory(text);
        Expect.Status(error, JsonText.ReadAll(r), "in memory: " + text + " -> " + r.DescribeError());
        Assert.AreEqual(offset, r.ErrorOffset, "offset in memory: " + text);
        Assert.IsFalse(r.Read());
        Expect.Status(error, r.Error, "the error stays");
        Expect.Status(JsonTokenKind.None, r.TokenKind);

        JsonReader s = JsonText.Streamed(text, 16, 1);
        Expect.Status(error, JsonText.ReadAll(s), "streamed: " + text + " -> " + s.DescribeError());
        Assert.AreEqual(offset, s.ErrorOffset, "offset streamed: " + text);
    }

    [TestMethod]
    public void StructureErrors()
    {
        AssertError("", JsonError.UnexpectedEnd, 0);
        AssertError("   ", JsonError.UnexpectedEnd, 3);
        AssertError("[1,", JsonError.UnexpectedEnd, 3);
        AssertError("{\"a\"", JsonError.UnexpectedEnd, 4);
        AssertError("[1,]", JsonError.UnexpectedCharacter, 3);
        AssertError("{\"a\":1,}", JsonError.UnexpectedCharacter, 7);
        AssertError("[1 2]", JsonError.UnexpectedCharacter, 3);
        AssertError("{\"a\" 1}", JsonError.UnexpectedCharacter, 5);
        AssertError("{1:1}", JsonError.UnexpectedCharacter, 1);
        AssertError("[}", JsonError.UnexpectedCharacter, 1);
        AssertError("{\"a\":1]", JsonError.UnexpectedCharacter, 6);
        AssertError("\u00ef\u00bb\u00bf{}", JsonError.UnexpectedCharacter, 0);
        AssertError("{} x", JsonError.TrailingData, 3);
        AssertError("[]]", JsonError.TrailingData, 2);
        AssertError("1 2", JsonError.TrailingData, 2);
        AssertError("[tru]", JsonError.InvalidLiteral, 1);
        AssertError("nul", JsonError.UnexpectedEnd, 3);
        AssertError("[True]", JsonError.UnexpectedCharacter, 1);
    }

    [TestMethod]
    public void NumberErrors()
    {
        AssertError("[01]", JsonError.LeadingZero, 1);
        AssertError("-012", JsonError.LeadingZero, 1);
        AssertError("[1.]", JsonError.InvalidNumber, 3);
        AssertError("[.5]", JsonError.UnexpectedCharacter, 1);
        AssertError("[1e]", JsonError.InvalidNumber, 3);
        AssertError("[1e+]", JsonError.InvalidNumber, 4);
        AssertError("[-]", JsonError.InvalidNumber, 2);
        AssertError("[+1]", JsonError.UnexpectedCharacter, 1);
        AssertError("[1x]", JsonError.InvalidNumber, 2);
        AssertError("[0x1]", JsonError.InvalidNumber, 2);
        AssertError("1.", JsonError.UnexpectedEnd, 2);
        AssertError("-", JsonError.UnexpectedEnd, 1);
    }

    [TestMethod]
    public void StringErrors()
    {
        AssertError("[\"a\u0001\"]", JsonError.ControlCharacter, 3);
        AssertError("[\"a\tb\"]", JsonError.ControlCharacter, 3);
        AssertError("[\"\\x\"]", JsonError.InvalidEscape, 2);
        AssertError("[\"\\u12G4\"]", JsonError.InvalidEscape, 2);
        AssertError("[\"\\uDC00\"]", JsonError.InvalidSurrogate, 2);
        AssertError("[\"\\uD800\"]", JsonError.InvalidSurrogate, 2);
        AssertError("[\"\\uD800\\n\"]", JsonError.InvalidSurrogate, 2);
        AssertError("[\"\\uD800\\u0041\"]", JsonError.InvalidSurrogate, 2);
        AssertError("[\"abc", JsonError.UnexpectedEnd, 5);
        AssertError("\"\\", JsonError.UnexpectedEnd, 2);
    }

    [TestMethod]
    public void Utf8Errors()
    {
        AssertError("\"\u00c0\u00af\"", JsonError.InvalidUtf8, 1);                // overlong '/'
        AssertError("\"\u00e0\u0080\u00af\"", JsonError.InvalidUtf8, 1);          // overlong, three bytes
        AssertError("\"\u00f0\u0080\u0080\u00af\"", JsonError.InvalidUtf8, 1);    // overlong, four bytes
        AssertError("\"\u00ed\u00a0\u0080\"", JsonError.InvalidUtf8, 1);          // U+D800 encoded
        AssertError("\"\u00f4\u0090\u0080\u0080\"", JsonError.InvalidUtf8, 1);    // U+110000
        AssertError("\"\u00f5\u0080\u0080\u0080\"", JsonError.InvalidUtf8, 1);
        AssertError("\"a\u00e2\u0082\"", JsonError.InvalidUtf8, 2);               // truncated
        AssertError("\"\u0080\"", JsonError.InvalidUtf8, 1);                      // lone continuation
        AssertError("\"\u00ff\"", JsonError.InvalidUtf8, 1);
        AssertError("\"\u00e2\u0082", JsonError.UnexpectedEnd, 3);

        JsonReader r = JsonText.InMemory("\"\u00f4\u008f\u00bf\u00bf\u00ef\u00bf\u00bf\"");  // U+10FFFF, U+FFFF are fine
        Expect.Status(JsonError.None, JsonText.ReadAll(r));
    }

    [TestMethod]
    public void DepthIsLimited()
    {
        string open = "";
        string close = "";
        for (int i = 0; i < JsonReader.DefaultMaxDepth; i++)
        {
            open += "[";
            close += "]";
        }

        Expect.Status(JsonError.None, JsonText.ReadAll(JsonText.InMemory(open + close)));
        AssertError(open + "[" + close + "]", JsonError.DepthExceeded, JsonReader.DefaultMaxDepth);

        JsonReader r = new JsonReader(null, 2);
        byte[] b = JsonText.Bytes("{\"a\":[{}]}");
        r.Begin(b, 0, b.Length);
        Expect.Status(JsonError.DepthExceeded, JsonText.ReadAll(r));
        Assert.AreEqual(6, r.ErrorOffset);
        Assert.AreEqual(2, r.MaxDepth);
    }

    [TestMethod]
    public void ATokenLongerThanTheWindowIsRefusedWithTheLimitStated()
    {
        JsonReader r = JsonText.Streamed("[\"0123456789\", 1]", 11, 4);
        Assert.IsTrue(r.Read());
        Assert.IsFalse(r.Read());
        Expect.Status(JsonError.TokenTooLong, r.Error);
        Assert.AreEqual(1, r.ErrorOffset);
        Assert.AreEqual(11, r.WindowLength);
        string message = r.DescribeError();
        Assert.IsTrue(message.IndexOf("11-byte window") >= 0, message);
        Assert.IsTrue(message.IndexOf("at byte 1") >= 0, message);

        JsonReader fits = JsonText.Streamed("[\"0123456789\", 1]", 12, 4);
        Expect.Status(JsonError.None, JsonText.ReadAll(fits));

        // A number needs one byte more than its length: the reader must see what ends it.
        Expect.Status(JsonError.TokenTooLong, JsonText.ReadAll(JsonText.Streamed("[12345]", 5, 5)));
        Expect.Status(JsonError.None, JsonText.ReadAll(JsonText.Streamed("[12345]", 6, 5)));
    }

    [TestMethod]
    public void ASourceFailureIsReportedWithItsCode()
    {
        JsonReader r = new JsonReader(new byte[8]);
        ArraySource source = new ArraySource(JsonText.Bytes("[1,2,3,4,5,6]"), 3, 6, -3);
        r.Begin(source);
        Expect.Status(JsonError.SourceFailed, JsonText.ReadAll(r));
        Assert.AreEqual(-3, r.SourceStatus);
        Assert.AreEqual(6, r.ErrorOffset);
        int calls = source.Calls;
        Assert.IsFalse(r.Read());
        Assert.AreEqual(calls, source.Calls);
        Assert.IsTrue(r.DescribeError().IndexOf("-3") >= 0);
    }
}
