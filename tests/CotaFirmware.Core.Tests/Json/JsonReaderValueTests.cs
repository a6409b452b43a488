using CotaFirmware.Json;

namespace CotaFirmware.Tests.Json;

/// <summary>Values without allocation: literal compare, unescaping copy, integers, doubles, skip and hashing.</summary>
[TestClass]
public class JsonReaderValueTests
{
    // "a\"\\/\b\f\n\r\t" then U+00E9, U+20AC, U+1F600 as escapes, then U+00E9 as raw UTF-8.
    private const string Escaped = "\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC\\uD83D\\uDE00\u00c3\u00a9\"";
    private const string Unescaped = "a\"\\/\b\f\n\r\t\u00c3\u00a9\u00e2\u0082\u00ac\u00f0\u009f\u0098\u0080\u00c3\u00a9";

    [TestMethod]
    public void CopyStringUnescapesToUtf8IncludingSurrogatePairs()
    {
        JsonReader r = JsonText.InMemory(Escaped);
        Assert.IsTrue(r.Read());
        Assert.IsTrue(r.HasEscapes);
        Assert.AreEqual(Unescaped.Length, r.StringLength);
        Assert.AreEqual(Unescaped, JsonText.Value(r));
    }

    [TestMethod]
    public void CopyStringFailsWithoutWritingWhenTheDestinationIsTooSmall()
    {
        JsonReader r = JsonText.InMemory(Escaped);
        Assert.IsTrue(r.Read());
        byte[] small = new byte[Unescaped.Length - 1];
        Assert.AreEqual(-1, r.CopyString(small, 0, small.Length));
        Assert.AreEqual((byte)0, small[0]);
        byte[] exact = new byte[Unescaped.Length + 2];
        Assert.AreEqual(Unescaped.Length, r.CopyString(exact, 2, Unescaped.Length));
        Assert.AreEqual((byte)'a', exact[2]);
    }

    [TestMethod]
    public void ValueEqualsComparesTheUnescapedValue()
    {
        JsonReader r = JsonText.InMemory("{\"con\\u0066ig\\/Id\":\"plain\"}");
        Assert.IsTrue(r.Read());
        Assert.IsTrue(r.Read());
        Assert.IsTrue(r.ValueEquals(JsonText.Bytes("config/Id")));
        Assert.IsFalse(r.ValueEquals(JsonText.Bytes("config/Ie")));
        Assert.IsFalse(r.ValueEquals(JsonText.Bytes("config/I")));
        Assert.IsTrue(r.Read());
        Assert.IsTrue(r.ValueEquals(JsonText.Bytes("plain")));
        Assert.IsTrue(r.ValueEquals(JsonText.Bytes("xplainx"), 1, 5));
        Assert.IsFalse(r.ValueEquals(JsonText.Bytes("plaiN")));

        JsonReader s = JsonText.InMemory(Escaped);
        Assert.IsTrue(s.Read());
        Assert.IsTrue(s.ValueEquals(JsonText.Bytes(Unescaped)));
        Assert.IsFalse(s.ValueEquals(JsonText.Bytes(Unescaped.Substring(0, Unescaped.Length - 1) + "x")));

        JsonReader n = JsonText.InMemory("1");
        Assert.IsTrue(n.Read());
        Assert.IsFalse(n.ValueEquals(JsonText.Bytes("1")));
    }

    private static JsonReader Number(string text)
    {
        JsonReader r = JsonText.InMemory(text);
        Assert.IsTrue(r.Read(), text);
        Expect.Status(JsonTokenKind.Number, r.TokenKind);
        return r;
    }

    [TestMethod]
    public void Int32ReadsItsWholeRangeAndRefusesOverflowAndFractions()
    {
        int v;
        Assert.IsTrue(Number("2147483647").TryGetInt32(out v));
        Assert.AreEqual(int.MaxValue, v);
        Assert.IsTrue(Number("-2147483648").TryGetInt32(out v));
        Assert.AreEqual(int.MinValue, v);
        Assert.IsTrue(Number("-0").TryGetInt32(out v));
        Assert.AreEqual(0, v);
        Assert.IsFalse(Number("2147483648").TryGetInt32(out v));
        Assert.AreEqual(0, v);
        Assert.IsFalse(Number("-2147483649").TryGetInt32(out v));
        Assert.IsFalse(Number("1.0").TryGetInt32(out v));
        Assert.IsFalse(Number("1e2").TryGetInt32(out v));
        Assert.IsFalse(JsonText.InMemory("\"1\"").TryGetInt32(out v));
    }

