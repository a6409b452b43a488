using System.Text.Json;
using CotaFirmware.Json;
using CotaFirmware.Tests.Json;
using CsCheck;

namespace CotaFirmware.HostTests.Json;

/// <summary>Token for token against System.Text.Json's Utf8JsonReader, on random documents, in memory and through random windows.</summary>
[TestClass]
public sealed class JsonDifferentialTests
{
    private static JsonTokenKind Expected(JsonTokenType t) => t switch
    {
        JsonTokenType.StartObject => JsonTokenKind.BeginObject,
        JsonTokenType.EndObject => JsonTokenKind.EndObject,
        JsonTokenType.StartArray => JsonTokenKind.BeginArray,
        JsonTokenType.EndArray => JsonTokenKind.EndArray,
        JsonTokenType.PropertyName => JsonTokenKind.PropertyName,
        JsonTokenType.String => JsonTokenKind.String,
        JsonTokenType.Number => JsonTokenKind.Number,
        JsonTokenType.True => JsonTokenKind.True,
        JsonTokenType.False => JsonTokenKind.False,
        JsonTokenType.Null => JsonTokenKind.Null,
        _ => throw new InvalidOperationException(t.ToString()),
    };

    /// <summary>Walks both readers in lockstep: the same tokens, offsets, depths, values and integers.</summary>
    private static void AssertSameTokens(byte[] doc, JsonReader mine, string context)
    {
        var theirs = new Utf8JsonReader(doc, new JsonReaderOptions { MaxDepth = 64 });
        var expected = new byte[doc.Length * 3 + 4];
        var actual = new byte[doc.Length * 3 + 4];
        int index = 0;
        while (theirs.Read())
        {
            string at = context + " token " + index++;
            Assert.IsTrue(mine.Read(), at + ": ended early with " + mine.Error + " at " + mine.ErrorOffset);
            Assert.AreEqual(Expected(theirs.TokenType), mine.TokenKind, at);
            Assert.AreEqual(theirs.TokenStartIndex, (long)mine.TokenOffset, at + " offset");
            Assert.AreEqual(theirs.CurrentDepth, mine.Depth, at + " depth");
            if (theirs.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
            {
                int n = theirs.CopyString(expected);
                Assert.AreEqual(n, mine.StringLength, at + " length");
                Assert.AreEqual(n, mine.CopyString(actual, 0, actual.Length), at);
                Assert.IsTrue(expected.AsSpan(0, n).SequenceEqual(actual.AsSpan(0, n)), at + " value");
                Assert.IsTrue(mine.ValueEquals(expected, 0, n), at + " ValueEquals");
                if (n > 0)
                {
                    expected[n - 1] ^= 0x01;
                    Assert.IsFalse(mine.ValueEquals(expected, 0, n), at + " ValueEquals on a different value");
                    Assert.AreEqual(-1, mine.CopyString(actual, 0, n - 1), at + " CopyString into a short buffer");
                }

                Assert.AreEqual(theirs.ValueIsEscaped, mine.HasEscapes, at + " escaped");
            }
            else if (theirs.TokenType == JsonTokenType.Number)
            {
                Assert.IsTrue(theirs.ValueSpan.SequenceEqual(mine.TokenBuffer.AsSpan(mine.TokenIndex, mine.TokenLength)), at + " raw");
                Assert.AreEqual(theirs.TryGetInt64(out long l1), mine.TryGetInt64(out long l2), at + " int64 " + theirs.GetDouble());
                Assert.AreEqual(l1, l2, at);
                Assert.AreEqual(theirs.TryGetInt32(out int i1), mine.TryGetInt32(out int i2), at + " int32");
                Assert.AreEqual(i1, i2, at);
            }
        }

        Assert.IsFalse(mine.Read(), context + ": more tokens than Utf8JsonReader");
        Assert.AreEqual(JsonError.None, mine.Error, context + " " + mine.DescribeError());
    }

    private static readonly Gen<(int Seed, int WindowPick, int ChunkPick)> Inputs = Gen.Select(Gen.Int, Gen.Int[0, 1000], Gen.Int[1, 64]);

    [TestMethod]
    public void InMemoryTokensMatchUtf8JsonReader()
    {
        Inputs.Sample(t =>
        {
            var reader = new JsonReader(null, 64);
            byte[] doc = RandomJson.Document(new Random(t.Seed));
            reader.Begin(doc, 0, doc.Length);
            AssertSameTokens(doc, reader, "seed " + t.Seed);
        }, iter: 3000);
    }

    [TestMethod]
    public void StreamedTokensMatchUtf8JsonReaderAtRandomWindows()
    {
        Inputs.Sample(t =>
        {
            byte[] doc = RandomJson.Document(new Random(t.Seed));
            int longest = JsonRun.Of(doc, 0, maxDepth: 64).LongestToken;
            int window = longest + 1 + (t.WindowPick % (doc.Length + 1));
            var reader = new JsonReader(new byte[window], 64);
            reader.Begin(new ArraySource(doc, t.ChunkPick, new Random(t.Seed)));
            AssertSameTokens(doc, reader, $"seed {t.Seed} window {window}");
        }, iter: 3000);
    }

    [TestMethod]
    public void NumbersOfEveryShapeMatchUtf8JsonReader()
    {
        Gen.Int.Sample(seed =>
        {
            var r = new Random(seed);
            var b = new List<byte> { (byte)'[' };
            for (int i = 0; i < 50; i++)
            {
                if (i > 0) { b.Add((byte)','); }
                RandomJson.Number(r, b);
            }

            b.Add((byte)']');
            byte[] doc = b.ToArray();
            var reader = new JsonReader(null, 4);
            reader.Begin(doc, 0, doc.Length);
            AssertSameTokens(doc, reader, "seed " + seed);
        }, iter: 500);
    }

    [TestMethod]
    public void SmallerWindowsEitherMatchOrStopWithTokenTooLong()
    {
        Inputs.Sample(t =>
        {
            byte[] doc = RandomJson.Document(new Random(t.Seed));
            var whole = JsonRun.Of(doc, 0, maxDepth: 64);
            int window = 1 + (t.WindowPick % Math.Max(1, whole.LongestToken + 1));
            var run = JsonRun.Of(doc, window, t.ChunkPick, new Random(t.Seed), 64);
            Assert.IsTrue(run.Matches(whole, out string why), $"seed {t.Seed} window {window}: {why}");
        }, iter: 2000);
    }
}
