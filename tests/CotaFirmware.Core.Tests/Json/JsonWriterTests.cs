using CotaFirmware.Json;

namespace CotaFirmware.Tests.Json;

[TestClass]
public class JsonWriterTests
{
    private const string Document = "{\"id\":\"7\",\"n\":-12,\"nil\":null,\"list\":[1,\"a\",{},[]],\"obj\":{\"raw\":{\"x\":1}}}";

    private static void WriteDocument(JsonWriter w)
    {
        w.BeginObject();
        w.WriteProperty("id", "7");
        w.WriteProperty("n", -12);
        w.WriteName("nil");
        w.WriteString((string)null);
        w.WriteName("list");
        w.BeginArray();
        w.WriteInteger(1);
        w.WriteString("a");
        w.BeginObject();
        w.EndObject();
        w.BeginArray();
        w.EndArray();
        w.EndArray();
        w.WriteName("obj");
        w.BeginObject();
        w.WriteName("raw");
        w.WriteRaw(Ascii.Bytes("{\"x\":1}"), 0, 7);
        w.EndObject();
        w.EndObject();
    }

    private static string Written(JsonWriter w) => Ascii.Text(w.Buffer, w.Offset, w.Length);

    [TestMethod]
    public void WritesNestedObjectsAndArraysWithCommas()
    {
        var w = new JsonWriter(new byte[200], 0, 200);
        WriteDocument(w);
        Assert.AreEqual(Document, Written(w));
        Assert.IsTrue(w.IsComplete);
        Assert.AreEqual(0, w.Depth);
    }

    [TestMethod]
    public void AtEveryCapacityItEitherFitsExactlyOrOverflowsWithoutWritingPastItsEnd()
    {
        for (int capacity = 0; capacity <= Document.Length + 2; capacity++)
        {
            byte[] buffer = new byte[capacity + 10];
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = 0xAA;
            }

            var w = new JsonWriter(buffer, 5, capacity);
            WriteDocument(w);
            if (capacity >= Document.Length)
            {
                Assert.IsFalse(w.Overflowed);
                Assert.AreEqual(Document, Written(w));
            }
            else
            {
                Assert.IsTrue(w.Overflowed);
                Assert.IsFalse(w.IsComplete);
                Assert.IsTrue(w.Length <= capacity);
                Assert.IsFalse(w.WriteInteger(1));
            }

            for (int i = 0; i < 5; i++)
            {
                Assert.AreEqual(0xAA, (int)buffer[i]);
            }

            for (int i = 5 + capacity; i < buffer.Length; i++)
            {
                Assert.AreEqual(0xAA, (int)buffer[i]);
            }
        }
    }

    [TestMethod]
    public void AWriteThatDoesNotFitLeavesNothingOfItself()
    {
        var w = new JsonWriter(new byte[8], 0, 8);
        w.BeginArray();
        Assert.IsTrue(w.WriteString("ab"));
        Assert.AreEqual(5, w.Length);
        Assert.IsFalse(w.WriteString("abc"));
        Assert.AreEqual(5, w.Length);
        Assert.IsTrue(w.Overflowed);
        w.Reset();
        Assert.IsFalse(w.Overflowed);
        Assert.IsTrue(w.WriteString("abcdef"));
        Assert.AreEqual("\"abcdef\"", Written(w));

        // A name whose colon alone does not fit leaves nothing either.
        w = new JsonWriter(new byte[6], 0, 6);
        w.BeginObject();
        Assert.IsFalse(w.WriteName("abc"));
        Assert.AreEqual("{", Written(w));
        Assert.IsTrue(w.Overflowed);
    }

    [TestMethod]
    public void EscapesQuotesBackslashesAndControlCharacters()
    {
        var w = new JsonWriter(new byte[100], 0, 100);
        w.WriteString("q\"b\\s/\b\f\n\r\t\u0001\u001f\u007f");
        Assert.AreEqual("\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\u007f\"", Written(w));

        var v = new JsonWriter(new byte[100], 0, 100);
        byte[] raw = { (byte)'"', 0x00, (byte)'\\', 0x0A, 0xC3, 0xA9 };
        v.WriteString(raw, 0, raw.Length);
        Assert.AreEqual("225C225C75303030305C5C5C6EC3A922", Ascii.Hex(v.Buffer, 0, v.Length));
    }

    [TestMethod]
    public void EncodesTextAsUtf8AndLoneSurrogatesAsReplacement()
    {
        var w = new JsonWriter(new byte[100], 0, 100);
        w.WriteString("\u00e9\u20ac\ud83d\ude00\ud800x\udc00");
        Assert.AreEqual("22C3A9E282ACF09F9880EFBFBD78EFBFBD22", Ascii.Hex(w.Buffer, 0, w.Length));
    }

    [TestMethod]
    public void WritesIntegersAtTheirLimits()
    {
        var w = new JsonWriter(new byte[100], 0, 100);
        w.BeginArray();
        w.WriteInteger(0);
        w.WriteInteger(-1);
        w.WriteInteger(9);
        w.WriteInteger(10);
        w.WriteInteger(long.MaxValue);
        w.WriteInteger(long.MinValue);
        w.EndArray();
        Assert.AreEqual("[0,-1,9,10,9223372036854775807,-9223372036854775808]", Written(w));
    }

    [TestMethod]
    public void NullStringsAreJsonNull()
    {
        var w = new JsonWriter(new byte[20], 0, 20);
        w.BeginObject();
        w.WriteProperty("a", (string)null);
        w.EndObject();
        Assert.AreEqual("{\"a\":null}", Written(w));
    }

    [TestMethod]
    public void MisuseIsAProgrammingError()
    {
        Expect.Throws(typeof(InvalidOperationException), () => new JsonWriter(new byte[10], 0, 10).EndObject());
        Expect.Throws(typeof(InvalidOperationException), () =>
        {
            var w = new JsonWriter(new byte[10], 0, 10);
            w.BeginObject();
            w.EndArray();
        });
        Expect.Throws(typeof(InvalidOperationException), () =>
        {
            var w = new JsonWriter(new byte[100], 0, 100);
            for (int i = 0; i <= JsonWriter.MaxDepth; i++)
            {
                w.BeginArray();
            }
        });
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => new JsonWriter(new byte[10], 5, 6));
        Expect.Throws(typeof(ArgumentNullException), () => new JsonWriter(null, 0, 0));
    }
}
