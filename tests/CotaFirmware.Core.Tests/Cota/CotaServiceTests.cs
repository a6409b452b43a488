using CotaFirmware.Cota;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;
using CotaFirmware.Tests.Mqtt;

namespace CotaFirmware.Tests.Cota;

[TestClass]
public class CotaServiceTests
{
    private static byte[] File1() => CotaRig.Config(1, 3000);

    private static byte[] File2() => CotaRig.Config(2, 2500);

    [TestMethod]
    public void APushIsAckedWithItsStringIdDownloadedAppliedConfirmedAndReported()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        rig.Push(CotaRig.PushOf("\"123\"", CotaRig.Fields("cfg-1", file)));
        Assert.AreEqual("{\"id\":\"123\",\"code\":200,\"data\":{}}", rig.LastAck);
        Assert.AreEqual(1, rig.Offers);
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-1", rig.ActiveId());
        Assert.AreEqual(1, rig.A.Value);
        Assert.IsFalse(rig.Store.IsOnTrial);
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
        Assert.AreEqual(1, rig.ResultCount);
        Assert.AreEqual(0, rig.Service.PendingResults);
        Expect.Status(CotaStatus.Ok, rig.Service.LastResult);
        Assert.AreEqual(1, rig.Http.RequestCount);
    }

    [TestMethod]
    public void APushSentWithTheConnackOfAResumedSessionIsAckedOnTheCoreClient()
    {
        // LinkKit connects with clean session off: the broker sends the push it kept for the device (QoS 1) right
        // behind the CONNACK, in the same read.
        byte[] file = File1();
        CotaRig rig = new CotaRig(file);
        ScriptedChannel channel = new ScriptedChannel(rig.Clock, 4096);
        channel.Queue(MqttFrames.Connack(0, true));
        channel.Queue(MqttFrames.Publish(CotaRig.Prefix + "thing/config/push", Ascii.Bytes(CotaRig.PushOf("\"5\"", CotaRig.Fields("cfg-1", file))), 1, 9));
        rig.Build(new MqttClientSession(channel, rig.Clock, new MqttClientSettings(), rig.Log), true);
        rig.Device.Yield(0);

        Assert.AreEqual(1, rig.Offers);
        Assert.IsFalse(rig.Log.Contains("cannot send push_reply"));
        string ack = null;
        bool acked = false;
        int body;
        int length;
        int first;
        while ((first = channel.NextWritten(out body, out length)) >= 0)
        {
            int word = (channel.Written[body] << 8) | channel.Written[body + 1]; // a PUBLISH's topic length, a PUBACK's packet id
            if (first == 0x30 && Ascii.Text(channel.Written, body + 2, word) == CotaRig.Prefix + CotaService.PushReplySuffix)
            {
                ack = Ascii.Text(channel.Written, body + 2 + word, length - 2 - word);
            }

            acked |= first == 0x40 && word == 9;
        }

        Assert.AreEqual("{\"id\":\"5\",\"code\":200,\"data\":{}}", ack, "the cloud hears the push_reply");
        Assert.IsTrue(acked, "and the PUBACK");
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
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-2", rig.ActiveId());
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
        Assert.AreEqual(0, rig.ResultCount, "a refused push is answered by its push_reply: it was never accepted");
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
    public void AnOversizeConfigIsRefusedBeforeAnyRequestAndReportedOnce()
    {
        byte[] file = File1();
        CotaRig rig = new CotaRig(file);
        rig.MaxConfigSize = 1000;
        rig.Build(true);
        rig.Push(CotaRig.PushOf("\"5\"", CotaRig.Fields("big", file)));
        Assert.AreEqual(460, rig.Service.LastAckCode);
        rig.Run();
        Assert.AreEqual(0, rig.Http.RequestCount);
        Assert.AreEqual("{\"configId\":\"big\",\"status\":\"rejected\",\"reason\":\"TooLarge\",\"errors\":[],\"configSize\":" + file.Length.ToString()
            + ",\"maxConfigSize\":1000}", rig.LastResultParams);

        // The same config again is neither fetched nor reported twice.
        rig.Push(CotaRig.PushOf("\"6\"", CotaRig.Fields("big", file)));
        rig.Run();
        Assert.AreEqual(1, rig.ResultCount);
    }

    [TestMethod]
    public void AnOversizePushWhoseIdFitIsAnsweredWith400AndNothingIsDownloaded()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        rig.Session.DeliverOversize(CotaRig.Prefix + "thing/config/push", 9000, "{\"id\":\"77\",\"version\":\"1.0\",\"params\":{\"configId\":\"c-big\",\"con");
        Assert.AreEqual(400, rig.Service.LastAckCode);
        Assert.AreEqual("{\"id\":\"77\",\"code\":400,\"data\":{},\"message\":\"message of 9000 bytes exceeds the device's receive buffer\"}", rig.LastAck);

        // No id in the part that fit: nothing to answer, only the log says so.
        rig.Session.DeliverOversize(CotaRig.Prefix + "thing/config/push", 9000, "{\"version\":\"1.0\",\"params\":{\"conf");
        Assert.AreEqual(1, rig.CountOn("thing/config/push_reply"));
        Assert.IsTrue(rig.Log.Contains("no id in the part that fit"));

        // A number id that runs to the end of the part that fit may be cut short (12 of 1234): answering it would ack another push.
        rig.Session.DeliverOversize(CotaRig.Prefix + "thing/config/push", 9000, "{\"version\":\"1.0\",\"params\":{\"configId\":\"c-big\"},\"id\":12");
        Assert.AreEqual(1, rig.CountOn("thing/config/push_reply"));
        rig.Run();
        Assert.AreEqual(0, rig.Http.RequestCount);
        Assert.AreEqual(0, rig.ResultCount, "a push that was not accepted has no result: the cloud saw the 400");
    }

    [TestMethod]
    public void AnOversizeGetReplyIsAResultNamingItsSizeOncePerConfig()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        string prefix = "{\"id\":\"900\",\"version\":\"1.0\",\"code\":200,\"data\":{\"configId\":\"c-big\",\"configSize\":30";
        rig.Session.DeliverOversize(CotaRig.Prefix + "thing/config/get_reply", 12000, prefix);
        rig.Run();
        Assert.AreEqual("{\"configId\":\"c-big\",\"status\":\"rejected\",\"reason\":\"MessageTooLarge\",\"errors\":[],\"messageSize\":12000}", rig.LastResultParams);

        // The answer to the get this connect sent, too large again: LinkKit ends the request with it, and the config was reported already.
        string id = rig.LastGetId();
        rig.Session.DeliverOversize(CotaRig.Prefix + "thing/config/get_reply", 12000, "{\"id\":\"" + id + "\",\"version\":\"1.0\",\"code\":200,\"data\":{\"configId\":\"c-big\",\"co");
        rig.Run();
        Assert.AreEqual(1, rig.ResultCount);
        Assert.IsFalse(rig.Log.Contains("got no reply in time"), "too large is not a timeout");
        Assert.AreEqual(0, rig.Http.RequestCount);
    }

    [TestMethod]
    public void AnOversizeAnswerToTheGetIsAResultNamingItsSize()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        string id = rig.LastGetId();
        rig.Session.DeliverOversize(CotaRig.Prefix + "thing/config/get_reply", 12000, "{\"id\":\"" + id + "\",\"version\":\"1.0\",\"code\":200,\"data\":{\"configId\":\"c-big2\",\"co");
        rig.Run();
        Assert.AreEqual("{\"configId\":\"c-big2\",\"status\":\"rejected\",\"reason\":\"MessageTooLarge\",\"errors\":[],\"messageSize\":12000}", rig.LastResultParams);
    }

    [TestMethod]
    public void AGetReplyThatIsNotValidJsonIsAResultNamingItsConfig()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        rig.GetReply("{\"id\":\"" + rig.LastGetId() + "\",\"code\":200,\"data\":{\"configId\":\"c-broken\",\"url\":tru}}");
        rig.Run();
        Assert.AreEqual("{\"configId\":\"c-broken\",\"status\":\"rejected\",\"reason\":\"Malformed\",\"errors\":[]}", rig.LastResultParams);
        Assert.AreEqual(0, rig.Http.RequestCount);
    }

    [TestMethod]
    public void EveryConnectSendsAGetWhoseReplyIsHandledLikeAPush()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        string get = rig.LastOn("thing/config/get");
        Assert.AreEqual("{\"id\":\"1\",\"version\":\"1.0\",\"params\":{\"configScope\":\"product\",\"getType\":\"file\"},\"method\":\"thing.config.get\"}", get);
        rig.GetReply("{\"id\":\"1\",\"code\":6710,\"data\":{},\"message\":\"no data\"}");
        Assert.IsFalse(rig.Service.IsBusy);

        rig.Session.Drop();
        rig.Device.Connect();
        Assert.AreEqual(2, rig.CountOn("thing/config/get"));
        rig.GetReply(CotaRig.GetReplyOf("2", CotaRig.Fields("cfg-1", file)));
        Assert.AreEqual(0, rig.CountOn("thing/config/push_reply"));
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-1", rig.ActiveId());

        // A late get_reply that no request waits for is still taken (the config is applied by now: no download).
        rig.GetReply(CotaRig.GetReplyOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        Assert.IsFalse(rig.Service.IsBusy);
        Assert.AreEqual(1, rig.Service.DownloadsStarted);
    }

    [TestMethod]
    public void TheAppliedConfigOrTheOneDownloadingIsNotDownloadedAgainButStillAcked()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        rig.Service.Step();
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-1", file)));
        rig.GetReply(CotaRig.GetReplyOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        rig.ApplyAndConfirm();
        Assert.AreEqual(1, rig.Service.DownloadsStarted);
        Assert.AreEqual(1, rig.Http.RequestCount);

        rig.Push(CotaRig.PushOf("\"3\"", CotaRig.Fields("cfg-1", file)));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        Assert.IsFalse(rig.Service.IsBusy);
        rig.Run();
        Assert.AreEqual(1, rig.Service.DownloadsStarted);
        Assert.AreEqual(1, rig.ResultCount, "one offer, one result");
    }

    [TestMethod]
    public void ANewerPushSupersedesADownloadInProgressAndBothGetTheirResult()
    {
        byte[] first = File1();
        byte[] second = File2();
        CotaRig rig = CotaRig.Connected(first);
        rig.Http.ReadChunk = 100;
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", first)));
        rig.Loop(5);
        Assert.IsTrue(rig.Service.IsBusy);
        rig.Http.File = second;
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-2", second)));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        rig.Loop();
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"superseded\",\"reason\":\"Superseded\",\"errors\":[]}", rig.LastResultParams);
        Assert.AreEqual(1, rig.LastResultSeq);
        rig.ApplyAndConfirm();
        Assert.AreEqual(2, rig.Service.DownloadsStarted);
        Assert.AreEqual("cfg-2", rig.ActiveId());
        Assert.AreEqual(2, rig.A.Value);
        Assert.AreEqual("{\"configId\":\"cfg-2\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
        Assert.AreEqual(2, rig.LastResultSeq, "each offer has its own seq");
        Assert.AreEqual(2, rig.ResultCount);
    }

    [TestMethod]
    public void AFailedConfigIsReportedWithItsReasonAndNotFetchedAgainUntilAnotherArrives()
    {
        byte[] file = File1();
        byte[] other = File2();
        CotaRig rig = CotaRig.Connected(file);
        string wrongSign = "\"configId\":\"cfg-1\",\"configSize\":" + file.Length + ",\"sign\":\""
            + Linkkit.Ascii.Text(DownloadFixture.SignHex(other), 0, 64) + "\",\"signMethod\":\"Sha256\",\"url\":\""
            + DownloadFixture.Url("https") + "\",\"getType\":\"file\"";
        rig.Push(CotaRig.PushOf("\"1\"", wrongSign));
        rig.Run();
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"failed\",\"reason\":\"HashMismatch\",\"errors\":[{\"module\":\"download\",\"code\":\"HashMismatch\",\"httpStatus\":200}]}",
            rig.LastResultParams);
        Assert.AreEqual("", rig.ActiveId());

        rig.Push(CotaRig.PushOf("\"2\"", wrongSign));
        rig.GetReply(CotaRig.GetReplyOf("\"1\"", wrongSign));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        rig.Run();
        Assert.AreEqual(1, rig.Service.DownloadsStarted);
        Assert.AreEqual(1, rig.ResultCount);

        rig.Push(CotaRig.PushOf("\"3\"", CotaRig.Fields("cfg-1", file)));
        rig.ApplyAndConfirm();
        Assert.AreEqual(2, rig.Service.DownloadsStarted);
        Assert.AreEqual("cfg-1", rig.ActiveId());
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
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"failed\",\"reason\":\"RetriesExhausted\",\"errors\":[{\"module\":\"download\",\"code\":\"RetriesExhausted\",\"lastFailure\":\"HttpError\",\"httpStatus\":503}]}",
            rig.LastResultParams);

        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-1", file)));
        rig.Run();
        Assert.AreEqual(1, rig.Service.DownloadsStarted);

        // The get of the next connect (asked after the pushes) offers it again.
        rig.Session.Drop();
        rig.Device.Connect();
        rig.AnswerGet(CotaRig.Fields("cfg-1", file));
        rig.ApplyAndConfirm();
        Assert.AreEqual(2, rig.Service.DownloadsStarted);
        Assert.AreEqual("cfg-1", rig.ActiveId());
        Assert.AreEqual(2, rig.ResultCount, "two acceptances, two results");
    }

    [TestMethod]
    public void AConfigsResultIsRememberedWhileAnotherFailsAgainAndAgain()
    {
        byte[] first = File1();
        byte[] second = File2();
        CotaRig rig = CotaRig.Connected(first);
        string wrongSign = "\"configId\":\"cfg-1\",\"configSize\":" + first.Length + ",\"sign\":\""
            + Linkkit.Ascii.Text(DownloadFixture.SignHex(second), 0, 64) + "\",\"signMethod\":\"Sha256\",\"url\":\""
            + DownloadFixture.Url("https") + "\",\"getType\":\"file\"";
        rig.Push(CotaRig.PushOf("\"1\"", wrongSign));
        rig.Run();
        rig.Http.File = second;
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-2", second)));
        rig.ApplyAndConfirm();

        // More failed offers of one config than the log has slots: each takes the slot of the one before.
        for (int i = 0; i < rig.Http.RequestCount; i++)
        {
            rig.Http.Then(new ScriptedResponse());
        }

        for (int n = 0; n < rig.CotaSettings.ResultSlots + 2; n++)
        {
            for (int i = 0; i < rig.Settings.MaxAttempts; i++)
            {
                rig.Http.Then(ScriptedResponse.WithStatus(503));
            }

            rig.GetReply(CotaRig.GetReplyOf("\"" + (10 + n).ToString() + "\"", CotaRig.Fields("cfg-3", second)));
            rig.Run();
        }

        Assert.AreEqual(2 + rig.CotaSettings.ResultSlots + 2, rig.ResultCount);
        int downloads = rig.Service.DownloadsStarted;

        // A repeated push of the config whose file failed its hash: still known as failed, so acked and not fetched again.
        rig.Push(CotaRig.PushOf("\"30\"", wrongSign));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        rig.Run();
        Assert.AreEqual(downloads, rig.Service.DownloadsStarted);
        Assert.AreEqual("cfg-2", rig.ActiveId());
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
        rig.Clock.Advance(wait);
        rig.Service.Step();
        Assert.AreEqual(1, rig.Service.DownloadsStarted);
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-1", rig.ActiveId());
        Assert.AreEqual(-1, rig.Service.NextStepInMs);
    }

    [TestMethod]
    public void GetReplyRefusalsAreResultsOnce()
    {
        byte[] file = File1();
        string sign = Linkkit.Ascii.Text(DownloadFixture.SignHex(file), 0, 64);
        string md5 = "\"configId\":\"c-md5\",\"configSize\":3000,\"sign\":\"" + sign + "\",\"signMethod\":\"Md5\",\"url\":\""
            + DownloadFixture.Url("https") + "\",\"getType\":\"file\"";
        CotaRig rig = CotaRig.Connected(file);
        rig.GetReply(CotaRig.GetReplyOf("\"1\"", md5));
        rig.Run();
        Assert.AreEqual("{\"configId\":\"c-md5\",\"status\":\"rejected\",\"reason\":\"SignMethodUnsupported\",\"errors\":[]}", rig.LastResultParams);
        rig.GetReply(CotaRig.GetReplyOf("\"2\"", md5));
        rig.Run();
        Assert.AreEqual(1, rig.ResultCount);
        Assert.AreEqual(0, rig.Http.RequestCount);
    }

    [TestMethod]
    public void ADownloadResumesAfterARebootOnceConnectedWithoutAnOffer()
    {
        byte[] file = CotaRig.Config(7, 5000);
        CotaRig rig = CotaRig.MidDownload(file, DownloadFixture.Url("https"));
        Assert.IsTrue(rig.Store.CandidateWritten > 0 && rig.Store.CandidateWritten < file.Length);
        long landed = rig.Store.CandidateWritten;
        int requests = rig.Http.RequestCount;

        // The network is not up yet: the resume waits instead of spending its attempts.
        rig.Reboot(false);
        rig.Loop(400);
        Assert.AreEqual(requests, rig.Http.RequestCount, "no request before the connection");
        Assert.AreEqual(-1, rig.Service.NextStepInMs, "nothing scheduled while waiting for the connection");

        rig.Device.Connect();
        rig.Loop(100);
        Assert.AreEqual(landed, rig.Http.OffsetOf(requests), "resumed with a Range from what landed");
        rig.Run();
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
    }

    [TestMethod]
    public void AnOfferListenerThatThrowsIsLoggedAndTheOfferGoesOn()
    {
        byte[] file = File1();
        CotaRig rig = CotaRig.Connected(file);
        rig.Service.OfferListener = new ThrowingListener();
        rig.Push(CotaRig.PushOf("\"5\"", CotaRig.Fields("cfg-1", file)));
        Assert.AreEqual("{\"id\":\"5\",\"code\":200,\"data\":{}}", rig.LastAck);
        Assert.IsTrue(rig.Log.Contains("the offer listener threw on config cfg-1"), rig.Log.ToString());
        rig.ApplyAndConfirm();
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
    }

    [TestMethod]
    public void NamesAreTheEnumsOwn()
    {
        Assert.AreEqual("DeadlineWithoutContact", CotaNames.Of(CotaStatus.DeadlineWithoutContact));
        Assert.AreEqual("Superseded", CotaNames.Of(CotaStatus.Superseded));
        Assert.AreEqual("failed", CotaNames.ResultStatus(CotaStatus.StoreFailed));
        Assert.AreEqual("rolled_back", CotaNames.ResultStatus(CotaStatus.BootLoopGuard));
        Assert.AreEqual("Full", PlatformNames.Of(StorageStatus.Full));
    }

    private sealed class ThrowingListener : IConfigOfferListener
    {
        public void OnConfigOffered(ConfigMessage message)
        {
            throw new System.InvalidOperationException("the application's own bug");
        }
    }
}
