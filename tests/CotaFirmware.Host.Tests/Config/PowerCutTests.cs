using CotaFirmware.Config;

namespace CotaFirmware.HostTests.Config;

/// <summary>
/// The store's invariant, proven by cutting power at every write of an operation (boot writes included), both cleanly
/// and with the last write torn at several points, then rebooting: the active config is exactly the old or the new one,
/// and the store still takes the next config.
/// </summary>
[TestClass]
public sealed class PowerCutTests
{
    private const int TrialLimit = 3;
    private const int Chunk = 700;

    private static readonly byte[] Old = Content(1, 3000);
    private static readonly byte[] New = Content(2, 4100);
    private static readonly byte[] Next = Content(3, 1500);

    public TestContext TestContext { get; set; } = null!;

    private static byte[] Content(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static ConfigStore Boot(IStorage storage)
    {
        var store = new ConfigStore(storage, new byte[256], 1 << 20, TrialLimit);
        store.Boot();
        return store;
    }

    private static ConfigStatus Commit(ConfigStore store, string id, byte[] content, bool onTrial)
    {
        byte[] idBytes = System.Text.Encoding.ASCII.GetBytes(id);
        var status = store.Begin(idBytes, 0, idBytes.Length, content.Length);
        for (int done = 0; status == ConfigStatus.Ok && done < content.Length; done += Chunk)
        {
            status = store.Append(content, done, Math.Min(Chunk, content.Length - done));
        }

        if (status == ConfigStatus.Ok)
        {
            status = Seal(store, System.Security.Cryptography.SHA256.HashData(content));
        }

        return status == ConfigStatus.Ok ? store.Commit(onTrial) : status;
    }

    private static ConfigStatus Seal(ConfigStore store, byte[] digest)
    {
        ConfigStatus status;
        while ((status = store.Seal(digest, 0)) == ConfigStatus.InProgress)
        {
        }

        return status;
    }

    private static byte[]? Active(ConfigStore store)
    {
        var reader = new ConfigReader();
        if (store.OpenActive(reader) != ConfigStatus.Ok)
        {
            return null;
        }

        var result = new byte[reader.Length];
        var piece = new byte[333];
        int position = 0;
        int read;
        while ((read = reader.Read(piece, 0, piece.Length)) > 0)
        {
            Array.Copy(piece, 0, result, position, read);
            position += read;
        }

        Assert.AreEqual(0, read);
        Assert.AreEqual(result.Length, position);
        return result;
    }

    private static bool Same(byte[]? a, byte[]? b) => a == null ? b == null : b != null && a.AsSpan().SequenceEqual(b);

    private static int[] TearPoints(int size) =>
        size == 0 ? new[] { -1, 0 } : new[] { -1, 0, 1, size / 2, size - 1 }.Where(t => t < size).Distinct().ToArray();

    /// <summary>
    /// Runs <paramref name="operation"/> (which boots a store over the storage it is given) on a copy of <paramref name="baseline"/> once per write and
    /// tear point with power cut there, reboots, and checks the outcome; returns how many cut points ran.
    /// </summary>
    private int CutEverywhere(string name, MemoryStorage baseline, Action<IStorage> operation, byte[]? before, byte[] after,
        byte[]? lastGood, Action<ConfigStore, bool>? check = null)
    {
        var probe = baseline.Clone();
        operation(probe);
        var sizes = probe.WrittenCounts.Cast<int>().ToArray();
        Assert.IsTrue(sizes.Length > 0, name + ": the operation writes nothing");
        Assert.IsTrue(Same(Active(Boot(probe.Clone())), after), name + ": the uncut operation does not end at the new config");

        int cuts = 0;
        for (int n = 1; n <= sizes.Length; n++)
        {
            foreach (int tear in TearPoints(sizes[n - 1]))
            {
                string where = $"{name}: cut at write {n}/{sizes.Length} ({sizes[n - 1]} bytes), {(tear < 0 ? "clean" : tear + " bytes landed")}";
                var flash = baseline.Clone();
                var faulty = new FaultyStorage(flash, n, tear);
                operation(faulty);
                Assert.IsTrue(faulty.PowerOff, where + ": power never failed");

                var rebooted = Boot(flash);
                var active = Active(rebooted);
                bool isAfter = Same(active, after);
                Assert.IsTrue(isAfter || Same(active, before), where + ": active config is neither the one before nor the one after");
                check?.Invoke(rebooted, isAfter);

                // Whatever was interrupted, the store goes on: settle a trial, then take the next config.
                if (rebooted.IsOnTrial)
                {
                    bool confirm = cuts % 2 == 0;
                    Assert.AreEqual(ConfigStatus.Ok, confirm ? rebooted.Confirm() : rebooted.RollBack(), where);
                    if (!confirm)
                    {
                        Assert.IsTrue(Same(Active(rebooted), lastGood), where + ": rollback did not return to the last good config");
                    }
                }

                string activeArea = rebooted.ActiveSlot < 0 ? "" : ConfigSlot.AreaOf(rebooted.ActiveSlot);
                byte[] activeBefore = active == null ? Array.Empty<byte>() : active;
                Assert.AreEqual(ConfigStatus.Ok, Commit(rebooted, "next", Next, false), where + ": the next commit failed");
                var final = Boot(flash);
                Assert.IsTrue(Same(Active(final), Next), where + ": the next config did not become active");
                Assert.IsFalse(final.IsOnTrial, where);
                cuts++;
            }
        }

        TestContext.WriteLine($"{name}: {sizes.Length} writes, {cuts} cut points exercised");
        Console.WriteLine($"{name}: {sizes.Length} writes, {cuts} cut points exercised");
        return cuts;
    }

    private static MemoryStorage WithOld()
    {
        var flash = new MemoryStorage();
        Assert.AreEqual(ConfigStatus.Ok, Commit(Boot(flash), "old", Old, false));
        return flash;
    }

    private static MemoryStorage WithNewOnTrial(int boots)
    {
        var flash = WithOld();
        Assert.AreEqual(ConfigStatus.Ok, Commit(Boot(flash), "new", New, true));
        for (int i = 0; i < boots; i++)
        {
            Assert.AreEqual(ConfigStatus.TrialInProgress, Boot(flash).BootOutcome);
        }

        return flash;
    }

    [TestMethod]
    public void FirstCommitIsAllOrNothing()
    {
        int cuts = CutEverywhere("first commit", new MemoryStorage(), st => Commit(Boot(st), "new", New, false), null, New, null);
        Assert.IsTrue(cuts >= 30);
    }

    [TestMethod]
    public void ConfirmedCommitIsAllOrNothing()
    {
        int cuts = CutEverywhere("confirmed commit", WithOld(), st => Commit(Boot(st), "new", New, false), Old, New, Old,
            (store, isNew) => Assert.IsFalse(store.IsOnTrial));
        Assert.IsTrue(cuts >= 30);
    }

    [TestMethod]
    public void TrialCommitIsAllOrNothing()
    {
        int cuts = CutEverywhere("trial commit", WithOld(), st => Commit(Boot(st), "new", New, true), Old, New, Old,
            (store, isNew) => Assert.AreEqual(isNew, store.IsOnTrial, "only the new config can be on trial"));
        Assert.IsTrue(cuts >= 30);
    }

    [TestMethod]
    public void TrialCommitWithPendingRebootIsAllOrNothing()
    {
        int cuts = CutEverywhere("trial commit + pending reboot", WithOld(),
            st =>
            {
                var s = Boot(st);
                if (Commit(s, "new", New, true) == ConfigStatus.Ok)
                {
                    s.MarkRebootPending();
                }
            },
            Old, New, Old,
            (store, isNew) =>
            {
                Assert.AreEqual(isNew, store.IsOnTrial, "only the new config can be on trial");
                Assert.IsTrue(!store.RebootWasPending || isNew, "a reboot is pending only for the new config");
            });
        Assert.IsTrue(cuts >= 30);
    }

    [TestMethod]
    public void TrialCommitThenConfirmIsAllOrNothing()
    {
        int cuts = CutEverywhere("trial commit, reboot, confirm", WithOld(),
            st =>
            {
                var s = Boot(st);
                if (Commit(s, "new", New, true) == ConfigStatus.Ok)
                {
                    Boot(st).Confirm();
                }
            },
            Old, New, Old,
            (store, isNew) => Assert.IsTrue(isNew || !store.IsOnTrial, "the old config is never on trial"));
        Assert.IsTrue(cuts >= 40);
    }

    [TestMethod]
    public void TrialCommitThenRollBackIsAllOrNothing()
    {
        int cuts = CutEverywhere("trial commit, reboot, rollback", WithOld(),
            st =>
            {
                var s = Boot(st);
                if (Commit(s, "new", New, true) == ConfigStatus.Ok)
                {
                    Boot(st).RollBack();
                }
            },
            New, Old, Old,
            (store, isOld) => Assert.AreEqual(!isOld, store.IsOnTrial, "the old config is never on trial, the new one only on trial"));
        Assert.IsTrue(cuts >= 40);
    }

    [TestMethod]
    public void InterruptedCommitResumesToExactlyTheNewConfig()
    {
        var baseline = WithOld();
        var probe = baseline.Clone();
        Commit(Boot(probe), "new", New, false);
        int writes = probe.WrittenCounts.Count;
        byte[] id = System.Text.Encoding.ASCII.GetBytes("new");
        byte[] digest = System.Security.Cryptography.SHA256.HashData(New);
        int cuts = 0, resumed = 0;
        for (int n = 1; n <= writes; n++)
        {
            foreach (int tear in TearPoints((int)probe.WrittenCounts[n - 1]!))
            {
                string where = $"resume: cut at write {n}/{writes}, tear {tear}";
                var flash = baseline.Clone();
                Commit(Boot(new FaultyStorage(flash, n, tear)), "new", New, false);
                var store = Boot(flash);
                if (Same(Active(store), New))
                {
                    cuts++;
                    continue;
                }

                Assert.IsTrue(Same(Active(store), Old), where);
                var status = store.Resume(id, 0, id.Length, New.Length);
                if (status == ConfigStatus.Ok)
                {
                    resumed++;
                    int from = store.CandidateWritten;
                    for (int done = from; status == ConfigStatus.Ok && done < New.Length; done += Chunk)
                    {
                        status = store.Append(New, done, Math.Min(Chunk, New.Length - done));
                    }

                    Assert.AreEqual(ConfigStatus.Ok, status, where);
                    Assert.AreEqual(ConfigStatus.Ok, Seal(store, digest), where + ": resumed from " + from);
                    Assert.AreEqual(ConfigStatus.Ok, store.Commit(false), where);
                }
                else
                {
                    Assert.AreEqual(ConfigStatus.NothingToResume, status, where);
                    Assert.AreEqual(ConfigStatus.Ok, Commit(store, "new", New, false), where);
                }

                Assert.IsTrue(Same(Active(Boot(flash)), New), where);
                cuts++;
            }
        }

        TestContext.WriteLine($"resume after a cut commit: {writes} writes, {cuts} cut points exercised, {resumed} resumed");
        Console.WriteLine($"resume after a cut commit: {writes} writes, {cuts} cut points exercised, {resumed} resumed");
        Assert.IsTrue(resumed >= 20);
    }

    [TestMethod]
    public void ConfirmKeepsTheNewConfig()
    {
        int cuts = CutEverywhere("trial -> confirm", WithNewOnTrial(1), st => Boot(st).Confirm(), New, New, Old,
            (store, isNew) => Assert.IsTrue(isNew, "confirming lost the new config"));
        Assert.IsTrue(cuts >= 5);
    }

    [TestMethod]
    public void RollBackIsAllOrNothing()
    {
        int cuts = CutEverywhere("trial -> rollback", WithNewOnTrial(1), st => Boot(st).RollBack(), New, Old, Old,
            (store, isOld) => Assert.AreEqual(!isOld, store.IsOnTrial, "the old config is never on trial, the new one stays on trial"));
        Assert.IsTrue(cuts >= 5);
    }

    [TestMethod]
    public void BootLoopGuardRollsBackEvenWhenItsOwnWriteIsCut()
    {
        // The trial has used up its boots: this boot rolls it back; a cut there is redone by the next boot.
        int cuts = CutEverywhere("boot-loop guard", WithNewOnTrial(TrialLimit), st => Boot(st), Old, Old, Old,
            (store, isOld) => Assert.IsTrue(!store.IsOnTrial && store.BootOutcome != ConfigStatus.TrialInProgress));
        Assert.IsTrue(cuts >= 5);
    }

    [TestMethod]
    public void CountedTrialBootIsAllOrNothing()
    {
        int cuts = CutEverywhere("trial boot count", WithNewOnTrial(0), st => Boot(st), New, New, Old,
            (store, isNew) => Assert.IsTrue(store.IsOnTrial && store.TrialBoots >= 1 && store.TrialBoots <= 2));
        Assert.IsTrue(cuts >= 5);
    }
}
