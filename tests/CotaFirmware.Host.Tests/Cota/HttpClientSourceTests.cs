using System.Net;
using System.Net.Sockets;
using CotaFirmware.Config;
using CotaFirmware.Cota;
using CotaFirmware.Host.Board;

namespace CotaFirmware.HostTests.Cota;

[TestClass]
public class HttpClientSourceTests
{
    private static byte[] ReadAll(HttpClientSource http, int expected)
    {
        var got = new byte[expected + 16];
        int total = 0;
        while (true)
        {
            int n = http.Read(got, total, Math.Min(1000, got.Length - total), 5000);
            Assert.IsTrue(n >= 0, "read failed: " + n);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return got.AsSpan(0, total).ToArray();
    }

    [TestMethod]
    public void ServesWholeAndRangedBodies()
    {
        var file = Offers.File(20000, 1);
        using var server = new RangeServer(file);
        using var http = new HttpClientSource();

        Assert.AreEqual(200, http.Get(server.Url(), 0, 5000));
        Assert.AreEqual(20000L, http.ContentLength);
        Assert.AreEqual(-1L, http.ContentRangeStart);
        CollectionAssert.AreEqual(file, ReadAll(http, file.Length));
        http.Close();

        Assert.AreEqual(206, http.Get(server.Url(), 12345, 5000));
        Assert.AreEqual(20000L - 12345, http.ContentLength);
        Assert.AreEqual(12345L, http.ContentRangeStart);
        CollectionAssert.AreEqual(file.AsSpan(12345).ToArray(), ReadAll(http, file.Length - 12345));
        http.Close();
        CollectionAssert.AreEqual(new long[] { 0, 12345 }, server.RangeStarts.ToArray());
    }

    [TestMethod]
    public void ResumesADroppedDownloadWithRangeRequests()
    {
        var file = Offers.File(200_000, 2);
        using var served = new ServedDownload(file, new RangeServer(file) { DropAfterBytes = 50_000, DropCount = 3 });
        Assert.AreEqual(CotaStatus.Ok, served.Run());
        CollectionAssert.AreEqual(new long[] { 0, 50_000, 100_000, 150_000 }, served.Server.RangeStarts.ToArray());
        Assert.AreEqual(CotaStatus.ConnectionFailed, served.Download.LastFailure);
        CollectionAssert.AreEqual(file, Offers.Staged(served.Storage));
    }

    [TestMethod]
    public void ResumesAfterConnectionResets()
    {
        var file = Offers.File(300_000, 3);
        using var served = new ServedDownload(file, new RangeServer(file) { DropAfterBytes = 80_000, DropCount = 2, ResetOnDrop = true });
        Assert.AreEqual(CotaStatus.Ok, served.Run());
        var starts = served.Server.RangeStarts.ToArray();
        Assert.AreEqual(3, starts.Length);
        Assert.AreEqual(0L, starts[0]);
        Assert.IsTrue(starts[1] > 0 && starts[1] <= 80_000 && starts[2] > starts[1]);
        CollectionAssert.AreEqual(file, Offers.Staged(served.Storage));
    }

    [TestMethod]
    public void AServerThatNeverAnswersTimesOut()
    {
        using var served = new ServedDownload(new byte[10], new RangeServer(new byte[10]) { Silent = true });
        Expect.Status(HttpStatus.Timeout, served.Http.Get(served.Server.Url(), 0, 300));

        served.Settings.MaxAttempts = 2;
        served.Settings.TimeoutMs = 300;
        Assert.AreEqual(CotaStatus.RetriesExhausted, served.Run());
        Assert.AreEqual(CotaStatus.Timeout, served.Download.LastFailure);
        Expect.Status(HttpStatus.Timeout, served.Download.HttpStatusCode);
    }

    [TestMethod]
    public void AStalledBodyTimesOutAndTheDownloadResumes()
    {
        var file = Offers.File(40_000, 6);
        using var served = new ServedDownload(file, new RangeServer(file) { DropAfterBytes = 15_000, DropCount = 1, StallOnDrop = true });
        served.Settings.TimeoutMs = 1000; // long enough that a busy machine does not time out the healthy part
        Assert.AreEqual(CotaStatus.Ok, served.Run());
        Assert.AreEqual(CotaStatus.Timeout, served.Download.LastFailure);
        CollectionAssert.AreEqual(new long[] { 0, 15_000 }, served.Server.RangeStarts.ToArray());
        CollectionAssert.AreEqual(file, Offers.Staged(served.Storage));
    }

    [TestMethod]
    public void AReadThatTimesOutOnAQuietBodyLeavesTheExchangeOpen()
    {
        // What only a real socket shows of a slow download (the loop around it runs on a manual clock in
        // SlowDownloadTests): a short read of a silent body times out, and the same exchange goes on when bytes come.
        var file = Offers.File(300, 7);
        using var server = new RangeServer(file) { PauseAfterBytes = 100 };
        using var http = new HttpClientSource();
        Assert.AreEqual(200, http.Get(server.Url(), 0, 5000));
        var got = new byte[file.Length];
        int total = 0;
        while (total < 100)
        {
            int n = http.Read(got, total, got.Length - total, 5000);
            Assert.IsTrue(n > 0, "read failed: " + n);
            total += n;
        }

        Assert.AreEqual(100, total, "the server paused after its first piece");
        Expect.Status(HttpStatus.Timeout, http.Read(got, total, got.Length - total, 50));
        server.Resume();
        CollectionAssert.AreEqual(file.AsSpan(100).ToArray(), ReadAll(http, file.Length - 100));
        CollectionAssert.AreEqual(file.AsSpan(0, 100).ToArray(), got.AsSpan(0, 100).ToArray());
        Assert.AreEqual(1, server.RangeStarts.Count, "one exchange");
    }

    [TestMethod]
    public void MapsRefusedConnectionsAndBadUrls()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        using var http = new HttpClientSource();
        Expect.Status(HttpStatus.Unreachable, http.Get("http://127.0.0.1:" + port + "/c", 0, 3000));
        Expect.Status(HttpStatus.BadUrl, http.Get("ftp://127.0.0.1/c", 0, 3000));
        Expect.Status(HttpStatus.BadUrl, http.Get("not a url", 0, 3000));
    }

