using CotaFirmware.Json;
using CotaFirmware.Linkkit;

namespace CotaFirmware.Tests.Linkkit;

[TestClass]
public class ReplyMatchingTests
{
    private const string Reply = "/sys/pk1/dn1/thing/event/property/post_reply";

    // Sends one report, then the reply text; true when the reply reached the waiting request.
    private static bool Matches(string reply, out int code)
    {
        var t = TestDevice.Connected();
        var h = new RecordingReplyHandler();
        t.Device.Report(null, h);
        t.Session.Enqueue(Reply, reply);
        t.Device.Yield(1);
        code = h.Code;
        return h.Calls == 1;
    }

    private static bool Matches(string reply)
    {
        int code;
        return Matches(reply, out code);
    }

    [TestMethod]
    public void OnlyTheTopLevelIdCountsAndTheWholeObjectIsChecked()
    {
        int code;
        Assert.IsTrue(Matches("{\"data\":{\"id\":\"inner\"},\"id\" : \"1\",\"x\":[{\"id\":7}],\"code\":200}", out code));
        Assert.AreEqual(200, code);
        Assert.IsFalse(Matches("{\"data\":{\"id\":\"1\"},\"code\":200}"));
        Assert.IsFalse(Matches("{}"));
        Assert.IsFalse(Matches("{\"id\":1,\"x\":[1,}"));
        Assert.IsFalse(Matches("{\"id\":1"));
        Assert.IsFalse(Matches("[\"id\"]"));
        Assert.IsFalse(Matches("{'id':1}"));
        Assert.IsFalse(Matches("{\"id\"1}"));
        Assert.IsFalse(Matches("{\"id\":1} x"));
        Assert.IsFalse(Matches("{\"id\":1,\"a\":01}"));
        Assert.IsFalse(Matches("{\"id\":1,\"a\":\"\\x\"}"));
    }

    [TestMethod]
    public void ACodeThatIsNotAnIntegerGivesMinusOne()
    {
        int code;
        Assert.IsTrue(Matches("{\"id\":1,\"code\":\"6710\"}", out code));
        Assert.AreEqual(6710, code);
        Assert.IsTrue(Matches("{\"id\":1,\"code\":2.5}", out code));
        Assert.AreEqual(-1, code);
        Assert.IsTrue(Matches("{\"id\":1,\"code\":99999999999}", out code));
        Assert.AreEqual(-1, code);
    }

    [TestMethod]
    public void ReadsIntegersAsNumbersOrDigitStrings()
    {
        CheckInteger("123", 123);
        CheckInteger("\"123\"", 123);
        CheckInteger("\"-42\"", -42);
        CheckInteger("-9223372036854775808", long.MinValue);
        CheckInteger("\"-9223372036854775808\"", long.MinValue);
        CheckInteger("9223372036854775807", long.MaxValue);
        CheckInteger("0", 0);
        CheckNotInteger("9223372036854775808");
        CheckNotInteger("\"9223372036854775808\"");
        CheckNotInteger("1.5");
        CheckNotInteger("1e3");
        CheckNotInteger("\"012\"");
        CheckNotInteger("\"12a\"");
        CheckNotInteger("\"1 \"");
        CheckNotInteger("\"\"");
        CheckNotInteger("\"-\"");
        CheckNotInteger("\"\\u0031\"");
        CheckNotInteger("true");
    }

    private static void CheckInteger(string text, long expected)
    {
        long v;
        Assert.IsTrue(ReadsInteger(text, out v), text);
        Assert.AreEqual(expected, v);
    }

    private static void CheckNotInteger(string text)
    {
        long v;
        Assert.IsFalse(ReadsInteger(text, out v), text);
        Assert.AreEqual(0L, v);
    }

    // WireInteger's reading of the first token of text.
    private static bool ReadsInteger(string text, out long v)
    {
        var r = new JsonReader(null);
        byte[] b = Ascii.Bytes(text);
        r.Begin(b, 0, b.Length);
        Assert.IsTrue(r.Read(), text);
        return WireInteger.TryRead(r, out v);
    }
}
