using CotaFirmware.Config;
using CotaFirmware.Cota;

namespace CotaFirmware.Tests.Cota;

/// <summary>A committed config's trial: confirmed by contact with the cloud, rolled back at the deadline offline, by a module that throws or by the boot-loop guard.</summary>
[TestClass]
public class CotaTrialTests
{
    private static byte[] File1() => CotaRig.Config(1, 3000);

    private static byte[] File2() => CotaRig.Config(2, 2500);

    // cfg-1 applied and confirmed, then cfg-2 applied and on trial.
    private static CotaRig Cfg2OnTrial()
    {
        CotaRig rig = CotaRig.Running(File1());
        rig.Http.File = File2();
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-2", File2())));
        for (int i = 0; i < 1000 && !rig.Service.IsOnTrial; i++)
        {
            rig.Loop();
        }

        return rig;
    }

    // The broker is gone until the trial's deadline has passed.
    private static void OfflinePastTheDeadline(CotaRig rig)
    {
        rig.Session.ConnectResult = CotaFirmware.Mqtt.MqttStatus.ChannelFailed;
        rig.Session.Drop();
        rig.Loop(rig.CotaSettings.TrialDeadlineMs / 50 + 5);
    }

    [TestMethod]
    public void RunningOutOfMemoryOnceCommittedRollsTheConfigBackAndTheNextOfferIsTaken()
    {
        byte[] file = CotaRig.Config(1, 3000);
        CotaRig rig = CotaRig.Connected(file);
        rig.Log.RunsOutOfMemoryOn = "committed on trial";
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        rig.Run();
        Assert.IsNull(rig.Log.RunsOutOfMemoryOn, "the line ran out of memory");
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"rolled_back\",\"reason\":\"ModuleFailed\",\"errors\":[]}", rig.LastResultParams);
        Assert.IsFalse(rig.Store.IsOnTrial);
        Assert.AreEqual("", rig.ActiveId());

        byte[] file2 = CotaRig.Config(2, 2500);
        rig.Http.File = file2;
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-2", file2)));
        rig.ApplyAndConfirm();
        Assert.AreEqual("{\"configId\":\"cfg-2\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
        Assert.AreEqual("cfg-2", rig.ActiveId());
    }

    [TestMethod]
    public void ATrialIsConfirmedByAnyAnswerFromTheCloud()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        rig.GetReply(CotaRig.GetReplyOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        for (int i = 0; i < 1000 && !rig.Service.IsOnTrial; i++)
        {
            rig.Loop();
        }

        rig.Loop();
        Assert.AreEqual(2, rig.CountOn("thing/config/get"), "the trial asks the cloud at once");
        rig.GetReply("{\"id\":\"2\",\"code\":6713,\"data\":{}}");
        Assert.IsFalse(rig.Service.IsOnTrial);
        Assert.IsFalse(rig.Store.IsOnTrial);
        rig.Run();
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
    }

