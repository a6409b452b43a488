using CotaFirmware.Config;
using CotaFirmware.Cota;

namespace CotaFirmware.HostTests.Cota;

/// <summary>
/// Cuts the power at every storage mutation of a download into the config store (optionally tearing that write),
/// reboots, and checks the invariant: the resumed download ends Ok with exactly the offered bytes sealed in the
/// candidate slot, or with a named failure; it fetches again at most the chunk that was in flight; a file whose hash
/// is not the offer's is never accepted, and a staged slot never becomes a config.
/// </summary>
[TestClass]
public class PowerCutTests
{
    private const string Url = "https://oss.example/config/cfg.json?Signature=x";

    /// <summary>A server that cuts every response after <paramref name="breakAfter"/> body bytes (0: never).</summary>
    private static ScriptedHttpClient Served(byte[] file, int breakAfter) =>
        new(file) { Otherwise = ScriptedResponse.FailingAfter(breakAfter > 0 ? breakAfter : -1, (int)HttpStatus.Broken) };

    private static int CleanMutations(byte[] file, int breakAfter)
    {
        var storage = new FaultyStorage();
        var clock = new ManualClock();
        var download = Offers.Create(Served(file, breakAfter), storage, clock, Offers.Settings());
        download.Start(Offers.For("cfg-1", file, Url));
        Assert.AreEqual(CotaStatus.Ok, Offers.Run(download, clock));
        return storage.Mutations;
    }

    private static void CutThenReboot(byte[] file, int breakAfter, int cutAt, int tornBytes, byte[] servedAfterReboot)
    {
        var storage = new FaultyStorage { CutAt = cutAt, TornBytes = tornBytes, Loss = PowerLoss.Throws };
        var clock = new ManualClock();
        var settings = Offers.Settings();
        var offer = Offers.For("cfg-1", file, Url);
        var first = Offers.Create(Served(file, breakAfter), storage, clock, settings);
        first.Start(offer);
        Assert.ThrowsExactly<PowerCutException>(() => Offers.Run(first, clock), $"cut {cutAt} never reached");

        storage.PowerOn();
        var http = Served(servedAfterReboot, breakAfter);
        var after = Offers.Create(http, storage, clock, settings);
        after.Start(offer);
        var outcome = Offers.Run(after, clock);
        string where = $"cut at mutation {cutAt}, torn {tornBytes}, break {breakAfter}";

        // Resume, not restart: what landed in flash is kept; at most the chunk in flight is fetched again.
        long lost = http.RequestCount == 0 ? 0 : first.Received - http.OffsetOf(0);
        Assert.IsTrue(lost <= settings.BufferSize, where + ": restarted from " + (http.RequestCount == 0 ? -1 : http.OffsetOf(0)));
        if (outcome == CotaStatus.Ok)
        {
            CollectionAssert.AreEqual(file, Offers.Staged(storage), where);
        }
        else
        {
            Assert.AreEqual(CotaStatus.HashMismatch, outcome, where);
            Assert.IsFalse(ReferenceEquals(file, servedAfterReboot), where + ": the honest server must complete");
            var store = new ConfigStore(storage, new byte[1024], 1 << 20, 3);
            store.Boot();
            Assert.AreEqual(ConfigSlot.None, store.ActiveSlot, where + ": a refused file is never a config");
        }
    }

    [TestMethod]
    public void EveryPowerCutResumesToTheRightFile()
    {
        var file = Offers.File(10_000, 7);
        foreach (int breakAfter in new[] { 0, 3000 })
        {
            int mutations = CleanMutations(file, breakAfter);
            Assert.IsTrue(mutations > 10);
            for (int cut = 1; cut <= mutations; cut++)
            {
                foreach (int torn in new[] { 0, 1, 100, 10_000 })
                {
                    CutThenReboot(file, breakAfter, cut, torn, file);
                }
            }
        }
    }

    [TestMethod]
    public void AfterAPowerCutAChangedFileIsNeverAccepted()
    {
        var file = Offers.File(10_000, 8);
        var changed = (byte[])file.Clone();
        changed[^1] ^= 0x5A;
        int mutations = CleanMutations(file, 0);
        for (int cut = 1; cut <= mutations; cut++)
        {
            CutThenReboot(file, 0, cut, 50, changed);
        }
    }
}
