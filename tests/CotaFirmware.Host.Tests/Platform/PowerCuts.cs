namespace CotaFirmware.HostTests.Platform;

/// <summary>Runs an operation with the power cut at each of its writes in turn, over <see cref="FaultyStorage"/>.</summary>
public static class PowerCuts
{
    /// <summary>
    /// Runs <paramref name="operation"/> once on flash prepared by <paramref name="before"/> to count its writes, then
    /// again on fresh flash for each write, cut there (the cut throws) with each of <paramref name="tears"/> bytes
    /// landing; after each cut the power is back and <paramref name="landed"/> checks the flash (given where the cut
    /// was) and says whether the operation's effect is there. The uncut run must land.
    /// </summary>
    /// <returns>How many cuts landed, and in <paramref name="cuts"/> how many there were.</returns>
    public static int CutAtEveryWrite(Action<FaultyStorage> before, Action<FaultyStorage> operation, int[] tears,
        Func<FaultyStorage, string, bool> landed, out int cuts)
    {
        var whole = new FaultyStorage();
        before(whole);
        int setup = whole.Mutations;
        operation(whole);
        int writes = whole.Mutations - setup;
        Assert.IsTrue(writes >= 1, "the operation writes");
        Assert.IsTrue(landed(whole, "without a cut"), "without a cut the operation lands");

        int count = 0;
        cuts = 0;
        for (int cut = 1; cut <= writes; cut++)
        {
            foreach (int tear in tears)
            {
                var flash = new FaultyStorage { Loss = PowerLoss.Throws };
                before(flash);
                flash.CutAt = setup + cut;
                flash.TornBytes = tear;
                Assert.ThrowsExactly<PowerCutException>(() => operation(flash));
                flash.PowerOn();
                if (landed(flash, $"cut at write {cut}/{writes}, torn {tear}"))
                {
                    count++;
                }

                cuts++;
            }
        }

        return count;
    }
}