    [TestMethod]
    public void ALostGetReplyIsAskedAgainAndAConnectionThatHoldsConfirmsAtTheDeadline()
    {
        byte[] file = File1();
        CotaRig rig = new CotaRig(file);
        rig.CotaSettings.TrialDeadlineMs = 60000;
        rig.Build(true);
        rig.GetReply(CotaRig.GetReplyOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        for (int i = 0; i < 1000 && !rig.Service.IsOnTrial; i++)
        {
            rig.Loop();
        }

        // Nothing answers (every get_reply lost, or a broker that answers no get): the get is repeated with backoff.
        rig.Loop(60000 / 50 - 20);
        Assert.IsTrue(rig.Service.IsOnTrial);
        int gets = rig.CountOn("thing/config/get");
        Assert.IsTrue(gets >= 4 && gets <= 12, gets.ToString());
        rig.Run();
        Assert.AreEqual("cfg-1", rig.ActiveId(), "online all along: not rolled back");
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
    }

    [TestMethod]
    public void OfflineAtTheDeadlineRollsBackAndTheReasonReachesTheCloudAfterTheReconnect()
    {
        CotaRig rig = Cfg2OnTrial();
        Assert.AreEqual(2, rig.A.Value);
        OfflinePastTheDeadline(rig);
        Assert.IsFalse(rig.Service.IsOnTrial);
        Assert.AreEqual("cfg-1", rig.ActiveId());
        Assert.AreEqual(1, rig.A.Value);
        Assert.AreEqual(1, rig.Service.PendingResults);

        rig.Session.ConnectResult = CotaFirmware.Mqtt.MqttStatus.Ok;
        rig.Device.Connect();
        rig.Run();
        Assert.AreEqual("{\"configId\":\"cfg-2\",\"status\":\"rolled_back\",\"reason\":\"DeadlineWithoutContact\",\"errors\":[]}", rig.LastResultParams);
        Assert.AreEqual(0, rig.Service.PendingResults);
    }

    [TestMethod]
    public void ARollbackWhoseMarkMissedFlashIsFinishedAtBootWhenItsResultLanded()
    {
        CotaRig rig = Cfg2OnTrial();
        MemoryStorage onTrial = rig.Storage.Clone();
        OfflinePastTheDeadline(rig);
        Assert.AreEqual(1, rig.Service.PendingResults);

        // The flash a cut leaves when the rollback's mark did not reach it: the result landed, the store and the offer
        // record are as on trial.
        Restore(rig, onTrial, new string[] { ConfigSlot.AreaA, ConfigSlot.AreaB, ConfigSlot.StateArea0, ConfigSlot.StateArea1, "cota.offer0", "cota.offer1" });
        rig.Session.ConnectResult = CotaFirmware.Mqtt.MqttStatus.Ok;
        rig.Reboot(true);
        rig.Run();
        Assert.IsFalse(rig.Store.IsOnTrial, "the rollback is finished, not left on trial");
        Assert.AreEqual("cfg-1", rig.ActiveId());
        Assert.AreEqual(1, rig.A.Value);
        Assert.AreEqual("{\"configId\":\"cfg-2\",\"status\":\"rolled_back\",\"reason\":\"DeadlineWithoutContact\",\"errors\":[]}", rig.LastResultParams);
    }

    [TestMethod]
    public void ATrialWhoseRollbackNeverReachedTheStoreIsRolledBackBeforeTheNextOfferResumes()
    {
        CotaRig rig = Cfg2OnTrial();
        MemoryStorage onTrial = rig.Storage.Clone();
        OfflinePastTheDeadline(rig);
        rig.Session.ConnectResult = CotaFirmware.Mqtt.MqttStatus.Ok;
        rig.Device.Connect();
        rig.Run();
        Assert.AreEqual("{\"configId\":\"cfg-2\",\"status\":\"rolled_back\",\"reason\":\"DeadlineWithoutContact\",\"errors\":[]}", rig.LastResultParams);

        // The store as a boot that could not save its trial count leaves it (it ran cfg-1, the trial stayed in flash),
        // and the next offer accepted before a reboot.
        Restore(rig, onTrial, new string[] { ConfigSlot.AreaA, ConfigSlot.AreaB, ConfigSlot.StateArea0, ConfigSlot.StateArea1 });
        byte[] third = CotaRig.Config(3, 2000);
        rig.Http.File = third;
        rig.Push(CotaRig.PushOf("\"3\"", CotaRig.Fields("cfg-3", third)));
        rig.Reboot(true);
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-3", rig.ActiveId());
        Assert.AreEqual("{\"configId\":\"cfg-3\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
    }

    [TestMethod]
    public void APushDuringATrialConfirmsTheTrialFirstAndIsTaken()
    {
        byte[] first = File1();
        byte[] second = File2();
        CotaRig rig = CotaRig.Connected(first);
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", first)));
        for (int i = 0; i < 1000 && !rig.Service.IsOnTrial; i++)
        {
            rig.Loop();
        }

        rig.Http.File = second;
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-2", second)));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        rig.Loop();
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-2", rig.ActiveId());
        Assert.AreEqual("{\"configId\":\"cfg-2\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
        Assert.AreEqual(2, rig.ResultCount);
    }

    [TestMethod]
    public void AModuleThatThrowsRollsTheConfigBackWithTheReason()
    {
        byte[] old = File1();
        byte[] file = File2();
        CotaRig rig = CotaRig.Running(old);
        rig.A.FailOn = 2;
        rig.Http.File = file;
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-2", file)));
        rig.Run();
        Assert.AreEqual("{\"configId\":\"cfg-2\",\"status\":\"rolled_back\",\"reason\":\"ModuleFailed\",\"errors\":[{\"module\":\"a\",\"key\":\"\",\"code\":\"general_error\"}]}",
            rig.LastResultParams);
        Assert.AreEqual("cfg-1", rig.ActiveId());
        Assert.AreEqual(1, rig.A.Value);
    }

    [TestMethod]
    public void ABootLoopGuardRollbackIsReportedAfterTheNextConnect()
    {
        CotaRig rig = RebootingIntoW();

        // Each boot dies before it reaches the cloud, until the store's boot limit rolls the config back.
        for (int boot = 0; boot < 4; boot++)
        {
            rig.Reboot(false);
            rig.Loop(3);
        }

        Assert.AreEqual("", rig.ActiveId());
        Assert.AreEqual(-1, rig.W.Value);
        Assert.AreEqual(1, rig.Service.PendingResults);
        rig.Device.Connect();
        rig.Run();
        Assert.AreEqual("{\"configId\":\"cfg-w\",\"status\":\"rolled_back\",\"reason\":\"BootLoopGuard\",\"errors\":[]}", rig.LastResultParams);
    }

    [TestMethod]
    public void AConfigThatNeedsARebootIsConfirmedByTheConnectAfterIt()
    {
        CotaRig rig = RebootingIntoW();
        Assert.AreEqual(0, rig.ResultCount);
        rig.Reboot(true);
        Assert.IsFalse(rig.Service.IsOnTrial, "the broker accepted a new connection: contact");
        rig.Run();
        Assert.AreEqual(5, rig.W.Value);
        Assert.AreEqual("{\"configId\":\"cfg-w\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
    }

    // A connected device offered cfg-w, whose "w" section needs a reboot: applied, it asks for one.
    private static CotaRig RebootingIntoW()
    {
        byte[] file = Linkkit.Ascii.Bytes("{\"a\":{\"v\":4},\"w\":{\"v\":5}}");
        CotaRig rig = CotaRig.Connected(file);
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-w", file)));
        rig.Run();
        Assert.IsTrue(rig.Service.RebootRequested);
        return rig;
    }

    // Puts areas back as image holds them: what a cut or a write that never landed leaves.
    private static void Restore(CotaRig rig, MemoryStorage image, string[] areas)
    {
        for (int i = 0; i < areas.Length; i++)
        {
            byte[] bytes = image.Contents(areas[i]);
            rig.Storage.Delete(areas[i]);
            if (bytes != null)
            {
                rig.Storage.Write(areas[i], 0, bytes, 0, bytes.Length);
            }
        }
    }
}
