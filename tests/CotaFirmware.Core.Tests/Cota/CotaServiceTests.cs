#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using CotaFirmware.Cota;
using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Cota;

[TestClass]
public class CotaServiceTests
{
    private static byte[] File1() => DownloadFixture.File(3000, 1);

    private static byte[] File2() => DownloadFixture.File(2500, 2);

    [TestMethod]
    public void APushIsAckedWithItsStringIdDownloadedVerifiedAndHandedOver()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        rig.Push(CotaRig.PushOf("\"123\"", CotaRig.Fields("cfg-1", file)));
        Assert.AreEqual("{\"id\":\"123\",\"code\":200,\"data\":{}}", rig.LastAck);
        Assert.AreEqual(1, rig.Offers);
        rig.Run();
        Assert.AreEqual(1, rig.Candidates);
        Assert.AreEqual("cfg-1", rig.CandidateId);
        Assert.IsTrue(rig.CandidateStagedFile);
        Assert.IsTrue(rig.Service.LastOutcome == DownloadOutcome.Completed);
        Assert.IsNull(rig.Storage.Contents(rig.Settings.StagingArea));
        Assert.IsNull(rig.LastResult);
    }

    [TestMethod]
    public void ANumericIdIsEchoedAsANumber()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        rig.Push(CotaRig.PushOf("2001", CotaRig.Fields("cfg-1", file)));
        Assert.AreEqual("{\"id\":2001,\"code\":200,\"data\":{}}", rig.LastAck);
    }

    [TestMethod]
    public void LenientSpellingsAnyOrderAndUnknownFieldsAreAccepted()
    {
        byte[] file = File1();
        string sign = Linkkit.Ascii.Text(DownloadFixture.SignHex(file), 0, 64).ToUpper();
        string url = DownloadFixture.Url("https");
        Assert.IsTrue(url.Length >= 816);
        string push = "{\"method\":\"thing.config.push\",\"extra\":{\"a\":[1,2,{\"configId\":\"x\"}]},\"params\":{\"url\":\"" + url
            + "\",\"getType\":\"file\",\"signMethod\":\"SHA256\",\"sign\":\"" + sign + "\",\"configSize\":\"" + file.Length
            + "\",\"configId\":\"cfg-2\",\"future\":null},\"version\":\"1.0\",\"id\":\"9\"}";
        CotaRig rig = CotaRig.Connected(file);
        rig.Push(push);
        Assert.AreEqual(200, rig.Service.LastAckCode);
        Assert.AreEqual(url.Length, rig.Service.LastMessage.UrlLength);
        Assert.AreEqual((long)file.Length, rig.Service.LastMessage.ConfigSize);
        rig.Run();
        Assert.AreEqual(1, rig.Candidates);
        Assert.IsTrue(rig.CandidateStagedFile);
    }

    [TestMethod]
    public void InvalidFieldsAreRefusedWith460AndAMessageAndNothingIsDownloaded()
    {
        byte[] file = File1();
        string sign = Linkkit.Ascii.Text(DownloadFixture.SignHex(file), 0, 64);
        string url = DownloadFixture.Url("https");
        string tail = ",\"url\":\"" + url + "\",\"getType\":\"file\"";
        string[] bad =
        {
            "\"configSize\":3000,\"sign\":\"" + sign + "\",\"signMethod\":\"Sha256\"" + tail,
            "\"configId\":\"\",\"configSize\":3000,\"sign\":\"" + sign + "\",\"signMethod\":\"Sha256\"" + tail,
            "\"configId\":\"" + new string('c', 65) + "\",\"configSize\":3000,\"sign\":\"" + sign + "\",\"signMethod\":\"Sha256\"" + tail,
            "\"configId\":7,\"configSize\":3000,\"sign\":\"" + sign + "\",\"signMethod\":\"Sha256\"" + tail,
            "\"configId\":\"c\",\"configSize\":-1,\"sign\":\"" + sign + "\",\"signMethod\":\"Sha256\"" + tail,
            "\"configId\":\"c\",\"configSize\":\"12a\",\"sign\":\"" + sign + "\",\"signMethod\":\"Sha256\"" + tail,
            "\"configId\":\"c\",\"configSize\":1.5,\"sign\":\"" + sign + "\",\"signMethod\":\"Sha256\"" + tail,
            "\"configId\":\"c\",\"sign\":\"" + sign + "\",\"signMethod\":\"Sha256\"" + tail,
            "\"configId\":\"c\",\"configSize\":3000,\"sign\":\"" + sign + "\",\"signMethod\":\"Md5\"" + tail,
            "\"configId\":\"c\",\"configSize\":3000,\"sign\":\"" + sign + "\",\"signMethod\":\"sha1\"" + tail,
            "\"configId\":\"c\",\"configSize\":3000,\"sign\":\"" + sign.Substring(1) + "\",\"signMethod\":\"Sha256\"" + tail,
            "\"configId\":\"c\",\"configSize\":3000,\"sign\":\"" + sign.Substring(1) + "g\",\"signMethod\":\"Sha256\"" + tail,
            "\"configId\":\"c\",\"configSize\":3000,\"signMethod\":\"Sha256\"" + tail,
            "\"configId\":\"c\",\"configSize\":3000,\"sign\":\"" + sign + "\",\"signMethod\":\"Sha256\",\"getType\":\"file\"",
            "\"configId\":\"c\",\"configSize\":3000,\"sign\":\"" + sign + "\",\"signMethod\":\"Sha256\",\"url\":\"" + url + "\",\"getType\":\"http\"",
            "\"configId\":\"c\",\"configSize\":3000,\"sign\":\"" + sign + "\",\"signMethod\":\"Sha256\",\"url\":\"a b\",\"getType\":\"file\"",
        };
        CotaRig rig = CotaRig.Connected(file);
        for (int i = 0; i < bad.Length; i++)
        {
            rig.Push(CotaRig.PushOf("\"" + i + "\"", bad[i]));
            Assert.AreEqual(460, rig.Service.LastAckCode, bad[i]);
            string ack = rig.LastAck;
            Assert.IsTrue(ack.StartsWith("{\"id\":\"" + i + "\",\"code\":460,\"data\":{},\"message\":\""), ack);
            Assert.IsFalse(rig.Service.IsBusy, bad[i]);
        }

        rig.Run();
        Assert.AreEqual(0, rig.Http.RequestCount);
        Assert.AreEqual(0, rig.Service.DownloadsStarted);
        Assert.AreEqual(0, rig.Offers);
    }

    [TestMethod]
    public void MalformedPushesAreRefusedWith400()
    {
        byte[] file = File1();
        string fields = CotaRig.Fields("c", file);
        string[] bad =
        {
            "not json", "[1]", "{\"id\":\"1\",\"params\":{" + fields + "}", "{\"id\":\"1\",\"params\":[]}",
            "{\"id\":\"1\",\"version\":\"1.0\"}", "{\"params\":{" + fields + "}}", "{\"id\":{},\"params\":{" + fields + "}}",
            "{\"id\":\"1\",\"params\":{" + fields + "}} trailing",
        };
        CotaRig rig = CotaRig.Connected(file);
        for (int i = 0; i < bad.Length; i++)
        {
            rig.Push(bad[i]);
            Assert.AreEqual(400, rig.Service.LastAckCode, bad[i]);
            Assert.IsTrue(rig.LastAck.IndexOf("\"code\":400,\"data\":{},\"message\":\"") >= 0, rig.LastAck);
        }

        Assert.AreEqual(bad.Length, rig.CountOn("thing/config/push_reply"));
        rig.Run();
        Assert.AreEqual(0, rig.Http.RequestCount);
    }

    [TestMethod]
    public void AnOversizeConfigIsRefusedBeforeAnyRequestAndReported()
    {
        byte[] file = File1();
        CotaRig rig = new CotaRig(file);
        rig.Settings.MaxConfigSize = 1000;
        rig.Build(true);
        rig.Push(CotaRig.PushOf("\"5\"", CotaRig.Fields("big", file)));
        Assert.AreEqual(460, rig.Service.LastAckCode);
        rig.Run();
        Assert.AreEqual(0, rig.Http.RequestCount);
        Assert.AreEqual(1, rig.Failures);
        Assert.IsTrue(rig.LastFailure == DownloadOutcome.TooLarge);
        string result = rig.LastResult;
        Assert.IsTrue(result.IndexOf("\"params\":{\"configId\":\"big\",\"status\":\"rejected\",\"errors\":[{\"module\":\"download\",\"code\":\"TooLarge\"}]}") > 0, result);

        // The same config again is neither fetched nor reported twice.
        rig.Push(CotaRig.PushOf("\"6\"", CotaRig.Fields("big", file)));
        Assert.AreEqual(1, rig.Failures);
    }

    [TestMethod]
    public void EveryConnectSendsAGetWhoseReplyIsHandledAndConfirmsTheCloud()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        string get = rig.LastOn("thing/config/get");
        Assert.AreEqual("{\"id\":\"1\",\"version\":\"1.0\",\"params\":{\"configScope\":\"product\",\"getType\":\"file\"},\"method\":\"thing.config.get\"}", get);
        rig.GetReply("{\"id\":\"1\",\"code\":6710,\"data\":{},\"message\":\"no data\"}");
        Assert.AreEqual(1, rig.Confirms);
        Assert.IsFalse(rig.Service.IsBusy);

        rig.Linkkit.Session.Drop();
        rig.Linkkit.Device.Connect();
        Assert.AreEqual(2, rig.CountOn("thing/config/get"));
        rig.GetReply(CotaRig.GetReplyOf("2", CotaRig.Fields("cfg-1", file)));
        Assert.AreEqual(2, rig.Confirms);
        Assert.AreEqual(0, rig.CountOn("thing/config/push_reply"));
        rig.Run();
        Assert.AreEqual(1, rig.Candidates);

        // A late get_reply that no request waits for is still taken (the config is applied by now: no download).
        rig.Applied = "cfg-1";
        rig.GetReply(CotaRig.GetReplyOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        Assert.IsFalse(rig.Service.IsBusy);
        Assert.AreEqual(1, rig.Service.DownloadsStarted);
    }

    [TestMethod]
    public void TheAppliedConfigOrTheOneDownloadingIsNotDownloadedAgainButStillAcked()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        rig.Applied = "cfg-1";
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        Assert.IsFalse(rig.Service.IsBusy);

        rig.Applied = string.Empty;
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-1", file)));
        rig.Service.Step();
        rig.Push(CotaRig.PushOf("\"3\"", CotaRig.Fields("cfg-1", file)));
        rig.GetReply(CotaRig.GetReplyOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        rig.Run();
        Assert.AreEqual(1, rig.Service.DownloadsStarted);
        Assert.AreEqual(1, rig.Candidates);
        Assert.AreEqual(1, rig.Http.RequestCount);
    }

    [TestMethod]
    public void ANewerPushSupersedesADownloadInProgress()
    {
        byte[] first = File1();
        byte[] second = File2();
        CotaRig rig = CotaRig.Connected(first);
        rig.Http.ReadChunk = 100;
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", first)));
        for (int i = 0; i < 5; i++)
        {
            rig.Service.Step();
        }

        Assert.IsTrue(rig.Service.IsBusy);
        rig.Http.File = second;
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-2", second)));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        rig.Run();
        Assert.AreEqual(2, rig.Service.DownloadsStarted);
        Assert.AreEqual(1, rig.Candidates);
        Assert.AreEqual("cfg-2", rig.CandidateId);
        Assert.IsTrue(rig.CandidateStagedFile);
        Assert.AreEqual(0, rig.Failures);
        Assert.IsNull(rig.LastResult);
    }

    [TestMethod]
    public void AFailedConfigIsReportedAndNotFetchedAgainUntilAnotherArrives()
    {
        byte[] file = File1();
        byte[] other = File2();
        CotaRig rig = CotaRig.Connected(file);
        string wrongSign = "\"configId\":\"cfg-1\",\"configSize\":" + file.Length + ",\"sign\":\""
            + Linkkit.Ascii.Text(DownloadFixture.SignHex(other), 0, 64) + "\",\"signMethod\":\"Sha256\",\"url\":\""
            + DownloadFixture.Url("https") + "\",\"getType\":\"file\"";
        rig.Push(CotaRig.PushOf("\"1\"", wrongSign));
        rig.Run();
        Assert.AreEqual(1, rig.Failures);
        Assert.IsTrue(rig.LastFailure == DownloadOutcome.HashMismatch);
        Assert.IsTrue(rig.LastResult.IndexOf("\"code\":\"HashMismatch\"") > 0, rig.LastResult);
        Assert.IsNull(rig.Storage.Contents(rig.Settings.StagingArea));

        rig.Push(CotaRig.PushOf("\"2\"", wrongSign));
        rig.GetReply(CotaRig.GetReplyOf("\"1\"", wrongSign));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        rig.Run();
        Assert.AreEqual(1, rig.Service.DownloadsStarted);

        rig.Push(CotaRig.PushOf("\"3\"", CotaRig.Fields("cfg-1", file)));
        rig.Run();
        Assert.AreEqual(2, rig.Service.DownloadsStarted);
        Assert.AreEqual(1, rig.Candidates);
    }

    [TestMethod]
    public void ATransientFailureIsRetriedByAGetButNotByTheSamePush()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        for (int i = 0; i < 4; i++)
        {
            rig.Http.Then(ScriptedResponse.WithStatus(503));
        }

        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        rig.Run();
        Assert.IsTrue(rig.LastFailure == DownloadOutcome.RetriesExhausted);
        Assert.IsTrue(rig.LastResult.IndexOf("\"code\":\"RetriesExhausted\"") > 0, rig.LastResult);

        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-1", file)));
        rig.Run();
        Assert.AreEqual(1, rig.Service.DownloadsStarted);

        rig.GetReply(CotaRig.GetReplyOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        rig.Run();
        Assert.AreEqual(2, rig.Service.DownloadsStarted);
        Assert.AreEqual(1, rig.Candidates);
    }

    [TestMethod]
    public void ADownloadWaitsForItsJitterBeforeTheFirstRequest()
    {
        byte[] file = File1();
        CotaRig rig = new CotaRig(file);
        rig.CotaSettings.StartJitterMs = 100000;
        rig.Build(true);
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        int wait = rig.Service.NextStepInMs;
        Assert.IsTrue(wait > 0 && wait <= 100000);
        rig.Service.Step();
        Assert.AreEqual(0, rig.Service.DownloadsStarted);
        rig.Clock.Now += wait;
        rig.Service.Step();
        Assert.AreEqual(1, rig.Service.DownloadsStarted);
        rig.Run();
        Assert.AreEqual(1, rig.Candidates);
        Assert.AreEqual(-1, rig.Service.NextStepInMs);
    }

    [TestMethod]
    public void ResultsGoOutAsTheConfiguredThingEvent()
    {
        byte[] file = File1();
        CotaRig rig = new CotaRig(file);
        rig.CotaSettings.ResultEventIdentifier = "CfgDone";
        rig.Build(true);
        var report = new DownloadFailureReport();
        byte[] id = DownloadFixture.Ascii("c\"1");
        report.Set(id, 0, id.Length, DownloadOutcome.HttpError, 403);
        Assert.IsTrue(rig.Service.SendResult(report) > 0);
        Assert.AreEqual("{\"id\":\"2\",\"version\":\"1.0\",\"params\":{\"configId\":\"c\\\"1\",\"status\":\"rejected\",\"errors\":[{\"module\":\"download\",\"code\":\"HttpError\",\"httpStatus\":403}]},\"method\":\"thing.event.CfgDone.post\"}",
            rig.LastOn("thing/event/CfgDone/post"));
    }
}
