using CotaFirmware.Cota;

namespace CotaFirmware.Tests.Cota;

/// <summary>An offer record a copy of which cannot be read (a flash read error, not a copy absent or torn) is unknown, not empty: no offer is taken or acted on until a boot reads it.</summary>
[TestClass]
public class OfferRecordReadErrorTests
{
    // Both copies written: cfg-1's offer (copy 0), its end (copy 1), then cfg-2's offer under way (copy 0, the newest).
    private static CotaRig TwoCopiesAndADownloadUnderWay(byte[] second)
    {
        CotaRig rig = CotaRig.Running(CotaRig.Config(1, 300));
        rig.PushUnderWay("\"2\"", "cfg-2", second);
        Assert.IsTrue(rig.Service.IsBusy, "cfg-2 is being downloaded");
        return rig;
    }

    [TestMethod]
    public void NeitherCopyReadTakesNoOfferAndTheOwnedOneResumesAtTheNextBoot()
    {
        byte[] second = CotaRig.Config(2, 3000);
        CotaRig rig = TwoCopiesAndADownloadUnderWay(second);
        string copy0 = Hex(rig, "cota.offer0");
        string copy1 = Hex(rig, "cota.offer1");

        rig.Storage.UnreadableArea = "cota.offer";
        rig.Reboot(true);
        int requests = rig.Http.RequestCount;
        rig.Push(CotaRig.PushOf("\"3\"", CotaRig.Fields("cfg-3", CotaRig.Config(3, 300))));
        rig.Loop(20);
        Assert.AreEqual(429, rig.Service.LastAckCode, "the cloud pushes it again later");
        Assert.AreEqual(requests, rig.Http.RequestCount, "nothing downloaded");
        Assert.AreEqual(copy0, Hex(rig, "cota.offer0"));
        Assert.AreEqual(copy1, Hex(rig, "cota.offer1"));
        Assert.IsTrue(rig.Log.Contains("offer record cannot be read"), rig.Log.ToString());

        rig.Storage.UnreadableArea = null;
        rig.Reboot(true);
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-2", rig.ActiveId());
        Assert.AreEqual("{\"configId\":\"cfg-2\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
        Assert.AreEqual("", rig.SequenceClash());
    }

    [TestMethod]
    public void AnOlderCopyIsNotActedOnWhileTheNewerOneCannotBeRead()
    {
        byte[] second = CotaRig.Config(2, 3000);
        CotaRig rig = TwoCopiesAndADownloadUnderWay(second);
        string copy0 = Hex(rig, "cota.offer0");

        // Copy 1 (no offer owned) reads; copy 0, with cfg-2's offer, does not.
        rig.Storage.UnreadableArea = "cota.offer0";
        rig.Reboot(true);
        rig.Push(CotaRig.PushOf("\"3\"", CotaRig.Fields("cfg-3", CotaRig.Config(3, 300))));
        rig.Loop(20);
        Assert.AreEqual(429, rig.Service.LastAckCode);
        Assert.IsFalse(rig.Service.IsBusy);
        Assert.AreEqual(copy0, Hex(rig, "cota.offer0"), "the copy not read is never overwritten");

        rig.Storage.UnreadableArea = null;
        rig.Reboot(true);
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-2", rig.ActiveId());
        Assert.AreEqual("", rig.SequenceClash());
    }

    [TestMethod]
    public void ARefusalWhileTheRecordCannotBeReadTakesNotTheOwnedOffersSequence()
    {
        byte[] file = CotaRig.Config(1, 3000);
        CotaRig rig = new CotaRig(file);
        rig.MaxConfigSize = 4096;
        rig.Build(true);
        rig.PushUnderWay("\"1\"", "cfg-1", file);
        Assert.IsTrue(rig.Service.IsBusy);

        rig.Storage.UnreadableArea = "cota.offer";
        rig.Reboot(true);
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-big", CotaRig.Config(9, 5000))));
        rig.Run();
        Assert.IsTrue(rig.LastAck.IndexOf("\"code\":200") < 0, rig.LastAck);

        rig.Storage.UnreadableArea = null;
        rig.Reboot(true);
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-1", rig.ActiveId(), "the owned offer was not let go as if the refusal were its result");
        Assert.AreEqual("", rig.SequenceClash());
    }

    [TestMethod]
    public void AConfigOnTrialIsNotTakenOverWhileTheRecordCannotBeRead()
    {
        byte[] file = CotaRig.Config(1, 300);
        CotaRig rig = CotaRig.Connected(file);
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        for (int i = 0; i < 1000 && !rig.Service.IsOnTrial; i++)
        {
            rig.Loop();
        }

        Assert.IsTrue(rig.Service.IsOnTrial);
        string copy0 = Hex(rig, "cota.offer0");
        rig.Storage.UnreadableArea = "cota.offer";
        rig.Reboot(true);
        Assert.IsFalse(rig.Log.Contains("without an offer record"), rig.Log.ToString());
        Assert.AreEqual(copy0, Hex(rig, "cota.offer0"));
        Assert.IsTrue(rig.Store.IsOnTrial, "neither confirmed nor rolled back without its offer");

        // The connect is contact: the trial resumed with offer 1 is confirmed.
        rig.Storage.UnreadableArea = null;
        rig.Reboot(true);
        rig.Run();
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
        Assert.AreEqual("", rig.SequenceClash());
    }

    private static string Hex(CotaRig rig, string area)
    {
        byte[] bytes = rig.Storage.Contents(area);
        return bytes == null ? "none" : Ascii.Hex(bytes, 0, bytes.Length);
    }
}
