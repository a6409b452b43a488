using CotaFirmware.Config;
using CotaFirmware.Cota;
using CotaFirmware.Tests.Config;
using CotaFirmware.Tests.Cota;

namespace CotaFirmware.HostTests.Cota;

/// <summary>Every record's sequence runs on across the wrap from 0xFFFFFFFF to 0 (StoredBytes.IsAfter): the record written later still wins.</summary>
[TestClass]
public sealed class SequenceWrapTests
{
    [TestMethod]
    public void ConfigAndTrialSequencesRunOnAcrossTheWrap()
    {
        var storage = new MemoryStorage();
        var state = new TrialState();
        state.Load(storage);
        state.Sequence = 0xFFFFFFFD;
        state.RejectedSequence = 0xFFFFFFFE;
        Expect.Status(StorageStatus.Ok, state.Save(storage));

        ConfigStore store = ConfigFixture.Boot(storage, 3);
        Expect.Status(ConfigStatus.Ok, ConfigFixture.Commit(store, "cfg-1", ConfigFixture.Content(1, 300), true));
        Assert.AreEqual(0xFFFFFFFFu, store.ActiveSequence);
        Expect.Status(ConfigStatus.Ok, store.Confirm());
        byte[] second = ConfigFixture.Content(2, 300);
        Expect.Status(ConfigStatus.Ok, ConfigFixture.Commit(store, "cfg-2", second, true));
        Assert.AreEqual(1u, store.ActiveSequence, "0 means none: the wrap skips it");

        store = ConfigFixture.Boot(storage, 3);
        Assert.IsTrue(ConfigFixture.ActiveIs(store, second), "sequence 1 came after 0xFFFFFFFF");
        Assert.IsTrue(store.IsOnTrial, "the trial state's own sequence wrapped too");
        Expect.Status(ConfigStatus.Ok, store.Confirm());
        store = ConfigFixture.Boot(storage, 3);
        Assert.IsTrue(ConfigFixture.ActiveIs(store, second));
        Assert.IsFalse(store.IsOnTrial);
    }

    [TestMethod]
    public void AttemptRecordsRunOnAcrossTheWrap()
    {
        var storage = new MemoryStorage();
        var record = new ProgressRecord();
        record.Sequence = 0xFFFFFFFE;
        record.Attempts = 1;
        Expect.Status(StorageStatus.Ok, record.Save(storage, "p"));
        record.Attempts = 2;
        Expect.Status(StorageStatus.Ok, record.Save(storage, "p"));
        Assert.AreEqual(0u, record.Sequence);

        var loaded = new ProgressRecord();
        loaded.Load(storage, "p");
        Assert.AreEqual(0u, loaded.Sequence);
        Assert.AreEqual(2, loaded.Attempts);
    }

    [TestMethod]
    public void TheOldestUnsentResultGoesFirstAcrossTheWrap()
    {
        byte[] file = CotaRig.Config(1, 300);
        CotaRig rig = new CotaRig(file);
        rig.AckEvents = false;
        rig.Build(false);
        var log = new ResultLog(rig.Storage, 2, 256, rig.Device, rig.Device.DefineEvent("Wrap"), new CotaFirmware.Timing.Backoff(1000, 60000, 1), rig.Clock, rig.Log);
        log.Load();
        byte[] id = Ascii.Bytes("cfg-x");
        log.Begin();
        Expect.Status(StorageStatus.Ok, log.Add(1, id, id.Length, null, CotaStatus.Ok));
        log.Begin().WriteProperty("written", "before the wrap");
        Expect.Status(StorageStatus.Ok, log.Add(0xFFFFFFFF, id, id.Length, null, CotaStatus.HttpError));
        Assert.AreEqual(1u, log.HighestSequence);
        Expect.Status(CotaStatus.Ok, log.Find(id, 0, id.Length, null), "the newest result of cfg-x");

        rig.Device.Connect();
        log.Send();
        Assert.IsTrue(rig.LastOn("thing/event/Wrap/post").IndexOf("before the wrap") > 0);
    }
}
