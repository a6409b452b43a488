using CotaFirmware.Config;
using CotaFirmware.Cota;
using CotaFirmware.Network;
using CotaFirmware.Tests.Mqtt;
using CotaFirmware.Text;

namespace CotaFirmware.Tests.Cota;

[TestClass]
public class RangeDownloadTests
{
    [TestMethod]
    public void ReferenceSha256MatchesThePublishedAbcVector()
    {
        byte[] hex = DownloadFixture.SignHex(DownloadFixture.Ascii("abc"));
        string s = "";
        for (int i = 0; i < hex.Length; i++)
        {
            s += (char)hex[i];
        }

        Assert.AreEqual("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", s);
    }

    [TestMethod]
    public void DownloadsVerifiesAndStagesTheFile()
    {
        byte[] file = DownloadFixture.File(5000, 1);
        ScriptedHttpClient http = new ScriptedHttpClient(file);
        http.ReadChunk = 100;
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        ProgressRecorder progress = new ProgressRecorder();
        d.Progress = progress.On;

        Expect.Status(CotaStatus.Running, d.Start(DownloadFixture.Offer("cfg-1", file)));
        Expect.Status(CotaStatus.Ok, rig.Run());

        Assert.IsTrue(DownloadFixture.Staged(rig.Storage, file));
        Assert.AreEqual(1, http.RequestCount);
        Assert.AreEqual(0L, http.OffsetOf(0));
        Assert.AreEqual(DownloadFixture.Url("https"), http.LastUrl);
        Assert.AreEqual(200, d.HttpStatusCode);
        Assert.AreEqual(5000L, d.Received);
        Assert.IsFalse(http.IsOpen);
        Assert.IsTrue(progress.Monotonic);
        Assert.AreEqual(5000L, progress.LastReceived);
        Assert.AreEqual(5000L, progress.LastTotal);
        Assert.IsTrue(progress.Calls >= 50);
    }

