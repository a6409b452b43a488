using CotaFirmware.Config;
using CotaFirmware.Crypto;

namespace CotaFirmware.Tests.Config;

[TestClass]
public class ConfigStoreTests
{
    // The last good config and the one on trial after it, in the trial tests.
    private static readonly byte[] Older = ConfigFixture.Content(1, 70);
    private static readonly byte[] Newer = ConfigFixture.Content(2, 90);

    // A later release lowered the largest config: a slot larger than that is not this firmware's to run.
    [TestMethod]
    public void ASlotLargerThanThisFirmwareTakesIsNotRun()
    {
        var storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        byte[] small = ConfigFixture.Content(1, 300);
        Expect.Status(ConfigStatus.Ok, ConfigFixture.Commit(store, "cfg-1", small, false));
        Expect.Status(ConfigStatus.Ok, ConfigFixture.Commit(store, "cfg-2", ConfigFixture.Content(2, 3000), false));

        store = new ConfigStore(storage, new byte[ConfigStore.HeaderSize], 1024, 3);
        store.Boot();
        Assert.IsTrue(ConfigFixture.ActiveIs(store, small));
    }

    [TestMethod]
    public void AConfigWithTheLongestConfigIdRunsAfterAReboot()
    {
        var storage = new MemoryStorage();
        byte[] content = ConfigFixture.Content(1, 300);
        Expect.Status(ConfigStatus.Ok, ConfigFixture.Commit(ConfigFixture.Boot(storage, 3), new string('i', ConfigStore.MaxConfigIdLength), content, false));
        Assert.IsTrue(ConfigFixture.ActiveIs(ConfigFixture.Boot(storage, 3), content));
    }

    [TestMethod]
    public void EmptyStorageBootsWithNoConfig()
    {
        ConfigStore store = ConfigFixture.Boot(new MemoryStorage(), 3);
        Expect.Status(ConfigStatus.NoConfig, store.BootOutcome);
        Assert.AreEqual(ConfigSlot.None, store.ActiveSlot);
        Assert.AreEqual(ConfigSlot.None, store.LastGoodSlot);
        Assert.AreEqual(-1, store.ActiveLength);
        Expect.Status(ConfigStatus.NoConfig, store.OpenActive(new ConfigReader()));
    }

    [TestMethod]
    public void CommittedConfigIsReadBackAfterReboot()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        byte[] content = ConfigFixture.Content(1, 5000);
        Expect.Status(ConfigStatus.Ok, ConfigFixture.Commit(store, "cfg-001", content, false));
        Assert.IsTrue(ConfigFixture.ActiveIs(store, content));

