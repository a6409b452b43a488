using CotaFirmware.Cota;
using CotaFirmware.Json;
using CotaFirmware.Text;

namespace CotaFirmware.Tests.Cota;

/// <summary>Offers the cloud and the network drive into one another: bursts, a busy result log, a config id reused with new content.</summary>
[TestClass]
public class CotaOfferRaceTests
{
    // A config republished under the configId in force but with other content (another sign) is a different file:
    // acking it 200 and doing nothing leaves the device on the old content while the cloud counts it as delivered.
    [TestMethod]
    public void AnOfferOfTheActiveConfigIdWithAnotherSignIsTakenOrAnswered()
    {
        byte[] first = CotaRig.Config(1, 3000);
        byte[] changed = CotaRig.Config(2, 3000);
        CotaRig rig = CotaRig.Running(first);
        Assert.AreEqual(1, rig.A.Value);
        int results = rig.ResultCount;

        rig.Http.File = changed;
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-1", changed)));
        bool acked = rig.Service.LastAckCode == 200;
        for (int i = 0; i < 200 && !rig.Service.IsOnTrial && !rig.Service.IsBusy; i++)
        {
            rig.Loop();
        }

        rig.Run();
        Assert.IsTrue(!acked || rig.A.Value == 2 || rig.ResultCount > results,
            "cfg-1 with a new sign was acked 200, never downloaded and never answered with a result: the device still runs value "
            + rig.A.Value.ToString());
    }

    // Every push acked 200 is an accepted offer and owes the cloud one result. Six different configs arriving in one read
    // (the broker delivering what queued up) supersede one another before a single result could be sent.
    [TestMethod]
    public void EveryOfferOfABurstGetsItsResultAtTheCloud()
    {
        byte[] file = CotaRig.Config(1, 1000);
        CotaRig rig = CotaRig.Connected(file);
        for (int i = 1; i <= 6; i++)
        {
            rig.Session.Enqueue(CotaRig.Prefix + "thing/config/push",
                CotaRig.PushOf(i.ToString(), CotaRig.Fields("cfg-" + i.ToString(), file)));
        }

        rig.Device.Yield(0);
        Assert.AreEqual(6, rig.CountOn("thing/config/push_reply"));

        // Five offers, four superseded: four results fill the four slots and the fifth waits, so the sixth push is not
        // taken but answered 429, to come again; no result of an offer acked 200 gives way.
        Assert.AreEqual(429, rig.Service.LastAckCode);
        rig.Run();
        for (int seq = 1; seq <= 5; seq++)
        {
            Assert.IsTrue(rig.ResultOf(seq) != null, "offer " + seq.ToString() + " was acked 200 but its result never reached the cloud");
        }

        Assert.IsFalse(rig.Log.Contains("lost unsent"));
    }

    // While an ended offer's result cannot reach flash, a new push is not taken: acking it 200 tells the cloud the device
    // has it. On a broker that answers no get (the docs' plain broker), nothing ever offers it again.
    [TestMethod]
    public void APushNotTakenWhileAResultIsOwedIsNotAcked200()
    {
        byte[] file = CotaRig.Config(1, 1000);
        CotaRig rig = new CotaRig(file);
        FaultyStorage flash = new FaultyStorage(rig.Storage, 0, -1);
        rig.Flash = flash;
        rig.Build(true);
        rig.Http.Otherwise = ScriptedResponse.WithStatus(404);
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        Assert.AreEqual(200, rig.Service.LastAckCode);

        // Flash dies as the download ends: the result of cfg-1 is owed.
        flash.CutAt = flash.Mutations + 1;
        for (int i = 0; i < 100 && rig.Service.IsBusy; i++)
        {
            rig.Loop();
        }

        Assert.IsFalse(rig.Service.IsBusy);
        Assert.AreEqual(1, rig.Service.PendingResults, "the result of cfg-1 is owed");

        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-2", file)));
        Assert.IsFalse(rig.Service.IsBusy, "cfg-2 was not taken");
        Assert.IsTrue(rig.Service.LastAckCode != 200, "cfg-2 was refused, yet its push_reply says 200: " + rig.LastAck);
    }