    [TestMethod]
    public void AnEmptyConfigCompletes()
    {
        byte[] file = new byte[0];
        ScriptedHttpClient http = new ScriptedHttpClient(file);
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("empty", file));
        Expect.Status(CotaStatus.Ok, rig.Run());
        Assert.AreEqual(ConfigStore.HeaderSize, rig.Storage.Length(DownloadFixture.Slot));
    }

    [TestMethod]
    public void AWrongSignIsAHashMismatchAndNothingBecomesAConfig()
    {
        byte[] file = DownloadFixture.File(3000, 1);
        byte[] other = DownloadFixture.File(3000, 2);
        ScriptedHttpClient http = new ScriptedHttpClient(file);
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);

        d.Start(DownloadFixture.Offer("cfg-1", file.Length, other, DownloadFixture.Url("https")));
        Expect.Status(CotaStatus.HashMismatch, rig.Run());
        Assert.AreEqual(1, http.RequestCount);
        d.Discard();
        Assert.AreEqual(-1, rig.Storage.Length(RangeDownload.ProgressArea));
        ConfigStore after = new ConfigStore(rig.Storage, new byte[256], 64 * 1024, 3);
        after.Boot();
        Assert.AreEqual(ConfigSlot.None, after.ActiveSlot, "a staged slot is never taken for a config");
    }

    [TestMethod]
    public void AContentLengthOtherThanConfigSizeStoresNothing()
    {
        byte[] file = DownloadFixture.File(5000, 1);
        ScriptedHttpClient http = new ScriptedHttpClient(file);
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);

        d.Start(DownloadFixture.Offer("cfg-1", 4000, file, DownloadFixture.Url("https")));
        Expect.Status(CotaStatus.SizeMismatch, rig.Run());
        Assert.AreEqual(ConfigStore.HeaderSize, rig.Storage.Length(DownloadFixture.Slot));
        Assert.AreEqual(1, http.RequestCount);
        Assert.IsFalse(http.IsOpen);
    }

    [TestMethod]
    public void AChunkedBodyWithoutContentLengthIsTakenAndHeldToTheOfferedSize()
    {
        byte[] file = DownloadFixture.File(2000, 1);
        ScriptedHttpClient http = new ScriptedHttpClient(file).Then(Chunked(-2));
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.Ok, rig.Run());
        Assert.AreEqual(1, http.RequestCount);
        Assert.IsTrue(DownloadFixture.Staged(rig.Storage, file));
    }

    [TestMethod]
    public void AChunkedBodyLongerOrShorterThanTheOfferIsASizeMismatchAndNotRetried()
    {
        byte[] file = DownloadFixture.File(5000, 1);
        long[] offered = { 4000, 6000, 4999, 5001 };
        for (int i = 0; i < offered.Length; i++)
        {
            ScriptedHttpClient http = new ScriptedHttpClient(file).Then(Chunked(-2));
            DownloadRig rig = new DownloadRig();
            RangeDownload d = rig.Over(http);
            d.Start(DownloadFixture.Offer("cfg-1", offered[i], file, DownloadFixture.Url("https")));
            Expect.Status(CotaStatus.SizeMismatch, rig.Run());
            Assert.AreEqual(1, http.RequestCount, offered[i].ToString());
            Assert.IsTrue(d.Received <= file.Length && d.Received < offered[i], offered[i].ToString());
            Assert.IsFalse(http.IsOpen);
        }
    }

    [TestMethod]
    public void AChunked206ResumesWhenItsContentRangeAgreesWithTheOffer()
    {
        byte[] file = DownloadFixture.File(4000, 2);
        long[] totals = { -2, -1, 3999, 4001 };
        for (int i = 0; i < totals.Length; i++)
        {
            ScriptedResponse cut = Chunked(-2);
            cut.FailAfter = 1500;
            ScriptedHttpClient http = new ScriptedHttpClient(file).Then(cut).Then(Chunked(totals[i]));
            DownloadRig rig = new DownloadRig();
            RangeDownload d = rig.Over(http);
            d.Start(DownloadFixture.Offer("cfg-1", file));
            string total = totals[i].ToString();
            if (totals[i] < 0)
            {
                // The file's length, or "*": nothing known disagrees.
                Expect.Status(CotaStatus.Ok, rig.Run());
                Assert.IsTrue(DownloadFixture.Staged(rig.Storage, file), total);
            }
            else
            {
                Expect.Status(CotaStatus.SizeMismatch, rig.Run());
                Assert.AreEqual(1500L, d.Received, total);
            }

            Assert.AreEqual(1500L, http.OffsetOf(1), total);
            Assert.AreEqual(2, http.RequestCount, total);
        }
    }

    // A response without Content-Length, as a chunked one comes; on a 206, with the Content-Range total given.
    private static ScriptedResponse Chunked(long rangeTotal)
    {
        ScriptedResponse r = new ScriptedResponse();
        r.ContentLength = -1;
        r.RangeTotal = rangeTotal;
        return r;
    }

    [TestMethod]
    public void ClientErrorsEndTheDownloadAtOnce()
    {
        int[] statuses = { 403, 404, 400, 301 };
        for (int i = 0; i < statuses.Length; i++)
        {
            byte[] file = DownloadFixture.File(2000, 1);
            ScriptedResponse page = ScriptedResponse.WithStatus(statuses[i]);
            page.Body = DownloadFixture.Ascii("<html><body>AccessDenied</body></html>");
            ScriptedHttpClient http = new ScriptedHttpClient(file).Then(page);
            DownloadRig rig = new DownloadRig();
            RangeDownload d = rig.Over(http);

            d.Start(DownloadFixture.Offer("cfg-1", file));
            Expect.Status(CotaStatus.HttpError, rig.Run());
            Assert.AreEqual(statuses[i], d.HttpStatusCode);
            Assert.AreEqual(1, http.RequestCount);
            Assert.AreEqual(ConfigStore.HeaderSize, rig.Storage.Length(DownloadFixture.Slot));
            Assert.IsFalse(http.IsOpen);
        }
    }

    [TestMethod]
    public void ServerErrorsAreRetriedThenExhausted()
    {
        byte[] file = DownloadFixture.File(2000, 1);
        ScriptedHttpClient http = new ScriptedHttpClient(file);
        for (int i = 0; i < 10; i++)
        {
            http.Then(ScriptedResponse.WithStatus(500));
        }

        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);

        d.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.RetriesExhausted, rig.Run());
        Expect.Status(CotaStatus.HttpError, d.LastFailure);
        Assert.AreEqual(500, d.HttpStatusCode);
        Assert.AreEqual(rig.Settings.MaxAttempts, http.RequestCount);
        Assert.AreEqual(rig.Settings.MaxAttempts, d.Attempts);
    }

    [TestMethod]
    public void AServerErrorThenSuccessCompletes()
    {
        byte[] file = DownloadFixture.File(2000, 1);
        ScriptedHttpClient http = new ScriptedHttpClient(file).Then(ScriptedResponse.WithStatus(503));
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.Ok, rig.Run());
        Assert.AreEqual(2, http.RequestCount);
        Assert.IsTrue(DownloadFixture.Staged(rig.Storage, file));
    }

    [TestMethod]
    public void AnHtmlPageServedWithStatus200IsRefused()
    {
        byte[] file = DownloadFixture.File(300, 1);
        byte[] html = DownloadFixture.Ascii("<html><head><title>Error</title></head><body>SignatureDoesNotMatch</body></html>");

        // A page of another length fails on Content-Length, before a byte is stored.
        ScriptedResponse page = ScriptedResponse.WithStatus(200);
        page.Body = html;
        ScriptedHttpClient http = new ScriptedHttpClient(file).Then(page);
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.SizeMismatch, rig.Run());
        Assert.AreEqual(ConfigStore.HeaderSize, rig.Storage.Length(DownloadFixture.Slot));

        // A page that happens to have the config's length fails on the hash, and is discarded.
        byte[] sameLength = new byte[file.Length];
        for (int i = 0; i < sameLength.Length; i++)
        {
            sameLength[i] = html[i % html.Length];
        }

        ScriptedResponse page2 = ScriptedResponse.WithStatus(200);
        page2.Body = sameLength;
        ScriptedHttpClient http2 = new ScriptedHttpClient(file).Then(page2);
        d.Discard();
        RangeDownload d2 = rig.Over(http2);
        d2.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.HashMismatch, DownloadFixture.Run(d2, rig.Clock));
    }

    [TestMethod]
    public void ATruncatedBodyResumesWhereItEnded()
    {
        byte[] file = DownloadFixture.File(5000, 3);
        ScriptedHttpClient http = new ScriptedHttpClient(file).Then(ScriptedResponse.FailingAfter(1700, 0));
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.Ok, rig.Run());
        Expect.Status(CotaStatus.Truncated, d.LastFailure);
        Assert.AreEqual(2, http.RequestCount);
        Assert.AreEqual(0L, http.OffsetOf(0));
        Assert.AreEqual(1700L, http.OffsetOf(1));
        Assert.IsTrue(DownloadFixture.Staged(rig.Storage, file));
    }

    [TestMethod]
    public void ABodyThatAlwaysEndsEarlyWithoutProgressExhaustsRetries()
    {
        byte[] file = DownloadFixture.File(5000, 3);
        ScriptedHttpClient http = new ScriptedHttpClient(file);
        for (int i = 0; i < 10; i++)
        {
            http.Then(ScriptedResponse.FailingAfter(0, 0));
        }

        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.RetriesExhausted, rig.Run());
        Expect.Status(CotaStatus.Truncated, d.LastFailure);
        Assert.AreEqual(rig.Settings.MaxAttempts, http.RequestCount);
    }

    [TestMethod]
    public void AResetMidFileResumesWithTheRightRange()
    {
        byte[] file = DownloadFixture.File(9000, 4);
        ScriptedHttpClient http = new ScriptedHttpClient(file)
            .Then(ScriptedResponse.FailingAfter(2500, (int)HttpStatus.Broken))
            .Then(ScriptedResponse.FailingAfter(3000, (int)HttpStatus.Timeout));
        http.ReadChunk = 300;
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.Ok, rig.Run());
        Assert.AreEqual(3, http.RequestCount);
        Assert.AreEqual(0L, http.OffsetOf(0));
        Assert.AreEqual(2500L, http.OffsetOf(1));
        Assert.AreEqual(5500L, http.OffsetOf(2));
        Assert.AreEqual(206, d.HttpStatusCode);
        Assert.IsTrue(DownloadFixture.Staged(rig.Storage, file));
    }

    [TestMethod]
    public void AServerThatIgnoresRangeRestartsFromZeroCleanly()
    {
        byte[] file = DownloadFixture.File(4000, 5);
        ScriptedResponse whole = new ScriptedResponse();
        whole.IgnoreRange = true;
        ScriptedHttpClient http = new ScriptedHttpClient(file)
            .Then(ScriptedResponse.FailingAfter(2000, (int)HttpStatus.Broken))
            .Then(whole);
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.Ok, rig.Run());
        Assert.AreEqual(2000L, http.OffsetOf(1));
        Assert.AreEqual(200, d.HttpStatusCode);
        Assert.IsTrue(DownloadFixture.Staged(rig.Storage, file));
    }

    [TestMethod]
    public void AServerThatIgnoresRangeAndCutsAtAlternatingPointsStillRunsOutOfAttempts()
    {
        // Attempts count only while nothing lands beyond what the attempt before started from. A server that ignores
        // Range (every answer a 200 from byte 0) and cuts after 300, then 200, then 300 bytes... "progresses" every
        // other attempt, so the attempts never run out: the download never ends, and every attempt rewrites the
        // staging header and the attempt record in flash. Here it goes on for as long as the script does.
        byte[] file = DownloadFixture.File(1000, 3);
        ScriptedHttpClient http = new ScriptedHttpClient(file).Then(ScriptedResponse.FailingAfter(300, (int)HttpStatus.Broken));
        for (int i = 0; i < 100; i++)
        {
            ScriptedResponse cut = ScriptedResponse.FailingAfter(i % 2 == 0 ? 200 : 300, (int)HttpStatus.Broken);
            cut.IgnoreRange = true;
            http.Then(cut);
        }

        http.Otherwise = ScriptedResponse.WithStatus(404);
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        CotaStatus end = rig.Run();
        Assert.IsTrue(http.RequestCount <= rig.Settings.MaxAttempts + 2, "requests without the landed bytes growing past 300: " + http.RequestCount.ToString());
        Expect.Status(CotaStatus.RetriesExhausted, end);
    }

    [TestMethod]
    public void A206FromTheWrongOffsetIsRefused()
    {
        byte[] file = DownloadFixture.File(4000, 5);
        ScriptedResponse wrong = new ScriptedResponse();
        wrong.RangeStart = 0;
        ScriptedHttpClient http = new ScriptedHttpClient(file)
            .Then(ScriptedResponse.FailingAfter(2000, (int)HttpStatus.Broken))
            .Then(wrong);
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.RangeMismatch, rig.Run());
        Assert.AreEqual(2000L, d.Received);
    }

    [TestMethod]
    public void ARebootMidDownloadResumesFromWhatLanded()
    {
        byte[] file = DownloadFixture.File(6000, 6);
        DownloadRig rig = new DownloadRig();
        ScriptedHttpClient http = new ScriptedHttpClient(file);
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        while (d.Received < 2816)
        {
            Expect.Status(CotaStatus.Running, d.Step());
        }

        // Power is cut here: 2816 bytes are in the candidate slot, and that is where it resumes.
        ScriptedHttpClient http2 = new ScriptedHttpClient(file);
        RangeDownload after = rig.Over(http2);
        ProgressRecorder progress = new ProgressRecorder();
        after.Progress = progress.On;
        after.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.Ok, DownloadFixture.Run(after, rig.Clock));
        Assert.AreEqual(1, http2.RequestCount);
        Assert.AreEqual(2816L, http2.OffsetOf(0));
        Assert.IsTrue(progress.Monotonic);
        Assert.IsTrue(DownloadFixture.Staged(rig.Storage, file));

        // Rebooting again after completion (before the config was committed) re-verifies from flash without a request.
        ScriptedHttpClient http3 = new ScriptedHttpClient(file);
        RangeDownload again = rig.Over(http3);
        again.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.Ok, DownloadFixture.Run(again, rig.Clock));
        Assert.AreEqual(0, http3.RequestCount);
    }

    [TestMethod]
    public void AProgressRecordForAnotherConfigIsDiscarded()
    {
        byte[] oldFile = DownloadFixture.File(6000, 7);
        byte[] newFile = DownloadFixture.File(6000, 8);
        DownloadRig rig = new DownloadRig();
        RangeDownload d = DownloadFixture.Create(new ScriptedHttpClient(oldFile), rig.Storage, rig.Clock, rig.Settings);
        d.Start(DownloadFixture.Offer("cfg-old", oldFile));
        while (d.Received < 3000)
        {
            d.Step();
        }

        ScriptedHttpClient http = new ScriptedHttpClient(newFile);
        RangeDownload after = rig.Over(http);
        after.Start(DownloadFixture.Offer("cfg-new", newFile));
        Expect.Status(CotaStatus.Ok, DownloadFixture.Run(after, rig.Clock));
        Assert.AreEqual(0L, http.OffsetOf(0));
        Assert.IsTrue(DownloadFixture.Staged(rig.Storage, newFile));
    }

    [TestMethod]
    public void AServerThatNeverAnswersEndsInTimeout()
    {
        byte[] file = DownloadFixture.File(1000, 1);
        ScriptedHttpClient http = new ScriptedHttpClient(file);
        for (int i = 0; i < 10; i++)
        {
            http.Then(ScriptedResponse.WithStatus((int)HttpStatus.Timeout));
        }

        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.RetriesExhausted, rig.Run());
        Expect.Status(CotaStatus.Timeout, d.LastFailure);
        Expect.Status(HttpStatus.Timeout, d.HttpStatusCode);
        Assert.AreEqual(rig.Settings.MaxAttempts, http.RequestCount);

        // The exhausted counter survives a reboot: no further request for the same config.
        ScriptedHttpClient http2 = new ScriptedHttpClient(file);
        RangeDownload after = rig.Over(http2);
        after.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.RetriesExhausted, DownloadFixture.Run(after, rig.Clock));
        Expect.Status(CotaStatus.Timeout, after.LastFailure);
        Assert.AreEqual(0, http2.RequestCount);
    }

    // What landed stays for the same offer started again, unless the server said the range does not fit its file.
    [TestMethod]
    public void AnOfferStartedAgainAfterA416FetchesTheFileFromByteZero()
    {
        byte[] file = DownloadFixture.File(3000, 2);
        ScriptedHttpClient http = new ScriptedHttpClient(file).Then(ScriptedResponse.FailingAfter(1000, (int)HttpStatus.Broken));
        http.Then(ScriptedResponse.WithStatus(416));
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        ConfigOffer offer = DownloadFixture.Offer("cfg-1", file);
        d.Start(offer);
        Expect.Status(CotaStatus.HttpError, rig.Run());
        Assert.AreEqual(1000L, http.OffsetOf(1));

        d.Discard();
        d.Start(offer);
        Expect.Status(CotaStatus.Ok, rig.Run());
        Assert.AreEqual(0L, http.OffsetOf(2));
    }

    [TestMethod]
    public void AnUntrustedServerEndsTheDownloadAtOnceAndNamesTls()
    {
        byte[] file = DownloadFixture.File(1000, 1);
        ScriptedHttpClient http = new ScriptedHttpClient(file).Then(ScriptedResponse.WithStatus((int)HttpStatus.TlsFailed));
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.TlsFailed, rig.Run());
        Assert.AreEqual(1, http.RequestCount);
        Assert.AreEqual((int)HttpStatus.TlsFailed, d.HttpStatusCode);
    }

    [TestMethod]
    public void ABoardOutOfMemoryIsRetriedAndNamedWhenTheAttemptsRunOut()
    {
        byte[] file = DownloadFixture.File(1000, 1);
        ScriptedHttpClient http = new ScriptedHttpClient(file);
        for (int i = 0; i < 10; i++)
        {
            http.Then(ScriptedResponse.WithStatus((int)HttpStatus.OutOfMemory));
        }

        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.RetriesExhausted, rig.Run());
        Expect.Status(CotaStatus.OutOfMemory, d.LastFailure);
        Assert.AreEqual(rig.Settings.MaxAttempts, http.RequestCount);
    }

    [TestMethod]
    public void BackoffWaitsAndDoublesUpToTheCap()
    {
        byte[] file = DownloadFixture.File(1000, 1);
        ScriptedHttpClient http = new ScriptedHttpClient(file);
        for (int i = 0; i < 10; i++)
        {
            http.Then(ScriptedResponse.WithStatus((int)HttpStatus.Unreachable));
        }

        DownloadRig rig = new DownloadRig();
        rig.Settings.MaxAttempts = 6;
        rig.Settings.BackoffMinMs = 100;
        rig.Settings.BackoffMaxMs = 300;
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        d.Step(); // resume: nothing stored
        d.Step(); // request 1 fails
        Assert.AreEqual(1, http.RequestCount);
        Expect.Status(CotaStatus.ConnectionFailed, d.LastFailure);

        // Each wait is drawn from the upper half of a bound that doubles up to the cap (Timing.Backoff).
        int[] bounds = { 100, 200, 300, 300 };
        for (int i = 0; i < bounds.Length; i++)
        {
            int wait = d.NextStepInMs;
            Assert.IsTrue(wait >= bounds[i] / 2 && wait <= bounds[i], wait.ToString());
            rig.Clock.Advance(wait - 1);
            Assert.AreEqual(1, d.NextStepInMs);
            d.Step();
            d.Step();
            Assert.AreEqual(i + 1, http.RequestCount);
            rig.Clock.Advance(1);
            d.Step(); // backoff over
            d.Step(); // the request
            Assert.AreEqual(i + 2, http.RequestCount);
        }
    }

    [TestMethod]
    public void AConfigOverTheLimitIsRefusedBeforeAnyRequest()
    {
        byte[] file = DownloadFixture.File(5000, 1);
        ScriptedHttpClient http = new ScriptedHttpClient(file);
        MemoryStorage storage = new MemoryStorage();
        ManualClock clock = new ManualClock();
        DownloadSettings settings = DownloadFixture.Settings();
        RangeDownload d = DownloadFixture.Create(http, storage, clock, settings, 4999);
        int writes = storage.WriteCount;
        Expect.Status(CotaStatus.TooLarge, d.Start(DownloadFixture.Offer("cfg-1", file)));
        Expect.Status(CotaStatus.TooLarge, d.Step());
        Assert.AreEqual(0, http.RequestCount);
        Assert.AreEqual(writes, storage.WriteCount);
    }

    [TestMethod]
    public void PlainHttpIsRefusedUnlessAllowed()
    {
        byte[] file = DownloadFixture.File(1500, 1);
        ScriptedHttpClient http = new ScriptedHttpClient(file);
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        ConfigOffer plain = DownloadFixture.Offer("cfg-1", file.Length, file, DownloadFixture.Url("http"));
        Expect.Status(CotaStatus.BadScheme, d.Start(plain));
        Assert.AreEqual(0, http.RequestCount);

        rig.Settings.AllowPlainHttp = true;
        ConfigOffer ftp = DownloadFixture.Offer("cfg-1", file.Length, file, DownloadFixture.Url("ftp"));
        Expect.Status(CotaStatus.BadScheme, d.Start(ftp));
        Expect.Status(CotaStatus.Running, d.Start(plain));
        Expect.Status(CotaStatus.Ok, rig.Run());
        Assert.AreEqual(1, http.RequestCount);

        rig.Settings.AllowPlainHttp = false;
        ConfigOffer upper = DownloadFixture.Offer("cfg-2", file.Length, file, DownloadFixture.Url("HTTPS"));
        Expect.Status(CotaStatus.Running, d.Start(upper));
    }

    [TestMethod]
    public void ARebootLoopDuringTheBodyIsBounded()
    {
        byte[] file = DownloadFixture.File(3000, 1);
        DownloadRig rig = new DownloadRig();
        int requests = 0;
        for (int boot = 0; boot < rig.Settings.MaxAttempts; boot++)
        {
            ScriptedHttpClient http = new ScriptedHttpClient(file);
            RangeDownload d = rig.Over(http);
            d.Start(DownloadFixture.Offer("cfg-1", file));
            while (http.RequestCount == 0)
            {
                Expect.Status(CotaStatus.Running, d.Step());
            }

            // The device resets as soon as the body starts, every time.
            requests += http.RequestCount;
        }

        ScriptedHttpClient last = new ScriptedHttpClient(file);
        RangeDownload final = rig.Over(last);
        final.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.RetriesExhausted, DownloadFixture.Run(final, rig.Clock));
        Assert.AreEqual(0, last.RequestCount);
        Assert.AreEqual(rig.Settings.MaxAttempts, requests);
    }

    [TestMethod]
    public void DiscardStopsForgetsTheAttemptsAndAllowsTheNextConfig()
    {
        byte[] file = DownloadFixture.File(5000, 1);
        byte[] next = DownloadFixture.File(4000, 9);
        ScriptedHttpClient http = new ScriptedHttpClient(file);
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        while (d.Received < 2000)
        {
            d.Step();
        }

        Assert.IsTrue(http.IsOpen);
        d.Discard();
        Expect.Status(CotaStatus.None, d.Outcome);
        Assert.IsFalse(d.IsRunning);
        Assert.IsFalse(http.IsOpen);
        Assert.AreEqual(-1, rig.Storage.Length(RangeDownload.ProgressArea));
        Expect.Status(CotaStatus.None, d.Step());

        http.File = next;
        d.Start(DownloadFixture.Offer("cfg-2", next));
        Expect.Status(CotaStatus.Ok, rig.Run());
        Assert.IsTrue(DownloadFixture.Staged(rig.Storage, next));
    }

    [TestMethod]
    public void AStartDuringADownloadSupersedesIt()
    {
        byte[] file = DownloadFixture.File(5000, 1);
        byte[] next = DownloadFixture.File(5000, 2);
        ScriptedHttpClient http = new ScriptedHttpClient(file);
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        while (d.Received < 3000)
        {
            d.Step();
        }

        http.File = next;
        d.Start(DownloadFixture.Offer("cfg-2", next));
        Assert.IsFalse(http.IsOpen);
        Expect.Status(CotaStatus.Ok, rig.Run());
        Assert.AreEqual(0L, http.OffsetOf(http.RequestCount - 1));
        Assert.IsTrue(DownloadFixture.Staged(rig.Storage, next));
    }

    [TestMethod]
    public void AStorageFailureIsNamed()
    {
        byte[] file = DownloadFixture.File(3000, 1);
        ScriptedHttpClient http = new ScriptedHttpClient(file);
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        while (d.Received < 1000)
        {
            d.Step();
        }

        rig.Storage.FailWrites = true;
        Expect.Status(CotaStatus.StoreFailed, rig.Run());
        Expect.Status(ConfigStatus.StorageFailed, d.StoreStatus);
        Assert.IsFalse(http.IsOpen);
    }

    [TestMethod]
    public void ATornProgressRecordFallsBackToThePreviousSlot()
    {
        byte[] file = DownloadFixture.File(6000, 6);
        DownloadRig rig = new DownloadRig();
        RangeDownload d = DownloadFixture.Create(new ScriptedHttpClient(file), rig.Storage, rig.Clock, rig.Settings);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        while (d.Received < 3072)
        {
            d.Step();
        }

        // Damage the newest of the two record slots (one record per request: both slots hold it).
        byte[] record = rig.Storage.Contents(RangeDownload.ProgressArea);
        Assert.AreEqual(256, record.Length);
        int newest = record[4] > record[128 + 4] ? 0 : 128;
        byte[] junk = new byte[] { 0xFF, 0xFF, 0xFF };
        rig.Storage.Write(RangeDownload.ProgressArea, newest + 40, junk, 0, junk.Length);

        ScriptedHttpClient http = new ScriptedHttpClient(file);
        RangeDownload after = rig.Over(http);
        after.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.Ok, DownloadFixture.Run(after, rig.Clock));
        Assert.AreEqual(3072L, http.OffsetOf(0));
        Assert.IsTrue(DownloadFixture.Staged(rig.Storage, file));
    }

    [TestMethod]
    public void AQuietBodyIsReadInShortSlicesUntilTheTimeout()
    {
        byte[] file = DownloadFixture.File(2000, 1);
        ScriptedHttpClient http = new ScriptedHttpClient(file).Then(ScriptedResponse.FailingAfter(1000, (int)HttpStatus.Timeout));
        DownloadRig rig = new DownloadRig();
        RangeDownload d = rig.Over(http);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        while (d.Received < 1000)
        {
            d.Step();
        }

        // Every step returns after one slice; the silence becomes a timeout only after TimeoutMs.
        for (int t = 0; t < rig.Settings.TimeoutMs - 50; t += 50)
        {
            Expect.Status(CotaStatus.Running, d.Step());
            Assert.AreEqual(rig.Settings.ReadSliceMs, http.LastReadTimeoutMs);
            rig.Clock.Advance(50);
        }

        Expect.Status(CotaStatus.None, d.LastFailure);
        Assert.AreEqual(1, http.RequestCount);
        Expect.Status(CotaStatus.Ok, rig.Run());
        Expect.Status(CotaStatus.Timeout, d.LastFailure);
        Assert.AreEqual(1000L, http.OffsetOf(1));
        Assert.IsTrue(DownloadFixture.Staged(rig.Storage, file));
    }

    [TestMethod]
    public void AStepOverTheBoardsClientStaysWithinItsReadSliceWhileTheServerStreamsChunkFraming()
    {
        // A step waits at most ReadSliceMs for body bytes, so MQTT is serviced between steps (docs/cota.md). A server
        // that answers with a chunk extension that goes on (7000 bytes here, 1 ms a read) holds one step for as long
        // as it sends: sent without end, the device is off MQTT until someone power-cycles it (there is no watchdog).
        byte[] file = DownloadFixture.File(1000, 1);
        DownloadRig rig = new DownloadRig();
        ScriptedChannel channel = new ScriptedChannel(rig.Clock);
        channel.ConnectResult = ChannelStatus.Ok;
        channel.MaxChunk = 16;
        channel.Queue(Utf8.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e8;"));
        byte[] extension = Utf8.GetBytes(new string('x', 100));
        for (int i = 0; i < 70; i++)
        {
            channel.Queue(extension);
        }

        RangeDownload d = DownloadFixture.Create(new ChannelHttpClient(channel, rig.Clock, 2048, 512), rig.Storage, rig.Clock, rig.Settings);
        d.Start(DownloadFixture.Offer("cfg-1", file));
        Expect.Status(CotaStatus.Running, d.Step());
        Expect.Status(CotaStatus.Running, d.Step());
        Assert.AreEqual(200, d.HttpStatusCode);
        channel.MsPerRead = 1;
        long before = rig.Clock.MonotonicMs;
        d.Step();
        long took = rig.Clock.MonotonicMs - before;
        Assert.IsTrue(took <= rig.Settings.ReadSliceMs + 1, "a step of a " + rig.Settings.ReadSliceMs.ToString() + " ms slice took " + took.ToString() + " ms");
    }
}
