using CotaFirmware.Host.Board;

namespace CotaFirmware.HostTests.Config;

/// <summary>
/// Power cuts at every storage write of applying a config and of rolling one back (boot writes included, clean and
/// torn), then a clean boot: the device runs exactly the old or the new config, and its modules hold that config's
/// values; a config left on trial still rolls back to the old one.
/// </summary>
[TestClass]
public sealed class ApplierPowerCutTests
{
    private const string Old = "{\"telemetry\":{\"intervalSeconds\":10},\"wifi\":{\"ssid\":\"plant\",\"password\":\"old-pass-1\"}}";
    private const string NewWifi = "{\"telemetry\":{\"intervalSeconds\":20},\"wifi\":{\"ssid\":\"plant\",\"password\":\"new-pass-2\"}}";
    private const string NewLive = "{\"telemetry\":{\"intervalSeconds\":20},\"wifi\":{\"ssid\":\"plant\",\"password\":\"old-pass-1\"}}";
    private static readonly int[] Tears = { -1, 0, 5 };

    public TestContext TestContext { get; set; } = null!;

    private sealed class Run
    {
        public ApplierDevice Device = null!;

        public void PowerOn(IStorage storage, long nowMs)
        {
            Device = new ApplierDevice(storage, null);
        }

        /// <summary>Reboots into a new instance when the device asked for it.</summary>
        public void FollowReboot(IStorage storage, long nowMs)
        {
            if (Device.Applier.RebootRequested)
            {
                PowerOn(storage, nowMs);
            }
        }
    }

    /// <summary>Flash holding the old config, confirmed.</summary>
    private static MemoryStorage Installed()
    {
        var flash = new MemoryStorage();
        var run = new Run();
        run.PowerOn(flash, 0);
        Assert.IsTrue(run.Device.Offer("old", Old));
        run.FollowReboot(flash, 0);
        Assert.AreEqual(CotaFirmware.Config.ConfigStatus.Ok, run.Device.Applier.Confirm());
        return flash;
    }

    /// <summary>Flash holding the old config confirmed and <paramref name="json"/> on trial, booted once.</summary>
    private static MemoryStorage OnTrial(string json)
    {
        var flash = Installed();
        var run = new Run();
        run.PowerOn(flash, 0);
        Assert.IsTrue(run.Device.Offer("new", json));
        run.FollowReboot(flash, 0);
        Assert.IsTrue(run.Device.Store.IsOnTrial);
        return flash;
    }

    private static void AssertRunsExactlyOneConfig(ApplierDevice device, string newJson, string where)
    {
        string id = device.ActiveId();
        if (id == "old")
        {
            Assert.AreEqual(10, device.Telemetry.IntervalSeconds, where);
            Assert.AreEqual("old-pass-1", device.Wifi.Password, where);
        }
        else
        {
            Assert.AreEqual("new", id, where);
            Assert.AreEqual(20, device.Telemetry.IntervalSeconds, where);
            Assert.AreEqual(newJson == NewWifi ? "new-pass-2" : "old-pass-1", device.Wifi.Password, where);
        }
    }

    /// <summary>
    /// After a cut: boot cleanly, check, then let any trial run out and check it ends on the old config, confirmed,
    /// for good. A cut rollback (<paramref name="rollingBack"/>) boots either rolled back (the old config, no trial) or
    /// not yet (the new config still on trial), never into the new config confirmed.
    /// </summary>
    private static string Recover(MemoryStorage flash, string newJson, bool rollingBack, string where)
    {
        var run = new Run();
        run.PowerOn(flash, 0);
        AssertRunsExactlyOneConfig(run.Device, newJson, where);
        string first = run.Device.ActiveId();
        if (rollingBack)
        {
            Assert.AreEqual(first == "new", run.Device.Store.IsOnTrial, where + ": a rollback never ends in a confirm");
        }

        if (run.Device.Store.IsOnTrial)
        {
            run.Device.Applier.RollBack();
            run.FollowReboot(flash, 0);
            Assert.AreEqual("old", run.Device.ActiveId(), where);
            AssertRunsExactlyOneConfig(run.Device, newJson, where);
        }

        if (first == "old" || rollingBack)
        {
            // Rolled back for good: the next boot runs the old config, confirmed, and the new one never again.
            var again = new Run();
            again.PowerOn(flash, 0);
            Assert.AreEqual("old", again.Device.ActiveId(), where);
            Assert.IsFalse(again.Device.Store.IsOnTrial, where);
        }

        return first;
    }

