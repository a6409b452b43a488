using CotaFirmware.Cota;
using CsCheck;

namespace CotaFirmware.HostTests.Cota;

/// <summary>
/// Property: whatever mix of network faults and power cuts happens, a download either ends Ok with exactly the
/// offered bytes sealed in the store's candidate slot, or with a named failure; a served file that differs from the
/// sign is never accepted.
/// </summary>
[TestClass]
public class RandomFaultTests
{
    private const string Url = "https://oss.example/config/cfg.json?Signature=x";

    [TestMethod]
    public void FaultsAndPowerCutsNeverYieldAWrongFile()
    {
        int completed = 0, cuts = 0, refused = 0;
        Gen.Select(Gen.Int[0, 20_000], Gen.Int, Gen.Bool).Sample((size, seed, corrupt) =>
        {
            var random = new Random(seed);
            var file = Offers.File(size, seed);
            var served = file;
            if (corrupt && size > 0)
            {
                served = (byte[])file.Clone();
                served[random.Next(size)] ^= 0x01;
            }

            var settings = Offers.Settings();
            settings.MaxAttempts = 6;
            var storage = new FaultyStorage { Loss = PowerLoss.Throws };
            var clock = new ManualClock();
            var offer = Offers.For("cfg-" + seed, file, Url);
            CotaStatus outcome = CotaStatus.None;
            for (int boot = 0; boot < 40; boot++)
            {
                storage.PowerOn();
                storage.CutAt = random.Next(2) == 0 ? storage.Mutations + 1 + random.Next(20) : 0;
                storage.TornBytes = random.Next(600);
                var download = Offers.Create(Chaotic(served, random, settings.MaxAttempts), storage, clock, settings);
                download.Start(offer);
                try
                {
                    outcome = Offers.Run(download, clock);
                    break;
                }
                catch (PowerCutException)
                {
                    Interlocked.Increment(ref cuts);
                }
            }

            storage.PowerOn();
            if (outcome == CotaStatus.None)
            {
                return; // still rebooting after 40 cuts: nothing was accepted
            }

            if (outcome == CotaStatus.Ok)
            {
                Assert.IsTrue(ReferenceEquals(served, file), "a changed file was accepted");
                Interlocked.Increment(ref completed);
                CollectionAssert.AreEqual(file, Offers.Staged(storage));
            }
            else
            {
                Assert.IsTrue(
                    outcome == CotaStatus.RetriesExhausted || (outcome == CotaStatus.HashMismatch && corrupt),
                    "unexpected " + outcome);
                if (outcome == CotaStatus.HashMismatch)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        }, iter: 300);

        // The scenarios must really mix successes, power cuts and refused changed files.
        Assert.IsTrue(completed > 0 && cuts > 0 && refused > 0, $"completed {completed}, cuts {cuts}, refused {refused}");
    }

    /// <summary>A server that misbehaves at random on each of <paramref name="requests"/> requests: timeouts, 503s, ignored ranges, bodies cut short, pieces of any size.</summary>
    private static ScriptedHttpClient Chaotic(byte[] file, Random random, int requests)
    {
        var http = new ScriptedHttpClient(file) { ReadChunk = 1 + random.Next(700) };
        for (int i = 0; i < requests; i++)
        {
            int roll = random.Next(100);
            var response = roll < 10 ? ScriptedResponse.WithStatus((int)HttpStatus.Timeout)
                : roll < 15 ? ScriptedResponse.WithStatus(503)
                : new ScriptedResponse { IgnoreRange = roll < 25 };
            if (roll >= 15 && random.Next(100) < 40)
            {
                response.FailAfter = random.Next(file.Length + 1);
                response.FailCode = random.Next(3) switch { 0 => 0, 1 => (int)HttpStatus.Timeout, _ => (int)HttpStatus.Broken };
            }

            http.Then(response);
        }

        return http;
    }
}
