using CotaFirmware.Config;
using CotaFirmware.Cota;
using CotaFirmware.Tests.Config;

namespace CotaFirmware.Tests.Cota;

/// <summary>The version rule, record by record (docs/storage-format.md); the wrap of their sequences is in the host tests' SequenceWrapTests (internal types).</summary>
[TestClass]
public class RecordFormatTests
{
    [TestMethod]
    public void AConfigSlotOfANewerFormatIsLeftAsItIsAndTheOlderOneRuns()
    {
        var storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        byte[] first = ConfigFixture.Content(1, 300);
        Expect.Status(ConfigStatus.Ok, ConfigFixture.Commit(store, "cfg-1", first, false));
        Expect.Status(ConfigStatus.Ok, ConfigFixture.Commit(store, "cfg-2", ConfigFixture.Content(2, 300), false));
        storage.Write(ConfigSlot.AreaOf(ConfigSlot.B), 4, new byte[] { 2 }, 0, 1);
        string newer = Hex(storage, ConfigSlot.AreaOf(ConfigSlot.B));

        store = ConfigFixture.Boot(storage, 3);
        Assert.IsTrue(store.HoldsNewerRecord);
        Assert.IsTrue(ConfigFixture.ActiveIs(store, first), "not the defaults: the config this firmware can read");
        Expect.Status(ConfigStatus.StorageFailed, ConfigFixture.Commit(store, "cfg-3", ConfigFixture.Content(3, 300), false));
        Expect.Status(StorageStatus.NewerRecord, store.LastStorageError);
        Assert.AreEqual(newer, Hex(storage, ConfigSlot.AreaOf(ConfigSlot.B)));
    }

    [TestMethod]
    public void AnOfferThatWouldOverwriteANewerConfigSlotFailsWithAResultNamingIt()
    {
        byte[] file = CotaRig.Config(1, 300);
        CotaRig rig = new CotaRig(file);
        rig.Storage.Put(ConfigSlot.AreaOf(ConfigSlot.A), "CCFG\u0002\u0000 a later release's config");
        rig.Build(true);
        Assert.IsTrue(rig.Log.Contains("flash holds records of a newer firmware (config store)"));
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        rig.Run();
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"failed\",\"reason\":\"StoreFailed\",\"errors\":[{\"module\":\"store\",\"code\":\"StorageFailed\",\"storage\":\"NewerRecord\"}]}", rig.LastResultParams);
        Assert.AreEqual("CCFG\u0002\u0000 a later release's config", rig.Storage.Text(ConfigSlot.AreaOf(ConfigSlot.A)));
    }

    [TestMethod]
    public void ATrialStateOfANewerFormatIsNeverWritten()
    {
        var storage = new MemoryStorage();
        ConfigStore store = ConfigFixture.Boot(storage, 3);
        byte[] first = ConfigFixture.Content(1, 300);
        Expect.Status(ConfigStatus.Ok, ConfigFixture.Commit(store, "cfg-1", first, false));
        Expect.Status(ConfigStatus.Ok, store.MarkRebootPending());
        storage.Write(ConfigSlot.StateArea0, 24, new byte[] { 2 }, 0, 1);
        string newer = Hex(storage, ConfigSlot.StateArea0);

        store = new ConfigStore(storage, new byte[ConfigStore.HeaderSize], ConfigFixture.MaxLength, 3);
        Expect.Status(ConfigStatus.Ok, store.Boot(), "the state reads as empty: nothing to save");
        Assert.IsTrue(store.HoldsNewerRecord);
        Assert.IsTrue(ConfigFixture.ActiveIs(store, first));
        Expect.Status(ConfigStatus.StorageFailed, store.MarkRebootPending());
        Expect.Status(StorageStatus.NewerRecord, store.LastStorageError);
        Assert.AreEqual(newer, Hex(storage, ConfigSlot.StateArea0));
        Assert.AreEqual(-1, storage.Length(ConfigSlot.StateArea1));
    }

    [TestMethod]
    public void AnOfferAndAResultOfANewerFormatAreLeftAndTheOfferThatNeedsThemFailsWithAResult()
    {
        byte[] file = CotaRig.Config(1, 300);
        CotaRig rig = new CotaRig(file);
        rig.Storage.Put("cota.offer1", "COF2 a later release's offer");
        rig.Storage.Put("cota.r1", "CRS2 a later release's result");
        rig.Build(true);
        Assert.IsTrue(rig.Log.Contains("flash holds records of a newer firmware (offer, results)"));

        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        rig.Run();
        Assert.AreEqual(0, rig.Http.RequestCount);
        string result = rig.LastResultParams;
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"failed\",\"reason\":\"StoreFailed\",\"errors\":[{\"module\":\"store\",\"code\":\"StorageFailed\",\"storage\":\"NewerRecord\"}]}", result);
        Assert.IsTrue(rig.Log.Contains("not written to flash: NewerRecord"));
        Assert.AreEqual("COF2 a later release's offer", rig.Storage.Text("cota.offer1"));
        Assert.AreEqual("CRS2 a later release's result", rig.Storage.Text("cota.r1"));
    }

    [TestMethod]
    public void AnAttemptRecordOfANewerFormatIsLeftAndTheDownloadFailsWithAResult()
    {
        byte[] file = CotaRig.Config(1, 300);
        CotaRig rig = new CotaRig(file);
        rig.Storage.Put("cota.prog", "CDP3 a later release's attempts");
        rig.Build(true);
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        rig.Run();
        Assert.AreEqual(0, rig.Http.RequestCount);
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"failed\",\"reason\":\"StoreFailed\",\"errors\":[{\"module\":\"store\",\"code\":\"StorageFailed\",\"storage\":\"NewerRecord\"}]}", rig.LastResultParams);
        Assert.AreEqual("CDP3 a later release's attempts", rig.Storage.Text("cota.prog"));
    }

    private static string Hex(MemoryStorage storage, string area)
    {
        byte[] bytes = storage.Contents(area);
        return Ascii.Hex(bytes, 0, bytes.Length);
    }
}