    private static int CountWrites(MemoryStorage start, Action<Run, IStorage> operation)
    {
        var counter = new FaultyStorage(start.Clone(), 0, -1);
        operation(new Run(), counter);
        return counter.Mutations;
    }

    private int CutEverywhere(MemoryStorage start, string newJson, Action<Run, IStorage> operation, bool rollingBack, out int endedNew)
    {
        int writes = CountWrites(start, operation);
        Assert.IsTrue(writes >= 2, "the operation writes");
        int cuts = 0;
        endedNew = 0;
        for (int cut = 1; cut <= writes; cut++)
        {
            foreach (int tear in Tears)
            {
                var flash = start.Clone();
                operation(new Run(), new FaultyStorage(flash, cut, tear));
                if (Recover(flash, newJson, rollingBack, $"cut at write {cut}/{writes}, torn {tear}") == "new")
                {
                    endedNew++;
                }

                cuts++;
            }
        }

        return cuts;
    }

    // Offer the new config, reboot if it asks, confirm.
    private static Action<Run, IStorage> Apply(string json) => (run, storage) =>
    {
        run.PowerOn(storage, 0);
        run.Device.Offer("new", json);
        run.FollowReboot(storage, 0);
        run.Device.Applier.Confirm();
    };

    // Boot with the new config on trial, roll it back (the COTA layer's deadline), reboot if it asks.
    private static readonly Action<Run, IStorage> RollBack = (run, storage) =>
    {
        run.PowerOn(storage, 0);
        run.Device.Applier.RollBack();
        run.FollowReboot(storage, 0);
    };

    [TestMethod]
    public void CutsDuringALiveApplyEndInTheOldOrTheNewConfigApplied()
    {
        int cuts = CutEverywhere(Installed(), NewLive, Apply(NewLive), false, out int endedNew);
        Assert.IsTrue(endedNew > 0 && endedNew < cuts);
        TestContext.WriteLine($"{cuts} cuts, {endedNew} ended on the new config");
    }

    [TestMethod]
    public void CutsDuringAnApplyWithRebootEndInTheOldOrTheNewConfigApplied()
    {
        int cuts = CutEverywhere(Installed(), NewWifi, Apply(NewWifi), false, out int endedNew);
        Assert.IsTrue(endedNew > 0 && endedNew < cuts);
        TestContext.WriteLine($"{cuts} cuts, {endedNew} ended on the new config");
    }

    [TestMethod]
    public void CutsDuringARollbackWithRebootEndInTheOldConfigApplied()
    {
        int cuts = CutEverywhere(OnTrial(NewWifi), NewWifi, RollBack, true, out int endedNew);
        Assert.IsTrue(endedNew > 0 && endedNew < cuts, "some cuts land before the rollback, some after");
        TestContext.WriteLine($"{cuts} cuts, {endedNew} booted on the new config still on trial");
    }

    [TestMethod]
    public void CutsDuringALiveRollbackEndInTheOldConfigApplied()
    {
        int cuts = CutEverywhere(OnTrial(NewLive), NewLive, RollBack, true, out int endedNew);
        Assert.IsTrue(endedNew > 0 && endedNew < cuts, "some cuts land before the rollback, some after");
        TestContext.WriteLine($"{cuts} cuts, {endedNew} booted on the new config still on trial");
    }
}
