using CotaFirmware.Cota;
using CotaFirmware.Platform;
using CotaFirmware.Tests.Platform;

namespace CotaFirmware.Tests.Cota;

/// <summary>Which offers the service takes again: an earlier config, a superseded one, one whose URL failed, one with a fresh URL; and the get it owes the cloud.</summary>
[TestClass]
public class CotaFreshnessTests
{
    private const string Gets = "thing/config/get";

    // The console's "roll back to this" offers an earlier applied config again: same configId and sign.
    [TestMethod]
    public void AnEarlierAppliedConfigOfferedAgainIsTakenButTheActiveOneIsNot()
    {
        byte[] first = CotaRig.Config(1, 3000);
        byte[] second = CotaRig.Config(2, 2500);
        CotaRig rig = CotaRig.Running(first);
        rig.Http.File = second;
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-2", second)));
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-2", rig.ActiveId());

        rig.Http.File = first;
        rig.Push(CotaRig.PushOf("\"3\"", CotaRig.Fields("cfg-1", first)));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-1", rig.ActiveId());
        Assert.AreEqual(1, rig.A.Value);
        Assert.AreEqual(3, rig.Service.DownloadsStarted);
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
        Assert.AreEqual(3, rig.LastResultSeq, "a new offer, with its own seq");

        // The active, confirmed config offered again, by a push or a get_reply: acked, not downloaded, no new result.
        int results = rig.ResultCount;
        rig.Push(CotaRig.PushOf("\"4\"", CotaRig.Fields("cfg-1", first)));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        rig.Session.Drop();
        rig.Device.Connect();
        rig.AnswerGet(CotaRig.Fields("cfg-1", first));
        rig.Run();
        Assert.IsFalse(rig.Service.IsBusy);
        Assert.AreEqual(3, rig.Service.DownloadsStarted);
        Assert.AreEqual(results, rig.ResultCount);
    }

    // The console's "roll back to this" while a newer config downloads: the config in force, offered again, is the
    // cloud's newest word, so the download is superseded rather than applied over it.
    [TestMethod]
    public void TheActiveConfigOfferedAgainDuringADownloadSupersedesIt()
    {
        byte[] first = CotaRig.Config(1, 3000);
        byte[] second = CotaRig.Config(2, 5000);
        CotaRig rig = CotaRig.Connected(first);
        rig.AnswerGet(CotaRig.Fields("cfg-1", first));
        rig.ApplyAndConfirm();
        rig.PushUnderWay("2", "cfg-2", second);
        Assert.IsTrue(rig.Service.IsBusy);

        rig.Push(CotaRig.PushOf("3", CotaRig.Fields("cfg-1", first)));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        Assert.IsFalse(rig.Service.IsBusy);
        rig.Run();
        Assert.AreEqual("cfg-1", rig.ActiveId());
        Assert.AreEqual(1, rig.A.Value);
        Assert.AreEqual(2, rig.Service.DownloadsStarted);
        Assert.AreEqual("{\"configId\":\"cfg-2\",\"status\":\"superseded\",\"reason\":\"Superseded\",\"errors\":[]}", rig.LastResultParams);
        Assert.AreEqual(2, rig.ResultCount);
    }

