using CotaFirmware.Config;

namespace CotaFirmware.HostTests.Config;

/// <summary>The trial state record (internal to the Config layer, so tested on .NET only) as a newer firmware leaves it.</summary>
[TestClass]
public class TrialStateTests
{
    // A newer firmware seals its record: its trial and pending reboot are not this firmware's to act on.
    [TestMethod]
    public void ATrialStateOfANewerFormatReadsAsEmptyThoughItsSealHolds()
    {
        var storage = new MemoryStorage();
        var state = new TrialState();
        state.Load(storage);
        state.TrialSequence = 7;
        state.RebootPending = true;
        Expect.Status(StorageStatus.Ok, state.Save(storage));
        byte[] record = storage.Contents(ConfigSlot.StateArea0);
        record[24] = 2;
        CotaFirmware.Crypto.StoredBytes.Seal(record, TrialState.RecordSize - 4);
        storage.Write(ConfigSlot.StateArea0, 0, record, 0, record.Length);

        state = new TrialState();
        state.Load(storage);
        Assert.IsTrue(state.Newer);
        Assert.AreEqual(0u, state.TrialSequence);
        Assert.IsFalse(state.RebootPending);
    }
}
