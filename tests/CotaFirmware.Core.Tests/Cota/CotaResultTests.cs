using CotaFirmware.Cota;
using CotaFirmware.Json;
using CotaFirmware.Tests.Json;

namespace CotaFirmware.Tests.Cota;

/// <summary>Every offer's result: what it names (the store's error, the modules' errors), the event it goes out as, and its delivery across reboots and silent brokers.</summary>
[TestClass]
public class CotaResultTests
{
    private static byte[] File1() => CotaRig.Config(1, 3000);

    // A connected device offered cfg-1 by a push, its flash refusing to grow the areas whose names start with fullArea.
    private static CotaRig OfferedWithFullFlash(string fullArea)
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        rig.Storage.FullArea = fullArea;
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        return rig;
    }

    [TestMethod]
    public void ResultsGoOutAsTheConfiguredThingEvent()
    {
        byte[] file = File1();
        CotaRig rig = new CotaRig(file);
        rig.CotaSettings.ResultEventIdentifier = "CfgDone";
        rig.Build(true);
        rig.Http.Then(ScriptedResponse.WithStatus(403));
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("c\\\"1", file)));
        rig.Loop(5);
        Assert.AreEqual("{\"id\":\"2\",\"version\":\"1.0\",\"params\":{\"configId\":\"c\\\"1\",\"status\":\"failed\",\"reason\":\"HttpError\",\"errors\":[{\"module\":\"download\",\"code\":\"HttpError\",\"httpStatus\":403}],\"seq\":1},\"method\":\"thing.event.CfgDone.post\"}",
            rig.LastOn("thing/event/CfgDone/post"));
    }

    [TestMethod]
    public void AStoreFailureIsAResultThatNamesTheError()
    {
        CotaRig rig = OfferedWithFullFlash("cfg-a");
        Assert.AreEqual(200, rig.Service.LastAckCode);
        rig.Run();
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"failed\",\"reason\":\"StoreFailed\",\"errors\":[{\"module\":\"store\",\"code\":\"StorageFailed\",\"storage\":\"Full\"}]}",
            rig.LastResultParams);
        Assert.IsTrue(rig.Log.Contains("StoreFailed"));
    }

    // Flash refuses the result: the offer stays owned (no new one is taken) until the result is kept, then the cloud
    // hears of it and is asked what it offered meanwhile.
    [TestMethod]
    public void AResultThatCannotBeKeptHoldsItsOfferUntilItIs()
    {
        CotaRig rig = OfferedWithFullFlash("cota.r");
        byte[] file = rig.Http.File;
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-1", rig.ActiveId());
        Assert.AreEqual(0, rig.ResultCount);
        Assert.IsTrue(rig.Log.Contains("the result could not be kept in flash: Full"));
        Assert.AreEqual(1, rig.Service.PendingResults, "it waits, though not in flash");

        int requests = rig.Http.RequestCount;
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-2", file)));
        rig.Loop(100);
        Assert.AreEqual(requests, rig.Http.RequestCount, "no new offer is taken meanwhile");
        Assert.IsTrue(rig.Log.Contains("config cfg-2 not taken: the result of config cfg-1 is not in flash yet"));

        rig.Storage.FullArea = null;
        rig.Loop(30000 / 50);
        Assert.AreEqual(1, rig.ResultCount);
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
        rig.AnswerGet(CotaRig.Fields("cfg-2", file));
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-2", rig.ActiveId(), "the offer that waited comes with the answer to the get sent once the result was kept");
    }

    // An untrusted file server is a download failure like any other: the result's errors name the download.
    [TestMethod]
    public void ATlsFailureIsADownloadErrorInTheResult()
    {
        CotaRig rig = CotaRig.Connected(File1());
        rig.Http.Then(ScriptedResponse.WithStatus((int)CotaFirmware.Platform.HttpStatus.TlsFailed));
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", rig.Http.File)));
        rig.Run();
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"failed\",\"reason\":\"TlsFailed\",\"errors\":[{\"module\":\"download\",\"code\":\"TlsFailed\"}]}",
            rig.LastResultParams);
    }

    [TestMethod]
    public void ARejectedConfigIsAResultWithTheModulesErrors()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        rig.A.RejectCode = (int)CotaFirmware.Config.ConfigErrorCode.ValueOutOfRange;
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        rig.Run();
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"rejected\",\"reason\":\"Rejected\",\"errors\":[{\"module\":\"a\",\"key\":\"v\",\"code\":\"out_of_range\"}]}",
            rig.LastResultParams);
        Assert.AreEqual("", rig.ActiveId());
    }

    [TestMethod]
    public void AResultWhoseErrorsNearlyFillItsEntryStillEndsWithItsSeq()
    {
        // Four errors whose keys escape to 6 bytes a character, beside config ids of every length: some results fit the
        // entry with their errors, some only without them, and some in between, where the seq alone does not fit.
        byte[] file = File1();
        char[] key = new char[26];
        for (int i = 0; i < key.Length; i++)
        {
            key[i] = (char)1;
        }

        string failures = "";
        int detailed = 0;
        for (int k = 1; k <= 64; k++)
        {
            CotaRig rig = CotaRig.Connected(file);
            rig.A.RejectCode = (int)CotaFirmware.Config.ConfigErrorCode.ValueOutOfRange;
            rig.A.RejectKey = new string(key);
            rig.A.RejectCount = 4;
            rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields(new string('c', k), file)));
            rig.Run();
            string result = rig.LastResult;
            if (result == null || JsonText.ReadAll(JsonText.InMemory(result)) != JsonError.None || result.IndexOf(",\"seq\":1}") < 0)
            {
                failures += k.ToString() + ": " + result + "\n";
            }
            else if (result.IndexOf("errorsDropped") < 0)
            {
                detailed++;
            }
        }

        Assert.AreEqual("", failures);
        Assert.IsTrue(detailed > 0 && detailed < 64, "both forms were written: " + detailed.ToString() + " with their errors");
    }

    [TestMethod]
    public void RunningOutOfMemoryWhileAnOfferEndsGivesItOneResultAndTheRightOne()
    {
        byte[] file = File1();

        // A verified download whose line runs out of memory is still applied, not ended as failed.
        CotaRig rig = CotaRig.Connected(file);
        rig.Log.RunsOutOfMemoryOn = "downloaded, verified";
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        rig.RunPastOutOfMemory();
        rig.AnswerGet(null);
        rig.Run();
        Assert.IsNull(rig.Log.RunsOutOfMemoryOn, "the line ran out of memory");
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);

        // A failed download whose result landed before its line ran out of memory gets that result only.
        rig = CotaRig.Connected(file);
        rig.Http.Otherwise.Status = 404;
        rig.Log.RunsOutOfMemoryOn = "offer 1: failed";
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        rig.RunPastOutOfMemory();
        Assert.IsNull(rig.Log.RunsOutOfMemoryOn, "the line ran out of memory");
        Assert.AreEqual(1, rig.ResultCount, rig.Log.ToString());
        Assert.AreEqual("", rig.SequenceClash());
        Assert.IsTrue(rig.LastResultParams.IndexOf("\"reason\":\"HttpError\"") >= 0, rig.LastResultParams);
    }

    [TestMethod]
    public void ASequenceIsNeverHandedOutTwiceAfterACutWhileTheNewestResultIsOverwritten()
    {
        byte[] first = File1();
        byte[] big = CotaRig.Config(9, 5000);
        CotaRig rig = new CotaRig(first);
        rig.MaxConfigSize = 4096;
        FaultyStorage faulty = new FaultyStorage(rig.Storage, 0, -1);
        rig.Flash = faulty;
        rig.Build(true);
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", first)));
        rig.ApplyAndConfirm();

        // Too large: refused and reported as offer 2, delivered. A broken get_reply naming it is a second refusal,
        // offer 3, and power fails while it is written.
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-big", big)));
        rig.Run();
        Assert.AreEqual(2, rig.LastResultSeq);
        faulty.CutAt = faulty.Mutations + 1;
        faulty.TornBytes = 40;
        rig.GetReply("{\"id\":\"77\",\"code\":200,\"data\":{\"configId\":\"cfg-big\",\"configSize\":");
        Assert.IsTrue(faulty.PowerOff, "the refusal's write was cut");
        faulty.PowerOn();
        rig.Reboot(true);

        byte[] second = CotaRig.Config(2, 2500);
        rig.Http.File = second;
        rig.Push(CotaRig.PushOf("\"3\"", CotaRig.Fields("cfg-2", second)));
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-2", rig.ActiveId());
        Assert.AreEqual("", rig.SequenceClash());
    }

    [TestMethod]
    public void AResultWhoseReadFailsOnceIsSentLater()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        rig.Http.Otherwise.Status = 404;
        rig.Storage.UnreadableArea = "cota.r";
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        rig.Loop(5);
        rig.Storage.UnreadableArea = null;
        Assert.AreEqual(0, rig.ResultCount, "nothing could be read to send");
        Assert.AreEqual(1, rig.Service.PendingResults, "the result still waits");

        rig.Run();
        Assert.AreEqual(1, rig.ResultCount);
        Assert.IsTrue(rig.LastResultParams.IndexOf("\"configId\":\"cfg-1\"") >= 0, rig.LastResultParams);
    }

    [TestMethod]
    public void ARefusedOfferNeverPushesOutAnAcceptedOffersUnsentResult()
    {
        byte[] file = File1();
        CotaRig rig = new CotaRig(file);
        rig.MaxConfigSize = 4096;
        rig.CotaSettings.ResultSlots = 2;
        rig.Build(true);

        // Nothing reaches the cloud for a while: an accepted offer fails (404), then two offers too large are refused.
        rig.Session.PublishResult = CotaFirmware.Mqtt.MqttStatus.ChannelFailed;
        rig.Http.Otherwise.Status = 404;
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        rig.Loop(50);
        byte[] big = CotaRig.Config(9, 5000);
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-big", big)));
        rig.Push(CotaRig.PushOf("\"3\"", CotaRig.Fields("cfg-big2", big)));
        Assert.IsFalse(rig.Log.Contains("lost unsent"), rig.Log.ToString());

        rig.Session.PublishResult = CotaFirmware.Mqtt.MqttStatus.Ok;
        rig.Run();
        Assert.IsTrue(rig.Log.Contains("result of config cfg-1, offer 1 delivered"), rig.Log.ToString());
        Assert.IsTrue(rig.Log.Contains("result of config cfg-big, offer 2 delivered"), rig.Log.ToString());
    }

    [TestMethod]
    public void AResultThatCannotBeSentWaitsInFlashAcrossReboots()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        rig.Http.Then(ScriptedResponse.WithStatus(404));
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        rig.Session.PublishResult = CotaFirmware.Mqtt.MqttStatus.ChannelFailed;
        rig.Loop(10);
        Assert.AreEqual(1, rig.Service.PendingResults);
        Assert.AreEqual(0, rig.ResultCount);

        rig.Reboot(false);
        Assert.AreEqual(1, rig.Service.PendingResults);
        rig.Session.PublishResult = CotaFirmware.Mqtt.MqttStatus.Ok;
        rig.Reboot(true);
        rig.Run();
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"failed\",\"reason\":\"HttpError\",\"errors\":[{\"module\":\"download\",\"code\":\"HttpError\",\"httpStatus\":404}]}",
            rig.LastResultParams);
        Assert.AreEqual(1, rig.ResultCount);
        rig.Reboot(true);
        rig.Run();
        Assert.AreEqual(1, rig.ResultCount, "delivered once, not again after the next boot");
    }

    // Every slot holds a result the cloud has not had: the oldest gives way to the newest, and the log names the one lost.
    [TestMethod]
    public void AnAcceptedOffersUnsentResultIsNeverPushedOut()
    {
        CotaRig rig = new CotaRig(File1());
        rig.CotaSettings.ResultSlots = 1;
        rig.Http.Otherwise = ScriptedResponse.WithStatus(404);
        rig.Build(true);
        for (int i = 1; i <= 2; i++)
        {
            rig.Session.PublishResult = CotaFirmware.Mqtt.MqttStatus.Ok;
            rig.Device.Connect();
            rig.Push(CotaRig.PushOf(i.ToString(), CotaRig.Fields("cfg-" + i.ToString(), rig.Http.File)));
            rig.Session.PublishResult = CotaFirmware.Mqtt.MqttStatus.ChannelFailed;
            rig.Loop(10);
        }

        // The one slot holds offer 1's result; offer 2's waits for it to be sent instead of taking its place.
        Assert.AreEqual(2, rig.Service.PendingResults);
        Assert.IsFalse(rig.Log.Contains("lost unsent"));
        rig.Session.PublishResult = CotaFirmware.Mqtt.MqttStatus.Ok;
        rig.Device.Connect();
        rig.Run();
        Assert.IsNotNull(rig.ResultOf(1));
        Assert.IsNotNull(rig.ResultOf(2));
    }

    [TestMethod]
    public void AResultWithoutReplyCountsAsDeliveredOnlyWhenTheConnectionHeldThroughTheWait()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        rig.AckEvents = false;
        rig.Http.Then(ScriptedResponse.WithStatus(404));
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        rig.Loop(3);
        Assert.AreEqual(1, rig.ResultCount);
        string first = rig.LastResult;

        // The connection drops before any reply: sent again after the reconnect, the same result with the same seq.
        rig.Session.Drop();
        rig.Device.Connect();
        rig.Loop(3);
        Assert.AreEqual(2, rig.ResultCount);
        Assert.AreEqual(1, rig.Service.PendingResults);
        Assert.AreEqual(first.Substring(first.IndexOf("\"params\"")), rig.LastResult.Substring(rig.LastResult.IndexOf("\"params\"")));

        // The connection holds past the reply timeout: the broker has it.
        rig.Loop(10000 / 50 + 5);
        Assert.AreEqual(0, rig.Service.PendingResults);
        Assert.AreEqual(2, rig.ResultCount);
    }
}