    // The reply to the get sent at connect comes late, after a push: it tells what was current before the push.
    [TestMethod]
    public void AGetReplyToAGetSentBeforeAPushNeitherSupersedesNorReplacesIt()
    {
        byte[] old = CotaRig.Config(1, 3000);
        byte[] current = CotaRig.Config(2, 5000);
        CotaRig rig = CotaRig.Connected(current);
        string getId = rig.LastGetId();
        rig.PushUnderWay("\"1\"", "cfg-2", current);
        Assert.IsTrue(rig.Service.IsBusy);

        rig.GetReply(CotaRig.GetReplyOf("\"" + getId + "\"", CotaRig.Fields("cfg-1", old)));
        Assert.IsTrue(rig.Service.IsBusy);
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-2", rig.ActiveId());
        Assert.AreEqual(1, rig.Service.DownloadsStarted);
        Assert.AreEqual(1, rig.ResultCount, "no superseded result");
        Assert.AreEqual("{\"configId\":\"cfg-2\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);

        // Repeated once the push's config is applied: still older news.
        rig.GetReply(CotaRig.GetReplyOf("\"" + getId + "\"", CotaRig.Fields("cfg-1", old)));
        rig.Run();
        Assert.IsFalse(rig.Service.IsBusy);
        Assert.AreEqual("cfg-2", rig.ActiveId());
        Assert.AreEqual(1, rig.Service.DownloadsStarted);
    }

    [TestMethod]
    public void ASupersededConfigIsTakenWhenOfferedAgain()
    {
        byte[] first = CotaRig.Config(1, 3000);
        byte[] second = CotaRig.Config(2, 5000);
        CotaRig rig = CotaRig.Connected(second);
        rig.PushUnderWay("\"1\"", "cfg-2", second);
        Assert.IsTrue(rig.Service.IsBusy);

        // The connection comes back, and the answer to its get (newer than the push) offers cfg-1: cfg-2 is superseded.
        rig.Session.Drop();
        rig.Device.Connect();
        rig.Http.File = first;
        rig.AnswerGet(CotaRig.Fields("cfg-1", first));
        rig.Loop();
        Assert.AreEqual("{\"configId\":\"cfg-2\",\"status\":\"superseded\",\"reason\":\"Superseded\",\"errors\":[]}", rig.LastResultParams);
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-1", rig.ActiveId());

        rig.Http.File = second;
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-2", second)));
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-2", rig.ActiveId());
        Assert.AreEqual(3, rig.Service.DownloadsStarted);
        Assert.AreEqual("{\"configId\":\"cfg-2\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
    }

    // OSS URLs expire: the offer of the download in progress that comes with each get brings a fresh one.
    [TestMethod]
    public void AFreshOfferOfTheDownloadInProgressReplacesItsUrlInFlashToo()
    {
        byte[] file = CotaRig.Config(7, 5000);
        string stale = DownloadFixture.Url("https");
        string fresh = stale + "&renewed=1";
        CotaRig rig = CotaRig.MidDownload(file, stale);
        Assert.AreEqual(stale, rig.Http.LastUrl);

        // While it runs: the download goes on from what landed, from the fresh URL.
        rig.Session.Drop();
        rig.Device.Connect();
        rig.AnswerGet(CotaRig.Fields("cfg-1", file, fresh));
        int landed = (int)rig.Store.CandidateWritten;
        Assert.IsTrue(landed > 0 && landed < file.Length);
        rig.Loop(2);
        Assert.AreEqual(fresh, rig.Http.LastUrl);
        Assert.AreEqual((long)landed, rig.Http.OffsetOf(rig.Http.RequestCount - 1), "resumed with a Range from what landed");

        // After a reboot without the cloud, the resume reads the fresh URL from flash.
        rig.Reboot(false);
        rig.Loop(3);
        Assert.AreEqual(fresh, rig.Http.LastUrl);
        Assert.IsTrue(rig.Http.OffsetOf(rig.Http.RequestCount - 1) > 0);

        // The same offer again, URL and all: nothing to replace, the download just goes on.
        int requests = rig.Http.RequestCount;
        rig.Device.Connect();
        rig.AnswerGet(CotaRig.Fields("cfg-1", file, fresh));
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-1", rig.ActiveId());
        Assert.AreEqual(1, rig.Service.DownloadsStarted, "one download since this boot, resumed");
        Assert.IsTrue(rig.Http.RequestCount <= requests + 1);
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
        Assert.AreEqual(1, rig.ResultCount);
    }

    // After a long power-off the stored URL has expired: the resume gets 403 before the get_reply's fresh offer arrives.
    [TestMethod]
    public void AnHttpErrorDoesNotEndAConfigThatALaterGetReplyOffersAgain()
    {
        byte[] file = CotaRig.Config(7, 5000);
        CotaRig rig = CotaRig.MidDownload(file, DownloadFixture.Url("https"));
        for (int i = rig.Http.RequestCount; i > 0; i--)
        {
            rig.Http.Then(new ScriptedResponse());
        }

        rig.Http.Then(ScriptedResponse.WithStatus(403));
        rig.Reboot(true);
        for (int i = 0; i < 100 && rig.Service.IsBusy; i++)
        {
            rig.Loop();
        }

        rig.Loop();
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"failed\",\"reason\":\"HttpError\",\"errors\":[{\"module\":\"download\",\"code\":\"HttpError\",\"httpStatus\":403}]}",
            rig.LastResultParams);

        rig.AnswerGet(CotaRig.Fields("cfg-1", file, DownloadFixture.Url("https") + "&renewed=1"));
        Assert.IsTrue(rig.Service.IsBusy);
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-1", rig.ActiveId());
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
        Assert.AreEqual(2, rig.LastResultSeq);
    }

    // An outage longer than the download's retries ends the offer; the next get_reply offers it again, and the download
    // goes on from what landed instead of fetching it all again.
    [TestMethod]
    public void AConfigTakenAgainAfterItsRetriesRanOutGoesOnFromWhatLanded()
    {
        byte[] file = CotaRig.Config(7, 5000);
        CotaRig rig = CotaRig.Connected(file);
        rig.Http.Then(ScriptedResponse.FailingAfter(2000, (int)HttpStatus.Broken));
        rig.Http.Otherwise = ScriptedResponse.WithStatus((int)HttpStatus.Unreachable);
        rig.Push(CotaRig.PushOf("7", CotaRig.Fields("cfg-1", file)));
        rig.Run();
        Assert.AreEqual("{\"configId\":\"cfg-1\",\"status\":\"failed\",\"reason\":\"RetriesExhausted\",\"errors\":[{\"module\":\"download\",\"code\":\"RetriesExhausted\",\"lastFailure\":\"ConnectionFailed\"}]}",
            rig.LastResultParams);
        int progress = -1, offer = -1;
        for (int i = 0; i < rig.Storage.WrittenAreas.Count; i++)
        {
            string area = (string)rig.Storage.WrittenAreas[i];
            progress = area == RangeDownload.ProgressArea ? i : progress;
            offer = area == "cota.offer0" || area == "cota.offer1" ? i : offer;
        }

        Assert.IsTrue(progress >= 0 && progress < offer, "the attempt record is reset before the offer is let go: a cut between them leaves no used-up record behind");

        rig.Http.Otherwise = new ScriptedResponse();
        int requests = rig.Http.RequestCount;
        rig.Session.Drop();
        rig.Device.Connect();
        rig.AnswerGet(CotaRig.Fields("cfg-1", file));
        rig.ApplyAndConfirm();
        Assert.AreEqual("cfg-1", rig.ActiveId());
        Assert.AreEqual(2000L, rig.Http.OffsetOf(requests), "resumed with a Range from what landed");
        Assert.AreEqual(requests + 1, rig.Http.RequestCount);
    }

    // The cloud is busy or the reply is lost while the connection stays up.
    [TestMethod]
    public void AnUnansweredGetIsAskedAgainWithBackoffUntilAReplyArrivesOrTheConnectionDrops()
    {
        CotaRig rig = CotaRig.Connected(CotaRig.Config(1, 3000));
        Assert.AreEqual(1, rig.CountOn(Gets));
        rig.Loop(20 * 60 * 10);

        // Each get waits GetTimeoutMs (10 s), then 1..30 s (BackoffMinMs..BackoffMaxMs, doubling); a broker that answers
        // none (a plain one) is asked five times, then at the next connect.
        Assert.AreEqual(5, rig.CountOn(Gets));
        Assert.AreEqual(-1, rig.Service.NextStepInMs);
        rig.Session.Drop();
        rig.Device.Connect();
        Assert.AreEqual(6, rig.CountOn(Gets));
        rig.Loop(20 * 10 + 10);
        Assert.AreEqual(6, rig.CountOn(Gets));
        Assert.IsTrue(rig.Service.NextStepInMs > 0, "timed out at 10 s: the loop may sleep until the next get");
        rig.Loop(20 * 2);
        int gets = rig.CountOn(Gets);
        Assert.AreEqual(7, gets, "asked again 1 to 2 s after the timeout");

        // Answered (no config published): asked no more.
        rig.AnswerGet(null);
        rig.Loop(20 * 60 * 10);
        Assert.AreEqual(gets, rig.CountOn(Gets));
        Assert.AreEqual(-1, rig.Service.NextStepInMs);

        // A get unanswered when the connection drops: nothing is sent until the next connect, which asks once.
        rig.Session.Drop();
        rig.Device.Connect();
        Assert.AreEqual(gets + 1, rig.CountOn(Gets));
        rig.Loop(20 * 5);
        rig.Session.Drop();
        for (int i = 0; i < 100000 && !rig.Device.IsConnected; i++)
        {
            Assert.AreEqual(gets + 1, rig.CountOn(Gets));
            rig.Loop();
        }

        Assert.IsTrue(rig.Device.IsConnected);
        Assert.AreEqual(gets + 2, rig.CountOn(Gets));
    }
}
