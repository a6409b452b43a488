using CotaFirmware.Cota;
using CotaFirmware.Host.Board;
using CotaFirmware.Network;

namespace CotaFirmware.HostTests.Cota;

/// <summary>A file server that sends its bodies chunked, without Content-Length, as some servers and proxies do: through the core's client (the ESP32's) and the host board's.</summary>
[TestClass]
public sealed class ChunkedDownloadTests
{
    // One download of offered from server, through the core's client over a TCP channel or the host board's client.
    private static ServedDownload Over(string client, byte[] offered, RangeServer server) =>
        new(offered, server, client == "core" ? new ChannelHttpClient(new TcpChannel(), new ManualClock(), 1024, 1024) : null);

    [TestMethod]
    [DataRow("core")]
    [DataRow("host")]
    public void AChunkedFileIsDownloadedAndVerified(string client)
    {
        var file = Offers.File(20_000, 7);
        using var served = Over(client, file, new RangeServer(file) { Chunked = true });
        Assert.AreEqual(CotaStatus.Ok, served.Run());
        Assert.AreEqual(1, served.Download.Requests);
        CollectionAssert.AreEqual(file, Offers.Staged(served.Storage));
    }

    [TestMethod]
    [DataRow("core")]
    [DataRow("host")]
    public void AChunkedBodyCutMidChunkResumesWithAChunked206(string client)
    {
        var file = Offers.File(20_000, 8);
        using var served = Over(client, file, new RangeServer(file) { Chunked = true, DropAfterBytes = 12_345, DropCount = 1 });
        Assert.AreEqual(CotaStatus.Ok, served.Run());
        Assert.AreEqual(CotaStatus.ConnectionFailed, served.Download.LastFailure);
        CollectionAssert.AreEqual(new long[] { 0, 12_345 }, served.Server.RangeStarts.ToArray());
        Assert.AreEqual(206, served.Download.HttpStatusCode);
        CollectionAssert.AreEqual(file, Offers.Staged(served.Storage));
    }

    [TestMethod]
    [DataRow("core", 19_999)]
    [DataRow("core", 20_001)]
    [DataRow("host", 19_999)]
    [DataRow("host", 20_001)]
    public void AChunkedBodyLongerOrShorterThanTheOfferIsASizeMismatchAtOnce(string client, int offeredSize)
    {
        var served = Offers.File(20_000, 9);
        var offered = Offers.File(offeredSize, 9);
        using var download = Over(client, offered, new RangeServer(served) { Chunked = true });
        Assert.AreEqual(CotaStatus.SizeMismatch, download.Run());
        Assert.AreEqual(1, download.Download.Requests);
        Assert.IsTrue(download.Download.Received < offeredSize);
    }

    [TestMethod]
    [DataRow("core")]
    [DataRow("host")]
    public void AChunkedBodyWhoseLastChunkNeverComesIsSealedFromWhatLanded(string client)
    {
        var file = Offers.File(5_000, 10);
        using var served = Over(client, file, new RangeServer(file) { Chunked = true, DropAfterBytes = 5_000, DropCount = 1 });
        Assert.AreEqual(CotaStatus.Ok, served.Run());
        Assert.AreEqual(1, served.Download.Requests);
        CollectionAssert.AreEqual(file, Offers.Staged(served.Storage));
    }
}
