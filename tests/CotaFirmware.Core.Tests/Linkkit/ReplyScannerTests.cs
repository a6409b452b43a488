#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using CotaFirmware.Linkkit;

namespace CotaFirmware.Tests.Linkkit;

[TestClass]
public class ReplyScannerTests
{
    private static int Find(string json, string name)
    {
        byte[] b = Ascii.Bytes(json);
        return ReplyScanner.FindMember(b, 0, b.Length, name);
    }

    [TestMethod]
    public void FindsTopLevelMembersOnlyAndChecksTheWholeObject()
    {
        string json = "{\"data\":{\"id\":\"inner\"},\"id\" : \"42\",\"x\":[{\"id\":1}]}";
        Assert.AreEqual(json.IndexOf("\"42\""), Find(json, "id"));
        Assert.AreEqual(ReplyScanner.Missing, Find(json, "code"));
        Assert.AreEqual(ReplyScanner.Missing, Find("{}", "id"));
        Assert.AreEqual(ReplyScanner.Malformed, Find("{\"id\":1,\"x\":[1,}", "id"));
        Assert.AreEqual(ReplyScanner.Malformed, Find("{\"id\":1", "id"));
        Assert.AreEqual(ReplyScanner.Malformed, Find("[\"id\"]", "id"));
        Assert.AreEqual(ReplyScanner.Malformed, Find("{'id':1}", "id"));
        Assert.AreEqual(ReplyScanner.Malformed, Find("{\"id\"1}", "id"));
    }

    [TestMethod]
    public void AcceptsValidJsonValuesAndRefusesInvalidOnes()
    {
        string[] good = { "{}", " {\"a\" : [ ] } ", "{\"a\":-0.5e+10,\"b\":\"\\u00e9\\n\\/\",\"c\":[true,false,null,{}]}", "{\"a\":0}" };
        string[] bad =
        {
            "", " ", "{", "}", "{}}", "{} x", "[]", "\"s\"", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":-}",
            "{\"a\":tru}", "{\"a\":nul}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u00g0\"}", "{\"a\":\"\t\"}", "{\"a\":[1,]}", "{,}",
            "{\"a\":1,}", "{\"a\" \"b\"}", "{\"a\":+1}", "{\"a\":[1 2]}",
        };
        for (int i = 0; i < good.Length; i++)
        {
            byte[] b = Ascii.Bytes(good[i]);
            Assert.IsTrue(ReplyScanner.IsObject(b, 0, b.Length), good[i]);
        }

        for (int i = 0; i < bad.Length; i++)
        {
            byte[] b = Ascii.Bytes(bad[i]);
            Assert.IsFalse(ReplyScanner.IsObject(b, 0, b.Length), bad[i]);
        }
    }

    [TestMethod]
    public void AcceptsUtf8InStrings()
    {
        byte[] b = { (byte)'{', (byte)'"', 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, (byte)'"', (byte)':', (byte)'1', (byte)'}' };
        Assert.IsTrue(ReplyScanner.IsObject(b, 0, b.Length));
    }

    [TestMethod]
    public void RefusesBadUtf8InStrings()
    {
        byte[][] bad =
        {
            new byte[] { (byte)'{', (byte)'"', 0xC0, 0x80, (byte)'"', (byte)':', (byte)'1', (byte)'}' },
            new byte[] { (byte)'{', (byte)'"', 0xED, 0xA0, 0x80, (byte)'"', (byte)':', (byte)'1', (byte)'}' },
            new byte[] { (byte)'{', (byte)'"', 0xC3, (byte)'"', (byte)':', (byte)'1', (byte)'}' },
            new byte[] { (byte)'{', (byte)'"', 0xF5, 0x80, 0x80, 0x80, (byte)'"', (byte)':', (byte)'1', (byte)'}' },
        };
        for (int i = 0; i < bad.Length; i++)
        {
            Assert.IsFalse(ReplyScanner.IsObject(bad[i], 0, bad[i].Length));
        }
    }

    [TestMethod]
    public void NestingBeyondTheLimitIsRefused()
    {
        string deep = "{\"a\":";
        for (int i = 0; i < ReplyScanner.MaxDepth; i++)
        {
            deep += "[";
        }

        string closing = string.Empty;
        for (int i = 0; i < ReplyScanner.MaxDepth; i++)
        {
            closing += "]";
        }

        byte[] b = Ascii.Bytes(deep + closing + "}");
        Assert.IsFalse(ReplyScanner.IsObject(b, 0, b.Length));
        b = Ascii.Bytes(deep.Substring(0, deep.Length - 1) + closing.Substring(1) + "}");
        Assert.IsTrue(ReplyScanner.IsObject(b, 0, b.Length));
    }

    [TestMethod]
    public void ReadsIntegersAsNumbersOrDigitStrings()
    {
        CheckInteger("123", true, 123);
        CheckInteger("\"123\"", true, 123);
        CheckInteger("-9223372036854775808", true, long.MinValue);
        CheckInteger("9223372036854775807", true, long.MaxValue);
        CheckInteger("0", true, 0);
        CheckNotInteger("\"123\"", false);
        CheckNotInteger("9223372036854775808", true);
        CheckNotInteger("1.5", true);
        CheckNotInteger("1e3", true);
        CheckNotInteger("012", true);
        CheckNotInteger("\"12a\"", true);
        CheckNotInteger("\"\"", true);
        CheckNotInteger("-", true);
        CheckNotInteger("true", true);
    }

    private static void CheckInteger(string text, bool allowString, long expected)
    {
        byte[] b = Ascii.Bytes(text);
        long v;
        Assert.IsTrue(ReplyScanner.ReadInteger(b, 0, b.Length, allowString, out v), text);
        Assert.AreEqual(expected, v);
    }

    private static void CheckNotInteger(string text, bool allowString)
    {
        byte[] b = Ascii.Bytes(text);
        long v;
        Assert.IsFalse(ReplyScanner.ReadInteger(b, 0, b.Length, allowString, out v), text);
    }
}
