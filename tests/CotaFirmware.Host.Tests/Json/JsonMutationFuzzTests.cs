using CotaFirmware.Json;

namespace CotaFirmware.HostTests.Json;

/// <summary>Mutated documents: the reader ends every one with a token stream or a defined error, the same at any window.</summary>
[TestClass]
public sealed class JsonMutationFuzzTests
{
    private static readonly byte[] Interesting = "{}[]\",:\\u0123456789eE.-+ \t\n\rtfnalsr"u8.ToArray()
        .Concat(new byte[] { 0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF }).ToArray();

    public static byte[] Mutate(byte[] doc, Random r)
    {
        var b = new List<byte>(doc);
        int steps = r.Next(1, 5);
        for (int s = 0; s < steps; s++)
        {
            int at = b.Count == 0 ? 0 : r.Next(b.Count);
            switch (r.Next(6))
            {
                case 0 when b.Count > 0: b[at] ^= (byte)(1 << r.Next(8)); break;
                case 1 when b.Count > 0: b[at] = Interesting[r.Next(Interesting.Length)]; break;
                case 2: b.Insert(at, Interesting[r.Next(Interesting.Length)]); break;
                case 3 when b.Count > 0: b.RemoveRange(at, Math.Min(b.Count - at, r.Next(1, 4))); break;
                case 4 when b.Count > 0:
                    int len = Math.Min(b.Count - at, r.Next(1, 16));
                    b.InsertRange(r.Next(b.Count), b.GetRange(at, len));
                    break;
                default: if (b.Count > 0) { b.RemoveRange(at, b.Count - at); } break;
            }
        }

        return b.ToArray();
    }

    [TestMethod]
    public void TwentyThousandMutatedDocumentsEndInATokenStreamOrADefinedError()
    {
        var seeds = new List<byte[]>();
        var random = new Random(20261127);
        for (int i = 0; i < 200; i++)
        {
            seeds.Add(RandomJson.Document(random));
        }

        seeds.Add("{\"method\":\"thing.config.push\",\"params\":{\"configId\":\"123\",\"url\":\"https://x/y?a=1\",\"sign\":\"ab\"}}"u8.ToArray());
        int errors = 0;
        for (int i = 0; i < 20000; i++)
        {
            byte[] doc = Mutate(seeds[random.Next(seeds.Count)], random);
            JsonRun whole;
            try
            {
                whole = JsonRun.Of(doc, 0);
            }
            catch (Exception e)
            {
                throw new AssertFailedException("input " + Convert.ToHexString(doc) + " threw " + e);
            }

            Assert.IsTrue(Enum.IsDefined(whole.Error) && whole.Error != JsonError.TokenTooLong && whole.Error != JsonError.SourceFailed,
                Convert.ToHexString(doc));
            if (whole.Error != JsonError.None)
            {
                errors++;
                Assert.IsTrue(whole.ErrorOffset >= 0 && whole.ErrorOffset <= doc.Length, "error offset outside the document");
            }

            int window = random.Next(1, doc.Length + 2);
            var run = JsonRun.Of(doc, window, random.Next(1, 64), random);
            Assert.IsTrue(run.Matches(whole, out string why), $"window {window}, input {Convert.ToHexString(doc)}: {why}");
        }

        // Most mutations break a document; if none did, the mutator is not reaching the reader's checks.
        Assert.IsTrue(errors > 10000, "only " + errors + " of 20000 mutated documents were rejected");
    }
}
