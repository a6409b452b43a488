using CotaFirmware.Fuzz;
using CotaFirmware.Json;

namespace CotaFirmware.HostTests.Json;

/// <summary>Mutated documents: the reader ends every one with a token stream or a defined error, the same at any window.</summary>
[TestClass]
public sealed class JsonMutationFuzzTests
{
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
        int unchanged = 0;
        for (int i = 0; i < 20000; i++)
        {
            byte[] seed = seeds[random.Next(seeds.Count)];
            byte[] doc = JsonFuzzTarget.Mutate(seed, random, minEdits: 1);
            if (doc.AsSpan().SequenceEqual(seed))
            {
                unchanged++;
            }

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

        // Every document is edited; only a later edit undoing an earlier one gives the seed back.
        Assert.IsTrue(unchanged < 200, unchanged + " of 20000 mutated documents were their seed");
        // Most mutations break a document; if none did, the mutator is not reaching the reader's checks.
        Assert.IsTrue(errors > 10000, "only " + errors + " of 20000 mutated documents were rejected");
    }
}
