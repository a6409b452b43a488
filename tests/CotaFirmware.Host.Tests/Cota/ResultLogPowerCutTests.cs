using CotaFirmware.Cota;
using CotaFirmware.HostTests.Platform;
using CotaFirmware.Linkkit;
using CotaFirmware.Timing;

namespace CotaFirmware.HostTests.Cota;

/// <summary>
/// The result log under a power cut at every write (a new entry, an entry over the oldest sent one, a sent mark),
/// cleanly and torn: after the reboot every other entry is intact, the new entry is whole or absent, and a mark landed
/// or not (an unmarked entry is sent again).
/// </summary>
[TestClass]
public sealed class ResultLogPowerCutTests
{
    private static readonly int[] Tears = { 0, 1, 60, 116, 140 };

    private sealed class Boot
    {
        public readonly TestDevice Cloud = TestDevice.Connected();
        public readonly ResultLog Log;

        public Boot(FaultyStorage storage)
        {
            int topic = Cloud.Device.DefineEvent("ConfigResult");
            Log = new ResultLog(storage, 2, 256, Cloud.Device, topic, new Backoff(1000, 60000, 1), Cloud.Clock, Cloud.Log);
            Log.Load();
        }

        public void Add(uint sequence, string configId)
        {
            byte[] id = Ascii.Bytes(configId);
            Log.Begin().WriteProperty("configId", configId);
            Assert.AreEqual(CotaFirmware.Platform.StorageStatus.Ok, Log.Add(sequence, id, id.Length, null, CotaStatus.Ok));
        }

        // Sends the oldest unsent entry and takes the cloud's reply: it is marked sent.
        public void Deliver()
        {
            Log.Send();
            Log.OnReply(Cloud.Device, Cloud.Device.LastRequestId, ReplyStatus.Replied, 200, 0, Array.Empty<byte>(), 0, 0);
        }
    }

    [TestMethod]
    public void ANewEntryIsWholeOrAbsentAndTheOthersStay()
    {
        CutEverywhere(flash => new Boot(flash).Add(1, "cfg-1"), flash => new Boot(flash).Add(2, "cfg-2"), after =>
        {
            Assert.AreEqual(CotaStatus.Ok, after.Log.Find(Ascii.Bytes("cfg-1"), 0, 5, null));
            Assert.AreEqual(after.Log.Contains(2) ? 2 : 1, after.Log.Unsent);
            return after.Log.Contains(2);
        });
    }

    [TestMethod]
    public void AnEntryOverTheOldestSentOneIsWholeOrAbsentAndTheUnsentOneStays()
    {
        CutEverywhere(flash =>
        {
            var boot = new Boot(flash);
            boot.Add(1, "cfg-1");
            boot.Deliver();
            boot.Add(2, "cfg-2");
        }, flash => new Boot(flash).Add(3, "cfg-3"), after =>
        {
            Assert.IsTrue(after.Log.Contains(2), "the unsent entry is never the one overwritten");
            Assert.IsFalse(after.Log.Contains(1) && after.Log.Contains(3));
            Assert.AreEqual(after.Log.Contains(3) ? 2 : 1, after.Log.Unsent);
            return after.Log.Contains(3);
        });
    }

    [TestMethod]
    public void ASentMarkLandsOrTheEntryIsSentAgain()
    {
        CutEverywhere(flash => new Boot(flash).Add(1, "cfg-1"), flash => new Boot(flash).Deliver(), after =>
        {
            Assert.IsTrue(after.Log.Contains(1), "the entry itself is intact");
            return after.Log.Unsent == 0;
        });
    }

    // Every cut, torn in every way, then a reboot: check says whether the operation's effect is there; a cut write
    // never lands whole.
    private static void CutEverywhere(Action<FaultyStorage> before, Action<FaultyStorage> operation, Func<Boot, bool> check)
    {
        int landed = PowerCuts.CutAtEveryWrite(before, operation, Tears, (flash, _) => check(new Boot(flash)), out int cuts);
        Assert.IsTrue(landed < cuts, "a cut write never lands whole");
    }
}