    [TestMethod]
    public void AnErrorStatusIsReportedWithNothingStored()
    {
        var file = Offers.File(1000, 4);
        using var served = new ServedDownload(file, new RangeServer(file) { Status = 403 });
        Assert.AreEqual(CotaStatus.HttpError, served.Run());
        Assert.AreEqual(403, served.Download.HttpStatusCode);
        Assert.AreEqual(ConfigStore.HeaderSize, served.Storage.Length(Offers.Slot));
    }

    [TestMethod]
    public void TrustsOnlyTheGivenRootCa()
    {
        var file = Offers.File(30_000, 5);
        using var certificates = new TestCertificates();
        using var other = new TestCertificates();
        using var served = new ServedDownload(file, new RangeServer(file, certificates.Server) { DropAfterBytes = 10_000, DropCount = 1 },
            new HttpClientSource(certificates.Root));
        Assert.AreEqual(CotaStatus.Ok, served.Run());
        CollectionAssert.AreEqual(new long[] { 0, 10_000 }, served.Server.RangeStarts.ToArray());
        CollectionAssert.AreEqual(file, Offers.Staged(served.Storage));

        using var distrusting = new HttpClientSource(other.Root);
        Expect.Status(HttpStatus.TlsFailed, distrusting.Get(served.Server.Url(), 0, 5000));
        using var systemStore = new HttpClientSource();
        Expect.Status(HttpStatus.TlsFailed, systemStore.Get(served.Server.Url(), 0, 5000));
    }

    [TestMethod]
    public void RefusesACertificateForAnotherHost()
    {
        using var certificates = new TestCertificates("config.example", forLoopback: false);
        using var server = new RangeServer(new byte[100], certificates.Server);
        using var http = new HttpClientSource(certificates.Root);
        Expect.Status(HttpStatus.TlsFailed, http.Get(server.Url(), 0, 5000));
    }
}