    // The cloud repeats a push it already sent (same id token, same config) after a newer one: the repeat is old news and
    // must not supersede the newer download, or the device stays on the old config and the cloud's newest is "superseded".
    [TestMethod]
    public void ALateRepeatOfAnEarlierPushDoesNotSupersedeTheNewerDownload()
    {
        byte[] first = CotaRig.Config(1, 3000);
        byte[] second = CotaRig.Config(2, 5000);
        CotaRig rig = CotaRig.Connected(first);
        string earlier = CotaRig.PushOf("\"7\"", CotaRig.Fields("cfg-1", first));
        rig.Push(earlier);
        rig.ApplyAndConfirm();
        rig.PushUnderWay("\"8\"", "cfg-2", second);
        Assert.IsTrue(rig.Service.IsBusy);

        rig.Push(earlier);
        Assert.AreEqual("{\"id\":\"7\",\"code\":200,\"data\":{}}", rig.LastAck);
        rig.Run();
        Assert.AreEqual("cfg-2", rig.ActiveId(), "the repeat of push 7 superseded cfg-2: " + rig.LastResultParams);
        Assert.AreEqual(2, rig.A.Value);
    }

    // configIds are the cloud's text: quotes, backslashes, control characters and non-ASCII must leave every message the
    // device publishes (its results, a refusal's result) valid JSON.
    [TestMethod]
    public void ResultsNamingAConfigIdThatNeedsEscapingAreValidJson()
    {
        byte[] file = CotaRig.Config(1, 1000);
        CotaRig rig = CotaRig.Connected(file);
        rig.Http.Otherwise = ScriptedResponse.WithStatus(404);
        string odd = "c\\\"q\\\\b\\u0001\\u00e9";
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields(odd, file)));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        rig.Run();
        rig.AnswerGet("\"configId\":\"" + odd + "x\",\"configSize\":10,\"sign\":\"" + Ascii.Text(DownloadFixture.SignHex(file), 0, 64)
            + "\",\"signMethod\":\"Sha256\",\"url\":\"https://h/f\",\"getType\":\"http\"");
        rig.Run();
        Assert.AreEqual(2, rig.ResultCount);
        for (int s = 0; s < rig.Sessions.Count; s++)
        {
            ScriptedMqttSession session = (ScriptedMqttSession)rig.Sessions[s];
            for (int i = 0; i < session.PublishedPayloads.Count; i++)
            {
                string payload = (string)session.PublishedPayloads[i];
                byte[] bytes = Utf8.GetBytes(payload);
                JsonReader r = new JsonReader(new byte[64]);
                r.Begin(bytes, 0, bytes.Length);
                while (r.Read())
                {
                }

                Assert.IsTrue(r.Error == JsonError.None, (string)session.PublishedTopics[i] + " is not valid JSON: " + payload);
            }
        }
    }

    // The URL's signed query (Signature, OSSAccessKeyId, security-token) is a credential: no log line may hold it,
    // whatever the offer's course (a 403, a fresh URL, a supersede, a resume after a reboot, refused and oversize pushes).
    [TestMethod]
    public void NoLogLineHoldsTheSignedUrl()
    {
        byte[] first = CotaRig.Config(1, 3000);
        byte[] second = CotaRig.Config(2, 3000);
        string url = DownloadFixture.Url("https");
        CotaRig rig = CotaRig.Forbidden(first, url);
        rig.Http.ReadChunk = 500;
        rig.AnswerGet(CotaRig.Fields("cfg-1", first, url + "&fresh=1"));
        rig.Loop(3);
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-1", first, url + "&fresh=2")));
        rig.Reboot(true);
        rig.Loop(3);
        rig.Http.File = second;
        rig.Push(CotaRig.PushOf("\"3\"", CotaRig.Fields("cfg-2", second, url)));
        rig.Push(CotaRig.PushOf("\"4\"", CotaRig.Fields("cfg-3", second, url + " spaced")));
        rig.Push(CotaRig.PushOf("\"5\"", CotaRig.Fields("cfg-4", second, "http" + url.Substring(5))));
        rig.Session.DeliverOversize(CotaRig.Prefix + "thing/config/push", 9000, CotaRig.PushOf("\"6\"", CotaRig.Fields("cfg-5", second, url)));
        rig.Run();
        for (int i = 0; i < rig.Log.Count; i++)
        {
            string line = rig.Log.Line(i);
            Assert.IsTrue(line.IndexOf("Signature") < 0 && line.IndexOf("OSSAccessKeyId") < 0 && line.IndexOf("security-token") < 0
                && line.IndexOf("abcdefghijklmnopqrstuvwxyz012345") < 0, "a log line holds the signed URL: " + line);
        }
    }

    // The offer is written to flash before its push is acked: one whose write fails is not the device's to promise.
    // Acked 200 all the same, its StoreFailed result can only wait in RAM, and the power cut that failed the write loses it.
    [TestMethod]
    public void APushWhoseOfferDidNotReachFlashIsNotAcked200()
    {
        byte[] file = CotaRig.Config(1, 1000);
        CotaRig rig = new CotaRig(file);
        FaultyStorage flash = new FaultyStorage(rig.Storage, 0, 9);
        rig.Flash = flash;
        rig.Build(true);
        flash.CutAt = flash.Mutations + 1;
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        Assert.IsFalse(rig.Service.IsBusy, "the offer record was torn: nothing was accepted");
        int code = rig.Service.LastAckCode;

        rig.Flash = null;
        rig.Reboot(true);
        rig.Run();
        Assert.IsTrue(code != 200 || rig.ResultCount == 1,
            "push 1 was acked 200, its offer never reached flash, and after the reboot no result ever comes: " + rig.LastAck);
    }

    // The boot-loop guard rolled back cfg-w; the cloud then publishes fixed content under the same configId (another
    // sign), which is taken. A reboot before its download began (the start jitter) must resume it, not end it as the
    // earlier content's BootLoopGuard.
    [TestMethod]
    public void AFixedConfigUnderARolledBackConfigIdResumesAfterARebootBeforeItsDownload()
    {
        byte[] bad = Ascii.Bytes("{\"a\":{\"v\":4},\"w\":{\"v\":5}}");
        CotaRig rig = CotaRig.Connected(bad);
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-w", bad)));
        rig.Run();
        Assert.IsTrue(rig.Service.RebootRequested);
        for (int boot = 0; boot < 4; boot++)
        {
            rig.Reboot(false);
            rig.Loop(3);
        }

        rig.Device.Connect();
        rig.Run();
        Assert.AreEqual("{\"configId\":\"cfg-w\",\"status\":\"rolled_back\",\"reason\":\"BootLoopGuard\",\"errors\":[]}", rig.LastResultParams);

        byte[] fixedFile = CotaRig.Config(6, 3000);
        rig.Http.File = fixedFile;
        rig.Http.ReadChunk = 200;
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-w", fixedFile)));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        Assert.IsTrue(rig.Service.IsBusy, "the fixed content is a new config: taken");

        rig.Reboot(true);
        rig.Run();
        rig.Loop();
        rig.AnswerGet(null);
        rig.Run();
        Assert.AreEqual(6, rig.A.Value, "the resumed offer " + rig.LastResultSeq.ToString() + " ended as: " + rig.LastResultParams);
        Assert.AreEqual("cfg-w", rig.ActiveId());
    }

    // A config needing a reboot pushed while another is on trial: the push is contact, so the trial ends applied; the new
    // config is downloaded, applied across the reboot and confirmed by the connect after it. Two offers, two results.
    [TestMethod]
    public void AConfigNeedingARebootPushedDuringATrialEndsTheTrialAppliedAndIsAppliedAfterTheReboot()
    {
        byte[] first = CotaRig.Config(1, 2000);
        byte[] rebooting = Ascii.Bytes("{\"a\":{\"v\":4},\"w\":{\"v\":5}}");
        CotaRig rig = CotaRig.Connected(first);
        rig.Push(CotaRig.PushOf("1", CotaRig.Fields("cfg-1", first)));
        for (int i = 0; i < 100 && !rig.Service.IsOnTrial; i++)
        {
            rig.Loop();
        }

        Assert.IsTrue(rig.Service.IsOnTrial);
        rig.Http.File = rebooting;
        rig.Push(CotaRig.PushOf("2", CotaRig.Fields("cfg-w", rebooting)));
        Assert.IsFalse(rig.Service.IsOnTrial);
        rig.Run();
        Assert.IsTrue(rig.Service.RebootRequested);
        rig.Reboot(true);
        rig.Run();
        Assert.AreEqual("cfg-w", rig.ActiveId());
        Assert.AreEqual(5, rig.W.Value);
        Assert.IsFalse(rig.Store.IsOnTrial);
        Assert.IsTrue(rig.ResultOf(1) != null && rig.ResultOf(2) != null);
        Assert.AreEqual("{\"configId\":\"cfg-w\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
        Assert.AreEqual("", rig.SequenceClash());
    }

    // An expired OSS URL ends the offer HttpError (403). The operator pushes the config again, which brings a fresh URL:
    // a repeated push carries the same URL, this one does not, so it is taken like a get_reply with a fresh one.
    [TestMethod]
    public void APushWithAFreshUrlAfterAnHttpErrorIsTaken()
    {
        byte[] file = CotaRig.Config(3, 2000);
        string url = DownloadFixture.Url("https");
        CotaRig rig = CotaRig.Forbidden(file, url);
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"failed\",\"reason\":\"HttpError\",\"errors\":[{\"module\":\"download\",\"code\":\"HttpError\",\"httpStatus\":403}]}",
            rig.LastResultParams);

        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-1", file, url + "&renewed=1")));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        Assert.IsTrue(rig.Service.IsBusy, "the push with a fresh URL was acked 200 and dropped: " + rig.Log.Line(rig.Log.Count - 1));
    }
}
