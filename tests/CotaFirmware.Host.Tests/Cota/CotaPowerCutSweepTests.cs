using CotaFirmware.Tests.Cota;

namespace CotaFirmware.HostTests.Cota;

/// <summary>
/// A power cut at every flash write of an offer's course, from its ack to its result (clean and torn), then a reboot:
/// every offer acked 200 has its result at the cloud, each seq names one result, and the device ends, off trial, on the
/// config that result says. Here rather than in the shared tests: a sweep builds a few hundred devices, more than the
/// test runner's heap on nanoCLR holds.
/// </summary>
[TestClass]
public class CotaPowerCutSweepTests
{
    [TestMethod]
    public void ACutAtAnyWriteOfAnAppliedOfferLeavesOneResultAndTheConfigItNames()
    {
        Assert.AreEqual("", Sweep(false, -1) + Sweep(false, 9));
    }

    [TestMethod]
    public void ACutAtAnyWriteOfARolledBackOfferLeavesOneResultAndTheConfigItNames()
    {
        Assert.AreEqual("", Sweep(true, -1) + Sweep(true, 9));
    }

    // cfg-2 downloading when cfg-3 is pushed, cut at every write from the supersede on: cfg-2 has its result, cfg-3
    // (when acked) has its result, and the device runs what the results say.
    [TestMethod]
    public void ACutAtAnyWriteOfASupersedeLeavesBothResultsAndTheConfigTheyName()
    {
        string broken = "";
        byte[] first = CotaRig.Config(1, 1200);
        byte[] second = CotaRig.Config(2, 3000);
        byte[] third = CotaRig.Config(3, 1500);
        for (int cut = 1; cut < 200; cut++)
        {
            FaultyStorage flash;
            CotaRig rig = RunningOver(first, 9, out flash);
            rig.Http.File = second;
            rig.Http.ReadChunk = 300;
            rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-2", second)));
            rig.Loop(4);
            Assert.IsTrue(rig.Service.IsBusy);

            rig.Http.File = third;
            bool acked = PushCutAt(rig, flash, cut, "3", third);

            rig.Loop();
            rig.AnswerGet(null);
            rig.Run();
            if (!flash.PowerOff)
            {
                Assert.IsTrue(cut > 5, "the sweep reached no cut");
                break;
            }

            string at = " (cut at write " + cut.ToString() + ")";
            PowerOnAndFinish(rig);
            string superseded = rig.ResultOf(2);
            string result = rig.ResultOf(3);
            string active = rig.ActiveId();
            if (rig.SequenceClash() != "")
            {
                broken += "seq clash " + rig.SequenceClash() + at + "\n";
            }

            if (superseded == null || superseded.IndexOf("\"status\":\"applied\"") >= 0)
            {
                // The scripted server serves cfg-3's file by then, so a cfg-2 resumed after the cut may fail; it must end.
                broken += "offer 2 ended as " + superseded + at + "\n";
            }

            if (acked && result == null)
            {
                broken += "offer 3 was acked 200 and has no result" + at + "\n";
            }

            if (rig.Store.IsOnTrial || (active != "cfg-1" && active != "cfg-3"))
            {
                broken += "runs '" + active + "'" + (rig.Store.IsOnTrial ? " on trial" : "") + at + "\n";
            }
            else if (result != null && (result.IndexOf("\"status\":\"applied\"") >= 0) != (active == "cfg-3"))
            {
                broken += "result " + result + " but " + active + " runs" + at + "\n";
            }
        }

        Assert.AreEqual("", broken);
    }

    // A device over flash that tears its cut write after torn bytes, running cfg-1 (pushed, applied, confirmed).
    private static CotaRig RunningOver(byte[] first, int torn, out FaultyStorage flash)
    {
        CotaRig rig = new CotaRig(first);
        flash = new FaultyStorage(rig.Storage, 0, torn);
        rig.Flash = flash;
        rig.Build(true);
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", first)));
        rig.ApplyAndConfirm();
        return rig;
    }

    // Pushes cfg-n (id n, its own URL) with the power cut at the cut-th write from now, and runs the device up to a
    // trial or the cut; true when the push was acked 200.
    private static bool PushCutAt(CotaRig rig, FaultyStorage flash, int cut, string n, byte[] file)
    {
        flash.CutAt = flash.Mutations + cut;
        rig.Push(CotaRig.PushOf("\"" + n + "\"", CotaRig.Fields("cfg-" + n, file, DownloadFixture.Url("https") + "&v=" + n)));
        bool acked = rig.Service.LastAckCode == 200;
        for (int i = 0; i < 400 && !rig.Service.IsOnTrial; i++)
        {
            rig.Loop();
        }

        return acked;
    }

    // cfg-1 applied first without cuts; then cfg-2 is pushed, its course cut at every write in turn: confirmed by the
    // cloud, or (offline) rolled back at the trial's deadline. "" when every cut holds; else what broke, one line a cut.
    private static string Sweep(bool offline, int torn)
    {
        string broken = "";
        byte[] first = CotaRig.Config(1, 1200);
        byte[] second = CotaRig.Config(2, 1500);
        for (int cut = 1; cut < 200; cut++)
        {
            FaultyStorage flash;
            CotaRig rig = RunningOver(first, torn, out flash);
            Assert.AreEqual("cfg-1", rig.ActiveId());

            rig.Http.File = second;
            bool acked = PushCutAt(rig, flash, cut, "2", second);

            if (offline)
            {
                rig.Session.Drop();
                rig.Run();
            }
            else
            {
                rig.Loop();
                rig.AnswerGet(null);
                rig.Run();
            }

            if (!flash.PowerOff)
            {
                // The course took fewer writes than this cut: every write was tried.
                Assert.IsTrue(cut > 5, "the sweep reached no cut");
                return broken;
            }

            string at = " (cut at write " + cut.ToString() + ", torn " + torn.ToString() + (offline ? ", offline" : "") + ")";
            PowerOnAndFinish(rig);
            string clash = rig.SequenceClash();
            string result = rig.ResultOf(2);
            string active = rig.ActiveId();
            bool applied = result != null && result.IndexOf("\"status\":\"applied\"") >= 0;
            if (clash != "")
            {
                broken += "seq clash " + clash + at + "\n";
            }

            if (rig.Store.IsOnTrial)
            {
                broken += "still on trial" + at + "\n";
            }

            if (acked && result == null)
            {
                broken += "offer 2 was acked 200 and has no result" + at + "\n";
            }

            if (active != "cfg-1" && active != "cfg-2")
            {
                broken += "active: '" + active + "'" + at + "\n";
            }
            else if (result != null && applied != (active == "cfg-2"))
            {
                broken += "result " + result + " but " + active + " runs" + at + "\n";
            }
        }

        return broken;
    }

    // Power back on (flash that works) and connected: the device finishes what it owns, answering each trial's probe.
    private static void PowerOnAndFinish(CotaRig rig)
    {
        rig.Flash = null;
        rig.Reboot(true);
        for (int i = 0; i < 3000 && (rig.Service.IsBusy || rig.Service.IsOnTrial || rig.Service.PendingResults > 0); i++)
        {
            rig.Loop();
            if (rig.Service.IsOnTrial && i % 100 == 50)
            {
                rig.AnswerGet(null);
            }
        }

        rig.Run();
    }
}