    [TestMethod]
    public void Int64ReadsItsWholeRangeAndRefusesOverflow()
    {
        long v;
        Assert.IsTrue(Number("9223372036854775807").TryGetInt64(out v));
        Assert.AreEqual(long.MaxValue, v);
        Assert.IsTrue(Number("-9223372036854775808").TryGetInt64(out v));
        Assert.AreEqual(long.MinValue, v);
        Assert.IsTrue(Number("1234567890123").TryGetInt64(out v));
        Assert.AreEqual(1234567890123L, v);
        Assert.IsFalse(Number("9223372036854775808").TryGetInt64(out v));
        Assert.IsFalse(Number("-9223372036854775809").TryGetInt64(out v));
        Assert.IsFalse(Number("92233720368547758070").TryGetInt64(out v));
        Assert.IsFalse(Number("100000000000000000000000").TryGetInt64(out v));
    }

    [TestMethod]
    public void SkipJumpsOverAWholeValue()
    {
        JsonReader r = JsonText.Streamed("{\"skip\":{\"a\":[1,{\"b\":[]}],\"c\":\"d\"},\"keep\":7}", 8, 3);
        Assert.IsTrue(r.Read());
        Assert.IsTrue(r.Read());
        Assert.IsTrue(r.Skip());
        Expect.Status(JsonTokenKind.EndObject, r.TokenKind);
        Assert.AreEqual(33, r.TokenOffset);
        Assert.IsTrue(r.Read());
        Assert.IsTrue(r.ValueEquals(JsonText.Bytes("keep")));
        Assert.IsTrue(r.Read());
        Assert.IsTrue(r.Skip());
        Expect.Status(JsonTokenKind.Number, r.TokenKind);
        Assert.IsTrue(r.Read());
        Assert.IsFalse(r.Read());
        Expect.Status(JsonError.None, r.Error);
    }

    [TestMethod]
    public void SkipStopsAtAnErrorInsideTheValue()
    {
        JsonReader r = JsonText.InMemory("[[1,2],[3,,4]]");
        Assert.IsTrue(r.Read());
        Assert.IsFalse(r.Skip());
        Expect.Status(JsonError.UnexpectedCharacter, r.Error);
        Assert.AreEqual(10, r.ErrorOffset);
    }

    [TestMethod]
    public void HashValueFeedsTheRawBytesOfEachMemberAcrossRefills()
    {
        const string doc = "{\"wifi\": {\"ssid\" : \"a\\u0062\", \"ch\":[1, 6 ,11]} ,\"led\":\"on\",\"n\":-1.5e2, \"z\":[]}";
        string[] expected = { "{\"ssid\" : \"a\\u0062\", \"ch\":[1, 6 ,11]}", "\"on\"", "-1.5e2", "[]" };
        for (int window = 16; window <= doc.Length + 1; window += 5)
        {
            JsonReader r = JsonText.Streamed(doc, window, 3);
            Assert.IsTrue(r.Read());
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.IsTrue(r.Read());
                Expect.Status(JsonTokenKind.PropertyName, r.TokenKind);
                RecordingHash hash = new RecordingHash(256);
                Assert.IsTrue(r.HashValue(hash), r.DescribeError());
                Assert.AreEqual(expected[i], hash.Text(), "window " + window.ToString());
            }

            Assert.IsTrue(r.Read());
            Expect.Status(JsonTokenKind.EndObject, r.TokenKind);
            Assert.IsFalse(r.Read());
            Expect.Status(JsonError.None, r.Error);
        }
    }

    [TestMethod]
    public void HashValueOfAValueLongerThanTheWindowUsesSeveralUpdates()
    {
        string items = "";
        for (int i = 0; i < 40; i++)
        {
            items += (i == 0 ? "" : ",") + "\"item" + i.ToString() + "\"";
        }

        JsonReader r = JsonText.Streamed("[" + items + "]", 16, 16);
        Assert.IsTrue(r.Read());
        RecordingHash hash = new RecordingHash(1024);
        Assert.IsTrue(r.HashValue(hash));
        Assert.AreEqual("[" + items + "]", hash.Text());
        Assert.IsTrue(hash.Updates > 10);
    }
}
