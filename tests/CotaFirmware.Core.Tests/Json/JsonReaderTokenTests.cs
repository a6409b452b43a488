using CotaFirmware.Json;

namespace CotaFirmware.Tests.Json;

/// <summary>Tokens, depths and offsets, in memory and through small windows, and reuse of one reader.</summary>
[TestClass]
public class JsonReaderTokenTests
{
    private const string Doc = " {\"a\" : [1, true,false ,null,\"x\"], \"b\":{}, \"c\":-2.5e3}\n";

    private static void AssertToken(JsonReader r, JsonTokenKind kind, int offset, int depth)
    {
        Assert.IsTrue(r.Read(), "expected " + StatusNames.Of(kind) + " at " + offset.ToString() + ", error " + r.DescribeError());
        Expect.Status(kind, r.TokenKind, "kind at " + offset.ToString());
        Assert.AreEqual(offset, r.TokenOffset, "offset");
        Assert.AreEqual(depth, r.Depth, "depth at " + offset.ToString());
    }

    private static void AssertDocTokens(JsonReader r)
    {
        AssertToken(r, JsonTokenKind.BeginObject, 1, 0);
        AssertToken(r, JsonTokenKind.PropertyName, 2, 1);
        Assert.AreEqual("a", JsonText.Value(r));
        AssertToken(r, JsonTokenKind.BeginArray, 8, 1);
        AssertToken(r, JsonTokenKind.Number, 9, 2);
        AssertToken(r, JsonTokenKind.True, 12, 2);
        AssertToken(r, JsonTokenKind.False, 17, 2);
        AssertToken(r, JsonTokenKind.Null, 24, 2);
        AssertToken(r, JsonTokenKind.String, 29, 2);
        Assert.AreEqual("x", JsonText.Value(r));
        AssertToken(r, JsonTokenKind.EndArray, 32, 1);
        AssertToken(r, JsonTokenKind.PropertyName, 35, 1);
        AssertToken(r, JsonTokenKind.BeginObject, 39, 1);
        AssertToken(r, JsonTokenKind.EndObject, 40, 1);
        AssertToken(r, JsonTokenKind.PropertyName, 43, 1);
        AssertToken(r, JsonTokenKind.Number, 47, 1);
        Assert.AreEqual(6, r.TokenLength);
        AssertToken(r, JsonTokenKind.EndObject, 53, 0);
        Assert.IsFalse(r.Read());
        Expect.Status(JsonError.None, r.Error);
        Expect.Status(JsonTokenKind.None, r.TokenKind);
        Assert.IsFalse(r.Read());
    }

    [TestMethod]
    public void InMemoryDocumentGivesEveryTokenWithItsOffsetAndDepth()
    {
        AssertDocTokens(JsonText.InMemory(Doc));
    }

    [TestMethod]
    public void StreamedDocumentGivesTheSameTokensAtEveryWindowAndChunkSize()
    {
        for (int window = 8; window <= Doc.Length + 1; window++)
        {
            for (int chunk = 1; chunk <= 5; chunk += 2)
            {
                AssertDocTokens(JsonText.Streamed(Doc, window, chunk));
            }
        }
    }

    [TestMethod]
    public void InMemorySliceOffsetsCountFromTheSliceStart()
    {
        byte[] b = JsonText.Bytes("xx[7]yy");
        JsonReader r = new JsonReader(null);
        r.Begin(b, 2, 3);
        AssertToken(r, JsonTokenKind.BeginArray, 0, 0);
        AssertToken(r, JsonTokenKind.Number, 1, 1);
        AssertToken(r, JsonTokenKind.EndArray, 2, 0);
        Assert.IsFalse(r.Read());
        Expect.Status(JsonError.None, r.Error);
    }

    [TestMethod]
    public void TopLevelScalarsAreDocuments()
    {
        JsonReader r = JsonText.InMemory(" \"s\" ");
        AssertToken(r, JsonTokenKind.String, 1, 0);
        Assert.IsFalse(r.Read());
        Expect.Status(JsonError.None, r.Error);

        r = JsonText.Streamed("12", 3, 1);
        AssertToken(r, JsonTokenKind.Number, 0, 0);
        Assert.IsFalse(r.Read());
        Expect.Status(JsonError.None, r.Error);
    }

    [TestMethod]
    public void OneReaderServesManyDocuments()
    {
        JsonReader r = new JsonReader(new byte[16]);
        r.Begin(new ArraySource(JsonText.Bytes("[1,"), 4));
        Expect.Status(JsonError.UnexpectedEnd, JsonText.ReadAll(r));

        r.Begin(new ArraySource(JsonText.Bytes(Doc), 7));
        AssertDocTokens(r);

        byte[] b = JsonText.Bytes(Doc);
        r.Begin(b, 0, b.Length);
        AssertDocTokens(r);

        r.Reset();
        Assert.IsFalse(r.Read());
        Expect.Status(JsonError.None, r.Error);
    }

    [TestMethod]
    public void AWindowOfOneByteReadsOneByteTokens()
    {
        JsonReader r = JsonText.Streamed("[ {} , [ ] ]", 1, 1);
        Expect.Status(JsonError.None, JsonText.ReadAll(r));
    }

    [TestMethod]
    public void MisuseIsAProgrammingError()
    {
        Expect.Throws(typeof(System.InvalidOperationException), () => new JsonReader(null).Begin(new ArraySource(new byte[0], 1)));
        Expect.Throws(typeof(System.ArgumentOutOfRangeException), () => new JsonReader(null).Begin(new byte[4], 2, 3));
        Expect.Throws(typeof(System.ArgumentOutOfRangeException), () => new JsonReader(new byte[4], 0));
    }
}