        ConfigStore rebooted = ConfigFixture.Boot(storage, 3);
        Expect.Status(ConfigStatus.Ok, rebooted.BootOutcome);
        Assert.IsTrue(ConfigFixture.ActiveIs(rebooted, content));
        Assert.AreEqual(5000, rebooted.ActiveLength);
        Assert.AreEqual(rebooted.ActiveSlot, rebooted.LastGoodSlot);
        byte[] id = ConfigFixture.Ascii("cfg-001");
        Assert.IsTrue(rebooted.ActiveConfigIdEquals(id, 0, id.Length));
        Assert.IsFalse(rebooted.ActiveConfigIdEquals(id, 0, id.Length - 1));
        byte[] copy = new byte[ConfigStore.MaxConfigIdLength];
        Assert.AreEqual(id.Length, rebooted.CopyActiveConfigId(copy, 0));
        Assert.AreEqual((byte)'1', copy[6]);
    }

    [TestMethod]
    public void EmptyConfigIsAValidConfig()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        Expect.Status(ConfigStatus.Ok, ConfigFixture.Commit(store, "", new byte[0], false));
        ConfigStore rebooted = ConfigFixture.Boot(storage, 3);
        Assert.AreEqual(0, rebooted.ActiveLength);
        Assert.IsTrue(ConfigFixture.ActiveIs(rebooted, new byte[0]));
    }

    [TestMethod]
    public void HighestSequenceWinsAndSlotsAlternate()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        int previousSlot = ConfigSlot.None;
        uint previousSequence = 0;
        for (int i = 0; i < 5; i++)
        {
            byte[] content = ConfigFixture.Content(10 + i, 300 + i);
            Expect.Status(ConfigStatus.Ok, ConfigFixture.Commit(store, "c" + i, content, false));
            Assert.IsTrue(store.ActiveSlot != previousSlot);
            Assert.IsTrue(store.ActiveSequence > previousSequence);
            previousSlot = store.ActiveSlot;
            previousSequence = store.ActiveSequence;

            ConfigStore rebooted = ConfigFixture.Boot(storage, 3);
            Assert.AreEqual(previousSlot, rebooted.ActiveSlot);
            Assert.IsTrue(ConfigFixture.ActiveIs(rebooted, content));
            store = rebooted;
        }
    }

    [TestMethod]
    public void CorruptHeaderFallsBackToTheOtherSlot()
    {
        for (int position = 0; position < ConfigStore.HeaderSize; position += 9)
        {
            MemoryStorage storage = new MemoryStorage();
            ConfigStore store = ConfigFixture.Boot(storage, 3);
            byte[] older = ConfigFixture.Content(1, 400);
            byte[] newer = ConfigFixture.Content(2, 400);
            ConfigFixture.Commit(store, "old", older, false);
            ConfigFixture.Commit(store, "new", newer, false);
            storage.Corrupt(ConfigSlot.AreaOf(store.ActiveSlot), position);

            ConfigStore rebooted = ConfigFixture.Boot(storage, 3);
            Assert.IsTrue(ConfigFixture.ActiveIs(rebooted, older), "header byte " + position.ToString());
        }
    }

    [TestMethod]
    public void CorruptContentFallsBackToTheOtherSlot()
    {
        int[] positions = new int[] { 0, 1, 500, 998, 999 };
        for (int p = 0; p < positions.Length; p++)
        {
            MemoryStorage storage = new MemoryStorage();
            ConfigStore store = ConfigFixture.Boot(storage, 3);
            byte[] older = ConfigFixture.Content(1, 1000);
            byte[] newer = ConfigFixture.Content(2, 1000);
            ConfigFixture.Commit(store, "old", older, false);
            ConfigFixture.Commit(store, "new", newer, false);
            storage.Corrupt(ConfigSlot.AreaOf(store.ActiveSlot), ConfigStore.HeaderSize + positions[p]);

            ConfigStore rebooted = ConfigFixture.Boot(storage, 3);
            Assert.IsTrue(ConfigFixture.ActiveIs(rebooted, older));
            Assert.AreEqual(rebooted.ActiveSlot, rebooted.LastGoodSlot);
        }
    }

    [TestMethod]
    public void ConfirmedBootHashesOnlyTheActiveSlot()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        ConfigFixture.Commit(store, "old", ConfigFixture.Content(1, 20000), false);
        ConfigFixture.Commit(store, "new", ConfigFixture.Content(2, 20000), false);
        storage.BytesRead = 0;
        ConfigFixture.Boot(storage, 3);
        Assert.IsTrue(storage.BytesRead >= 20000 && storage.BytesRead < 21000);

        // During a trial the last good slot may have to run, so it is checked too.
        ConfigFixture.Commit(ConfigFixture.Boot(storage, 3), "trial", ConfigFixture.Content(3, 20000), true);
        storage.BytesRead = 0;
        ConfigStore onTrial = ConfigFixture.Boot(storage, 3);
        Assert.IsTrue(storage.BytesRead >= 40000);
        Assert.IsTrue(onTrial.LastGoodSlot != ConfigSlot.None);
    }

    [TestMethod]
    public void CorruptLastGoodSlotLeavesATrialWithNoFallback()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        ConfigFixture.Commit(store, "old", ConfigFixture.Content(1, 300), false);
        int oldSlot = store.ActiveSlot;
        byte[] newer = ConfigFixture.Content(2, 300);
        ConfigFixture.Commit(store, "new", newer, true);
        storage.Corrupt(ConfigSlot.AreaOf(oldSlot), ConfigStore.HeaderSize + 10);
        store = ConfigFixture.Boot(storage, 3);
        Assert.IsTrue(store.IsOnTrial);
        Assert.AreEqual(ConfigSlot.None, store.LastGoodSlot);
        Assert.IsTrue(ConfigFixture.ActiveIs(store, newer));
    }

    [TestMethod]
    public void ARejectedConfigStaysRejectedWhenTheNextTrialIsRolledBackWithoutALastGoodOne()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        ConfigFixture.Commit(store, "good", ConfigFixture.Content(1, 300), false);
        int goodSlot = store.ActiveSlot;
        ConfigFixture.Commit(store, "bad1", ConfigFixture.Content(2, 300), true);
        Expect.Status(ConfigStatus.Ok, store.RollBack());

        // The last good config is lost: nothing runs, and the other slot holds the rejected bad1.
        storage.Corrupt(ConfigSlot.AreaOf(goodSlot), ConfigStore.HeaderSize + 10);
        store = ConfigFixture.Boot(storage, 3);
        Expect.Status(ConfigStatus.NoConfig, store.BootOutcome);

        ConfigFixture.Commit(store, "bad2", ConfigFixture.Content(3, 300), true);
        Expect.Status(ConfigStatus.Ok, store.RollBack());
        store = ConfigFixture.Boot(storage, 3);
        Expect.Status(ConfigStatus.NoConfig, store.BootOutcome, "bad1 must not come back as a confirmed config");
        Assert.AreEqual(ConfigSlot.None, store.ActiveSlot);
    }

    [TestMethod]
    public void ShortenedOrExtendedSlotIsIgnored()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        byte[] older = ConfigFixture.Content(1, 100);
        ConfigFixture.Commit(store, "old", older, false);
        ConfigFixture.Commit(store, "new", ConfigFixture.Content(2, 100), false);
        string area = ConfigSlot.AreaOf(store.ActiveSlot);
        storage.Truncate(area, ConfigStore.HeaderSize + 99);
        Assert.IsTrue(ConfigFixture.ActiveIs(ConfigFixture.Boot(storage, 3), older));

        storage.Write(area, ConfigStore.HeaderSize + 99, new byte[2], 0, 2);
        Assert.IsTrue(ConfigFixture.ActiveIs(ConfigFixture.Boot(storage, 3), older));
    }

    [TestMethod]
    public void BothSlotsCorruptMeansNoConfig()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        ConfigFixture.Commit(store, "a", ConfigFixture.Content(1, 10), false);
        ConfigFixture.Commit(store, "b", ConfigFixture.Content(2, 10), false);
        storage.Corrupt(ConfigSlot.AreaA, 8);
        storage.Corrupt(ConfigSlot.AreaB, ConfigStore.HeaderSize + 3);
        ConfigStore rebooted = ConfigFixture.Boot(storage, 3);
        Expect.Status(ConfigStatus.NoConfig, rebooted.BootOutcome);
        Assert.AreEqual(ConfigSlot.None, rebooted.ActiveSlot);
    }

    [TestMethod]
    public void ActiveSlotIsNeverWritten()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 2);
        ConfigFixture.Commit(store, "first", ConfigFixture.Content(1, 64), false);
        for (int round = 0; round < 6; round++)
        {
            string active = ConfigSlot.AreaOf(store.ActiveSlot);
            storage.ClearLog();
            bool trial = round % 2 == 0;
            Expect.Status(ConfigStatus.Ok, ConfigFixture.Commit(store, "r" + round, ConfigFixture.Content(round, 2000), trial));
            Assert.IsFalse(storage.WasWritten(active), "commit wrote the active slot");
            Assert.IsTrue(storage.WasWritten(ConfigSlot.AreaOf(store.ActiveSlot)));

            if (trial)
            {
                // During a trial both slots are precious: boots, a refused stage, confirm and rollback write neither.
                string onTrial = ConfigSlot.AreaOf(store.ActiveSlot);
                storage.ClearLog();
                store = ConfigFixture.Boot(storage, 2);
                Expect.Status(ConfigStatus.TrialInProgress, ConfigFixture.Commit(store, "x", ConfigFixture.Content(9, 10), false));
                if (round % 4 == 0)
                {
                    store.Confirm();
                }
                else
                {
                    store.RollBack();
                }

                Assert.IsFalse(storage.WasWritten(active));
                Assert.IsFalse(storage.WasWritten(onTrial));
            }
        }
    }

    [TestMethod]
    public void TrialThenConfirmKeepsTheNewConfig()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        byte[] older = ConfigFixture.Content(1, 700);
        byte[] newer = ConfigFixture.Content(2, 900);
        ConfigFixture.Commit(store, "old", older, false);
        int oldSlot = store.ActiveSlot;
        Expect.Status(ConfigStatus.NotOnTrial, store.Confirm());
        Expect.Status(ConfigStatus.Ok, ConfigFixture.Commit(store, "new", newer, true));
        Assert.IsTrue(store.IsOnTrial);
        Assert.AreEqual(oldSlot, store.LastGoodSlot);
        Assert.IsTrue(ConfigFixture.ActiveIs(store, newer));

        store = ConfigFixture.Boot(storage, 3);
        Expect.Status(ConfigStatus.TrialInProgress, store.BootOutcome);
        Assert.AreEqual(1, store.TrialBoots);
        Assert.IsTrue(ConfigFixture.ActiveIs(store, newer));
        Expect.Status(ConfigStatus.Ok, store.Confirm());
        Assert.IsFalse(store.IsOnTrial);
        Assert.AreEqual(store.ActiveSlot, store.LastGoodSlot);

        for (int boot = 0; boot < 5; boot++)
        {
            store = ConfigFixture.Boot(storage, 3);
            Expect.Status(ConfigStatus.Ok, store.BootOutcome);
            Assert.IsTrue(ConfigFixture.ActiveIs(store, newer));
        }
    }

    [TestMethod]
    public void TrialThenRollBackReturnsToTheLastGoodConfig()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        byte[] older = ConfigFixture.Content(1, 700);
        byte[] newer = ConfigFixture.Content(2, 900);
        ConfigFixture.Commit(store, "old", older, false);
        int oldSlot = store.ActiveSlot;
        ConfigFixture.Commit(store, "new", newer, true);
        Expect.Status(ConfigStatus.Ok, store.RollBack());
        Assert.IsFalse(store.IsOnTrial);
        Assert.AreEqual(oldSlot, store.ActiveSlot);
        Assert.IsTrue(ConfigFixture.ActiveIs(store, older));
        Expect.Status(ConfigStatus.NotOnTrial, store.RollBack());

        store = ConfigFixture.Boot(storage, 3);
        Expect.Status(ConfigStatus.Ok, store.BootOutcome);
        Assert.IsTrue(ConfigFixture.ActiveIs(store, older));

        // The rejected slot takes the next config, which then wins.
        byte[] next = ConfigFixture.Content(3, 50);
        Expect.Status(ConfigStatus.Ok, ConfigFixture.Commit(store, "next", next, false));
        Assert.AreEqual(1 - oldSlot, store.ActiveSlot);
        Assert.IsTrue(ConfigFixture.ActiveIs(ConfigFixture.Boot(storage, 3), next));
    }

    [TestMethod]
    public void RollBackOfTheFirstConfigLeavesNoConfig()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        ConfigFixture.Commit(store, "first", ConfigFixture.Content(1, 10), true);
        Assert.AreEqual(ConfigSlot.None, store.LastGoodSlot);
        Expect.Status(ConfigStatus.Ok, store.RollBack());
        Assert.AreEqual(ConfigSlot.None, store.ActiveSlot);
        Expect.Status(ConfigStatus.NoConfig, ConfigFixture.Boot(storage, 3).BootOutcome);
    }

    [TestMethod]
    public void UnconfirmedTrialRollsBackAfterTheBoardsLimitOfBoots()
    {
        for (int limit = 1; limit <= 3; limit++)
        {
            MemoryStorage storage = new MemoryStorage();
            ConfigStore store = ConfigFixture.OnTrial(storage, Older, Newer, limit);
            for (int boot = 1; boot <= limit; boot++)
            {
                store = ConfigFixture.Boot(storage, limit);
                Expect.Status(ConfigStatus.TrialInProgress, store.BootOutcome);
                Assert.AreEqual(boot, store.TrialBoots);
                Assert.IsTrue(ConfigFixture.ActiveIs(store, Newer));
            }

            store = ConfigFixture.Boot(storage, limit);
            Expect.Status(ConfigStatus.RolledBack, store.BootOutcome);
            Assert.IsFalse(store.IsOnTrial);
            Assert.IsTrue(ConfigFixture.ActiveIs(store, Older));
            store = ConfigFixture.Boot(storage, limit);
            Expect.Status(ConfigStatus.Ok, store.BootOutcome);
            Assert.IsTrue(ConfigFixture.ActiveIs(store, Older));
        }
    }

    [TestMethod]
    public void ATrialBootThatCannotCountItselfRunsTheLastGoodConfig()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigFixture.OnTrial(storage, Older, Newer, 3);

        // The boot's count cannot be saved: the config on trial does not run uncounted.
        storage.FailWrites = true;
        ConfigStore store = new ConfigStore(storage, new byte[ConfigStore.HeaderSize], ConfigFixture.MaxLength, 3);
        Expect.Status(ConfigStatus.StorageFailed, store.Boot());
        Expect.Status(ConfigStatus.RolledBack, store.BootOutcome);
        Assert.IsTrue(ConfigFixture.ActiveIs(store, Older));
        Assert.IsFalse(store.IsOnTrial);

        // Flash works again: the trial is still there, counted from where it was.
        storage.FailWrites = false;
        StillOnTrialAtItsFirstCountedBoot(storage);
    }

    [TestMethod]
    public void ATrialCommitCutAtAnyWriteBootsTheOldConfigOrTheNewOneOnTrial()
    {
        for (int cut = 1; ; cut++)
        {
            MemoryStorage flash = new MemoryStorage();
            FaultyStorage faulty = new FaultyStorage(flash, 0, 8);
            ConfigStore store = ConfigFixture.Boot(faulty, 3);
            Expect.Status(ConfigStatus.Ok, ConfigFixture.Commit(store, "old", Older, false));
            Expect.Status(ConfigStatus.Ok, ConfigFixture.Stage(store, "new", Newer, 16));

            // Power fails at the commit's write number cut, with 8 bytes of it landed.
            int before = faulty.Mutations;
            faulty.CutAt = before + cut;
            ConfigStatus committed = store.Commit(true);
            bool cutInCommit = faulty.PowerOff;

            store = ConfigFixture.Boot(flash, 3);
            bool runsNew = ConfigFixture.ActiveIs(store, Newer);
            Assert.IsTrue(runsNew ? store.IsOnTrial : ConfigFixture.ActiveIs(store, Older),
                "cut at write " + cut.ToString() + ": the old config, or the new one on trial");
            if (!cutInCommit)
            {
                Expect.Status(ConfigStatus.Ok, committed);
                Assert.IsTrue(runsNew && cut > 2, "every write of the commit was cut in turn: " + (cut - 1).ToString());
                return;
            }
        }
    }

    [TestMethod]
    public void ACommitReportedFailedNeverRunsAtTheNextBoot()
    {
        for (int failure = 0; failure < 2; failure++)
        {
            MemoryStorage storage = new MemoryStorage();
            ConfigStore store = ConfigFixture.Boot(storage, 3);
            Expect.Status(ConfigStatus.Ok, ConfigFixture.Stage(store, "old", Older, 16));
            Expect.Status(ConfigStatus.Ok, store.Commit(false));
            Expect.Status(ConfigStatus.Ok, ConfigFixture.Stage(store, "new", Newer, 16));
            string candidate = ConfigSlot.AreaOf(1 - store.ActiveSlot);

            // The header lands, but its read-back fails (0), or the write is reported failed after landing whole (1).
            storage.UnreadableArea = failure == 0 ? candidate : null;
            storage.FailsAfterWriting = failure == 1 ? candidate : null;
            Expect.Status(failure == 0 ? ConfigStatus.VerifyFailed : ConfigStatus.StorageFailed, store.Commit(true));
            storage.UnreadableArea = null;
            storage.FailsAfterWriting = null;

            store = ConfigFixture.Boot(storage, 3);
            Expect.Status(ConfigStatus.Ok, store.BootOutcome);
            Assert.IsTrue(ConfigFixture.ActiveIs(store, Older), "the config its caller was told failed does not run");
            Assert.IsFalse(store.IsOnTrial);
        }
    }

    [TestMethod]
    public void ATrialSlotThatCannotBeReadAtOneBootIsStillOnTrialAtTheNext()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.OnTrial(storage, Older, Newer, 3);

        // A read error on the trial's slot: this boot runs the last good config.
        storage.UnreadableArea = ConfigSlot.AreaOf(store.ActiveSlot);
        store = ConfigFixture.Boot(storage, 3);
        Expect.Status(ConfigStatus.Ok, store.BootOutcome);
        Assert.IsTrue(ConfigFixture.ActiveIs(store, Older));

        // Readable again, the config is still on trial, never confirmed by the failed read.
        storage.UnreadableArea = null;
        StillOnTrialAtItsFirstCountedBoot(storage);
    }

    [TestMethod]
    public void ARolledBackConfigDoesNotRunAgainWhenTheTrialStateCannotBeRead()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.OnTrial(storage, Older, Newer, 3);
        Expect.Status(ConfigStatus.Ok, store.RollBack());

        // A read error on both copies of the trial state (cfg-s0, cfg-s1) says nothing of the rollback it holds.
        storage.UnreadableArea = "cfg-s";
        store = new ConfigStore(storage, new byte[ConfigStore.HeaderSize], ConfigFixture.MaxLength, 3);
        ConfigStatus booted = store.Boot();
        Assert.IsTrue(ConfigFixture.ActiveIs(store, Older), "the rolled-back config never runs again");
        Expect.Status(ConfigStatus.StorageFailed, booted);
        Expect.Status(StorageStatus.Failed, store.LastStorageError);

        storage.UnreadableArea = null;
        store = ConfigFixture.Boot(storage, 3);
        Expect.Status(ConfigStatus.Ok, store.BootOutcome);
        Assert.IsTrue(ConfigFixture.ActiveIs(store, Older));
    }

    [TestMethod]
    public void ARolledBackConfigDoesNotRunAgainWhenOneCopyOfTheTrialStateCannotBeRead()
    {
        // One copy holds the rollback, the other the trial before it: whichever does not read may be the newer.
        string[] copies = { "cfg-s0", "cfg-s1" };
        foreach (string copy in copies)
        {
            MemoryStorage storage = new MemoryStorage();
            ConfigStore store = ConfigFixture.OnTrial(storage, Older, Newer, 3);
            Expect.Status(ConfigStatus.Ok, store.RollBack());

            storage.UnreadableArea = copy;
            store = new ConfigStore(storage, new byte[ConfigStore.HeaderSize], ConfigFixture.MaxLength, 3);
            Expect.Status(ConfigStatus.StorageFailed, store.Boot());
            Assert.IsTrue(ConfigFixture.ActiveIs(store, Older), "the rolled-back config never runs again (" + copy + " unread)");
            Assert.IsFalse(store.IsOnTrial);
        }
    }

    [TestMethod]
    public void ATrialStateThatCannotBeReadRunsTheLastGoodConfigAndIsNotOverwritten()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigFixture.OnTrial(storage, Older, Newer, 3);

        // Whether Newer is on trial is unknown: it does not run uncounted, and no save (which the copy that could
        // not be read may outrank) and no staging (into the slot of a config perhaps confirmed) happens.
        storage.UnreadableArea = "cfg-s";
        ConfigStore store = new ConfigStore(storage, new byte[ConfigStore.HeaderSize], ConfigFixture.MaxLength, 3);
        ConfigStatus booted = store.Boot();
        Assert.IsTrue(ConfigFixture.ActiveIs(store, Older), "not the config perhaps on trial, uncounted");
        Assert.IsFalse(store.IsOnTrial);
        Expect.Status(ConfigStatus.StorageFailed, booted);
        byte[] id = ConfigFixture.Ascii("x");
        Expect.Status(ConfigStatus.StorageFailed, store.Begin(id, 0, 1, 10));
        Expect.Status(ConfigStatus.StorageFailed, store.MarkRebootPending());

        storage.UnreadableArea = null;
        StillOnTrialAtItsFirstCountedBoot(storage);
    }

    // The next boot finds Newer still on trial and counts its first boot.
    private static void StillOnTrialAtItsFirstCountedBoot(MemoryStorage storage)
    {
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        Expect.Status(ConfigStatus.TrialInProgress, store.BootOutcome);
        Assert.AreEqual(1, store.TrialBoots);
        Assert.IsTrue(ConfigFixture.ActiveIs(store, Newer));
    }

    [TestMethod]
    public void AConfirmThatCannotBeSavedLeavesTheTrialAsItWasForARollBack()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.OnTrial(storage, Older, Newer, 3);

        storage.FailWrites = true;
        Expect.Status(ConfigStatus.StorageFailed, store.Confirm());
        Assert.IsTrue(store.IsOnTrial, "still on trial in memory, as in flash");

        storage.FailWrites = false;
        Expect.Status(ConfigStatus.Ok, store.RollBack());
        Assert.IsTrue(ConfigFixture.ActiveIs(store, Older), "the rollback rolled back, not confirmed");
        store = ConfigFixture.Boot(storage, 3);
        Expect.Status(ConfigStatus.Ok, store.BootOutcome);
        Assert.IsTrue(ConfigFixture.ActiveIs(store, Older), "and so it stays after a boot");
    }

    [TestMethod]
    public void NothingCanBeStagedDuringATrial()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        ConfigFixture.Commit(store, "old", ConfigFixture.Content(1, 10), false);
        ConfigFixture.Commit(store, "new", ConfigFixture.Content(2, 10), true);
        byte[] id = ConfigFixture.Ascii("x");
        Expect.Status(ConfigStatus.TrialInProgress, store.Begin(id, 0, 1, 10));
        store.Confirm();
        Expect.Status(ConfigStatus.Ok, store.Begin(id, 0, 1, 10));
    }

    [TestMethod]
    public void PendingRebootIsConsumedByTheNextBoot()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        Assert.IsFalse(store.RebootWasPending);
        ConfigFixture.Commit(store, "new", ConfigFixture.Content(2, 10), true);
        Expect.Status(ConfigStatus.Ok, store.MarkRebootPending());

        store = ConfigFixture.Boot(storage, 3);
        Assert.IsTrue(store.RebootWasPending);
        Assert.IsTrue(store.IsOnTrial);
        store = ConfigFixture.Boot(storage, 3);
        Assert.IsFalse(store.RebootWasPending);
    }

    [TestMethod]
    public void CandidateIsReadableBeforeCommitAndNotActiveUntilThen()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        byte[] older = ConfigFixture.Content(1, 300);
        byte[] candidate = ConfigFixture.Content(2, 3000);
        ConfigFixture.Commit(store, "old", older, false);
        Expect.Status(ConfigStatus.Ok, ConfigFixture.Stage(store, "cand", candidate, 333));
        ConfigReader reader = new ConfigReader();
        Expect.Status(ConfigStatus.Ok, store.OpenCandidate(reader));
        Assert.IsTrue(ConfigFixture.ReaderHolds(reader, candidate));
        Assert.IsTrue(ConfigFixture.ActiveIs(store, older));

        // A reboot before commit forgets the candidate.
        ConfigStore rebooted = ConfigFixture.Boot(storage, 3);
        Assert.IsTrue(ConfigFixture.ActiveIs(rebooted, older));
        Expect.Status(ConfigStatus.WrongStage, rebooted.Commit(false));
        Expect.Status(ConfigStatus.WrongStage, rebooted.OpenCandidate(reader));
    }

    [TestMethod]
    public void SealChecksTheExpectedDigestAndTheLength()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        byte[] content = ConfigFixture.Content(5, 200);
        byte[] digest = new byte[32];
        Sha256 sha = new Sha256();
        sha.Update(content, 0, content.Length);
        sha.Final(digest, 0);
        byte[] id = ConfigFixture.Ascii("id");

        store.Begin(id, 0, id.Length, 200);
        store.Append(content, 0, 199);
        Expect.Status(ConfigStatus.LengthMismatch, ConfigFixture.Seal(store, digest));
        Expect.Status(ConfigStatus.LengthMismatch, store.Append(content, 0, 2));
        store.Append(content, 199, 1);
        digest[31] ^= 1;
        Expect.Status(ConfigStatus.DigestMismatch, ConfigFixture.Seal(store, digest));
        Expect.Status(ConfigStatus.WrongStage, store.Commit(false));
        Assert.AreEqual(ConfigSlot.None, store.ActiveSlot);

        digest[31] ^= 1;
        store.Begin(id, 0, id.Length, 200);
        store.Append(content, 0, 200);
        Expect.Status(ConfigStatus.Ok, ConfigFixture.Seal(store, digest));
        Expect.Status(ConfigStatus.WrongStage, store.Append(content, 0, 1));
        Expect.Status(ConfigStatus.Ok, store.Commit(false));
        byte[] stored = new byte[32];
        Assert.IsTrue(store.CopyActiveDigest(stored, 0));
        Assert.AreEqual(digest[0], stored[0]);
        Assert.AreEqual(digest[31], stored[31]);
    }

    [TestMethod]
    public void BadSizesAndIdsAreRefused()
    {
        ConfigStore store = ConfigFixture.Boot(new MemoryStorage(), 3);
        byte[] id = new byte[ConfigStore.MaxConfigIdLength + 1];
        Expect.Status(ConfigStatus.TooLarge, store.Begin(id, 0, 1, ConfigFixture.MaxLength + 1));
        Expect.Status(ConfigStatus.TooLarge, store.Begin(id, 0, 1, -1));
        Expect.Status(ConfigStatus.ConfigIdTooLong, store.Begin(id, 0, id.Length, 10));
        Expect.Status(ConfigStatus.Ok, store.Begin(id, 0, ConfigStore.MaxConfigIdLength, 10));
        Expect.Status(ConfigStatus.WrongStage, new ConfigStore(new MemoryStorage(), new byte[128], 10, 1).Append(id, 0, 1));
    }

    [TestMethod]
    public void ProgrammingErrorsThrow()
    {
        Expect.Throws(typeof(ArgumentException), () => new ConfigStore(new MemoryStorage(), new TestDigest(4), new byte[128], 10, 1));
        Expect.Throws(typeof(ArgumentException), () => new ConfigStore(new MemoryStorage(), new byte[127], 10, 1));
        Expect.Throws(typeof(ArgumentException), () => new ConfigStore(new MemoryStorage(), new byte[128], 10, 0));
        Expect.Throws(typeof(ArgumentNullException), () => new ConfigStore(null, new byte[128], 10, 1));
        Expect.Throws(typeof(ArgumentNullException), () => new ConfigStore(new MemoryStorage(), null, new byte[128], 10, 1));
        ConfigStore store = new ConfigStore(new MemoryStorage(), new byte[128], 10, 1);
        Expect.Throws(typeof(InvalidOperationException), () => store.Confirm());
    }

    [TestMethod]
    public void ReaderSeeksAndStopsAtTheEnd()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        byte[] content = ConfigFixture.Content(4, 50);
        ConfigFixture.Commit(store, "r", content, false);
        ConfigReader reader = new ConfigReader();
        store.OpenActive(reader);
        reader.Seek(45);
        byte[] buffer = new byte[20];
        Assert.AreEqual(5, reader.Read(buffer, 0, 20));
        Assert.AreEqual(content[49], buffer[4]);
        Assert.AreEqual(0, reader.Read(buffer, 0, 20));
        Assert.AreEqual(50, reader.Position);
        reader.Seek(0);
        Assert.IsTrue(ConfigFixture.ReaderHolds(reader, content));
    }

    [TestMethod]
    public void CandidateResumesAfterARebootWhereItStopped()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        byte[] older = ConfigFixture.Content(1, 100);
        byte[] content = ConfigFixture.Content(2, 1000);
        byte[] id = ConfigFixture.Ascii("resumable");
        ConfigFixture.Commit(store, "old", older, false);
        store.Begin(id, 0, id.Length, content.Length);
        store.Append(content, 0, 400);
        store.Append(content, 400, 250);

        store = ConfigFixture.Boot(storage, 3);
        Assert.IsTrue(ConfigFixture.ActiveIs(store, older));
        Expect.Status(ConfigStatus.NothingToResume, store.Resume(id, 0, id.Length, content.Length + 1));
        Expect.Status(ConfigStatus.NothingToResume, store.Resume(id, 1, id.Length - 1, content.Length));
        Expect.Status(ConfigStatus.Ok, store.Resume(id, 0, id.Length, content.Length));
        Assert.AreEqual(650, store.CandidateWritten);
        Expect.Status(ConfigStatus.Ok, store.Append(content, 650, 350));
        Expect.Status(ConfigStatus.Ok, ConfigFixture.Seal(store, null));
        Expect.Status(ConfigStatus.Ok, store.Commit(false));
        Assert.IsTrue(ConfigFixture.ActiveIs(ConfigFixture.Boot(storage, 3), content));

        // A committed config is not a candidate any more.
        store = ConfigFixture.Boot(storage, 3);
        Expect.Status(ConfigStatus.NothingToResume, store.Resume(id, 0, id.Length, content.Length));
    }

    [TestMethod]
    public void ResumedCandidateWithWrongBytesFailsItsCheck()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        byte[] content = ConfigFixture.Content(2, 300);
        byte[] id = ConfigFixture.Ascii("r");
        store.Begin(id, 0, 1, content.Length);
        store.Append(content, 0, 200);
        storage.Corrupt(ConfigSlot.AreaOf(store.CandidateSlot), ConfigStore.HeaderSize + 5);

        store = ConfigFixture.Boot(storage, 3);
        byte[] digest = new byte[32];
        Sha256 sha = new Sha256();
        sha.Update(content, 0, content.Length);
        sha.Final(digest, 0);
        Expect.Status(ConfigStatus.Ok, store.Resume(id, 0, 1, content.Length));
        store.Append(content, 200, 100);
        Expect.Status(ConfigStatus.DigestMismatch, ConfigFixture.Seal(store, digest));
        Assert.AreEqual(ConfigSlot.None, store.ActiveSlot);
    }

    [TestMethod]
    public void StorageFailureIsAStatus()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        byte[] id = ConfigFixture.Ascii("x");
        store.Begin(id, 0, 1, 10);
        // Writing past the end of an area is a failure of the storage contract: the store reports it, never throws.
        storage.Truncate(ConfigSlot.AreaOf(store.CandidateSlot), 0);
        Expect.Status(ConfigStatus.StorageFailed, store.Append(id, 0, 1));
        Expect.Status(StorageStatus.Failed, store.LastStorageError);
        Assert.AreEqual(ConfigSlot.None, store.CandidateSlot);
    }

    [TestMethod]
    public void HeaderAndTrialStateCarryTheirCrc32LittleEndian()
    {
        MemoryStorage storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        Expect.Status(ConfigStatus.Ok, ConfigFixture.Commit(store, "crc", ConfigFixture.Content(9, 100), true));
        byte[] header = new byte[ConfigStore.HeaderSize];
        Assert.AreEqual(ConfigStore.HeaderSize, storage.Read(ConfigSlot.AreaOf(store.ActiveSlot), 0, header, 0, header.Length));
        uint crc = Crc32.Compute(header, 0, ConfigStore.HeaderSize - 4);
        Assert.AreEqual((byte)crc, header[124]);
        Assert.AreEqual((byte)(crc >> 8), header[125]);
        Assert.AreEqual((byte)(crc >> 16), header[126]);
        Assert.AreEqual((byte)(crc >> 24), header[127]);

        // The trial state record ends with the CRC32 of its first 28 bytes, the same way round.
        string area = storage.Length(ConfigSlot.StateArea1) == 32 ? ConfigSlot.StateArea1 : ConfigSlot.StateArea0;
        byte[] record = new byte[32];
        Assert.AreEqual(32, storage.Read(area, 0, record, 0, 32));
        uint recordCrc = Crc32.Compute(record, 0, 28);
        Assert.AreEqual((byte)recordCrc, record[28]);
        Assert.AreEqual((byte)(recordCrc >> 24), record[31]);

        // A flipped bit in the header makes the slot no config at all.
        storage.Corrupt(ConfigSlot.AreaOf(store.ActiveSlot), 30);
        store = ConfigFixture.Boot(storage, 3);
        Assert.AreEqual(ConfigSlot.None, store.ActiveSlot);
    }
}
