using System.Text;
using CotaFirmware.App;
using CotaFirmware.Host.Board;

namespace CotaFirmware.HostTests.Cota;

/// <summary>MQTT is serviced while a download crawls: a push that arrives then is acked before the download's next piece comes.</summary>
[TestClass]
public sealed class SlowDownloadTests
{
    /// <summary>An HTTP client that runs an action as a read starts: the moment a message "arrives" while the loop is in the read.</summary>
    private sealed class DuringRead(IHttpClient inner) : IHttpClient
    {
        public Action? OnRead { get; set; }

        public long ContentLength => inner.ContentLength;

        public long ContentRangeStart => inner.ContentRangeStart;

        public long ContentRangeTotal => inner.ContentRangeTotal;

        public int Get(string url, long rangeStart, int timeoutMs) => inner.Get(url, rangeStart, timeoutMs);

        public int PostForm(string url, byte[] body, int offset, int count, int timeoutMs) => inner.PostForm(url, body, offset, count, timeoutMs);

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            OnRead?.Invoke();
            return inner.Read(buffer, offset, count, timeoutMs);
        }

        public void Close() => inner.Close();
    }

    /// <summary>
    /// The firmware downloads from a server that sends 100 bytes, then nothing for 2 s, and so on (on the test's
    /// clock, which only the reads move). Just after a piece arrived, as the next read starts, the cloud pushes a newer
    /// config; returns how many bytes the download had received when the push went out and when its push_reply came.
    /// </summary>
    private static (long AtPush, long AtAck) BytesAroundAPushDuringASlowDownload(int readSliceMs)
    {
        var cloud = new SimulatedCloud(3);
        string first = cloud.Publish(Encoding.ASCII.GetBytes("{\"telemetry\":{\"intervalSeconds\":1}," + Pad(600) + "}"));
        var clock = new ManualClock();
        var server = new ScriptedHttpClient(cloud.FileOf(first)) { Clock = clock, Otherwise = ScriptedResponse.InPieces(100, 2000) };
        var http = new DuringRead(server);
        var board = cloud.Board(new MemoryStorage(), new InProcessReboot(), clock, new RecordingLog(), 1);
        board.Http = http;
        var settings = SimulatedCloud.Settings();
        settings.Download.TimeoutMs = 5000;
        settings.Download.ReadSliceMs = readSliceMs;
        long received = 0;
        board.DownloadProgress = (r, total) => received = r;
        var device = new CotaDevice(board, settings);

        string? pushId = null;
        long atPush = -1;
        device.Start();
        http.OnRead = () =>
        {
            if (pushId == null && received >= 100)
            {
                // A piece just arrived (the next one is 2 s away) and the loop is reading again.
                string second = cloud.Publish(Encoding.ASCII.GetBytes("{\"telemetry\":{\"intervalSeconds\":2}}"));
                pushId = cloud.Push(second);
                atPush = received;
            }
        };
        for (int step = 0; step < 1000; step++)
        {
            device.Step();

            if (pushId != null && cloud.PushReplies.Any(r => r.Id == pushId))
            {
                long atAck = received;
                Assert.AreEqual(200, cloud.PushReplies.Single(r => r.Id == pushId).Code);
                device.Close();
                return (atPush, atAck);
            }
        }

        device.Close();
        throw new AssertFailedException("no push_reply within 1000 steps (pushed: " + (pushId != null) + ", received " + received + " bytes, "
            + clock.MonotonicMs + " ms)");
    }

    private static string Pad(int bytes)
    {
        var text = new StringBuilder("\"statusLed\":{\"pattern\":\"blink\"");
        for (int i = 0; text.Length < bytes; i++)
        {
            text.Append(",\"p").Append(i).Append("\":0");
        }

        return text.Append('}').ToString();
    }

    [TestMethod]
    public void APushDuringASlowDownloadIsAckedBeforeTheNextPieceArrives()
    {
        var (atPush, atAck) = BytesAroundAPushDuringASlowDownload(100);
        Assert.AreEqual(atPush, atAck, "acked while the download still waited for its next piece");
    }

    [TestMethod]
    public void ReadingTheBodyInOneBlockingWaitKeepsThePushWaiting()
    {
        // The behaviour before the download read in slices: the loop is stuck in the read until the next piece comes.
        var (atPush, atAck) = BytesAroundAPushDuringASlowDownload(5000);
        Assert.IsTrue(atAck > atPush, "acked only once the next piece had come: " + atPush + " then " + atAck + " bytes");
    }
}
