using CotaFirmware.Network;
using CotaFirmware.Tests.Mqtt;
using CotaFirmware.Text;

namespace CotaFirmware.Tests.Network;

[TestClass]
public class ChannelHttpClientTests
{

    [TestMethod]
    public void AGetSendsThePathAndQueryByteForByteWithTheRangeToTheUrlsHost()
    {
        Rig r = new Rig();
        Respond(r, "HTTP/1.1 206 Partial Content\r\nContent-Length: 5\r\nContent-Range: bytes 100-104/105\r\n\r\nhello");
        string url = "https://oss.example.com/cfg/a%41%7e.json?Expires=1&Signature=x%2B%zz&t=%";
        Assert.AreEqual(206, r.Http.Get(url, 100, 1000));
        Assert.AreEqual("GET /cfg/a%41%7e.json?Expires=1&Signature=x%2B%zz&t=% HTTP/1.1\r\nHost: oss.example.com\r\nRange: bytes=100-\r\n"
            + "Connection: close\r\nUser-Agent: CotaFirmware\r\n\r\n", Written(r));
        Assert.AreEqual("oss.example.com", r.Channel.LastHost);
        Assert.AreEqual(443, r.Channel.LastPort);
        Assert.IsTrue(r.Channel.LastTls);
        Assert.AreEqual(5L, r.Http.ContentLength);
        Assert.AreEqual(100L, r.Http.ContentRangeStart);
        Assert.AreEqual("hello", ReadAll(r, 16));
    }

    [TestMethod]
    public void APlainUrlWithAPortAndNoPathAsksForTheRootOfThatPort()
    {
        Rig r = new Rig();
        Respond(r, "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
        Assert.AreEqual(200, r.Http.Get("http://127.0.0.1:8080?q=1", 0, 1000));
        Assert.AreEqual("GET /?q=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: close\r\nUser-Agent: CotaFirmware\r\n\r\n", Written(r));
        Assert.AreEqual(8080, r.Channel.LastPort);
        Assert.IsFalse(r.Channel.LastTls);
        Assert.AreEqual(-1L, r.Http.ContentRangeStart);
        Assert.AreEqual("ok", ReadAll(r, 16));
    }

    [TestMethod]
    public void ASchemeInCapitalsIsTheSameScheme()
    {
        // A config offer's URL scheme is taken in any case (RFC 3986), so the client that fetches it takes it too.
        Rig r = new Rig();
        Respond(r, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        Assert.AreEqual(200, r.Http.Get("HTTPS://oss.example.com/f", 0, 1000));
        Assert.AreEqual("oss.example.com", r.Channel.LastHost);
        Assert.AreEqual(443, r.Channel.LastPort);
        Assert.IsTrue(r.Channel.LastTls);
        Assert.AreEqual("GET /f HTTP/1.1\r\nHost: oss.example.com\r\nConnection: close\r\nUser-Agent: CotaFirmware\r\n\r\n", Written(r));
    }

    [TestMethod]
    public void AHeadAndBodyThatArriveAFewBytesAtATimeReadTheSame()
    {
        Rig r = new Rig();
        r.Channel.MaxChunk = 3;
        Respond(r, "HTTP/1.1 200 OK\r\nServer: x\r\nContent-Length: 11\r\nX-Oss-Request-Id: 5F2\r\n\r\nhello world");
        Assert.AreEqual(200, r.Http.Get("https://h/f", 0, 1000));
        Assert.AreEqual(11L, r.Http.ContentLength);
        Assert.AreEqual("hello world", ReadAll(r, 4));
    }

    [TestMethod]
    public void AChunkedBodyIsReadAsItsChunksData()
    {
        Rig r = new Rig();
        r.Channel.MaxChunk = 5;
        Respond(r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n6;name=v\r\n world\r\n0\r\n\r\n");
        Assert.AreEqual(200, r.Http.Get("https://h/f", 0, 1000));
        Assert.AreEqual("hello world", ReadAll(r, 64));
    }

    [TestMethod]
    public void HeaderValuesAreReadWithoutTheWhitespaceAroundThem()
    {
        // RFC 9110 5.5: a field value excludes the spaces and tabs around it.
        Rig r = new Rig();
        Respond(r, "HTTP/1.1 200 OK\r\nTransfer-Encoding:\tchunked \t\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        Assert.AreEqual(200, r.Http.Get("https://h/f", 0, 1000));
        Assert.AreEqual("hello", ReadAll(r, 64));

        Assert.AreEqual("3/5", Range("bytes 3-4/5 \t"));
        r = new Rig();
        Respond(r, "HTTP/1.1 200 OK\r\nContent-Length: 2\t\r\n\r\nok");
        Assert.AreEqual(200, r.Http.Get("https://h/f", 0, 1000));
        Assert.AreEqual(2L, r.Http.ContentLength);
    }

    [TestMethod]
    public void AChunkSizeCutByAQuietSliceReadsOnFromItsNextDigit()
    {
        Assert.AreEqual("abcdefghijklmnop", ReadCutByAQuietSlice("10\r\nabcdefghijklmnop\r\n0\r\n\r\n", 1, 64));
    }

    [TestMethod]
    public void AQuietSliceAfterAChunksCrlfReadsTheNextChunk()
    {
        Assert.AreEqual("hello world", ReadCutByAQuietSlice("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", 10, 64));
    }

    [TestMethod]
    public void AChunkedBodyCutAtAnyByteByAQuietSliceReadsTheSame()
    {
        string body = "10\r\nabcdefghijklmnop\r\n6;name=\"v\"\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n";
        int length = Utf8.GetBytes(body).Length;
        for (int maxChunk = 1; maxChunk <= 64; maxChunk *= 64)
        {
            for (int cut = 0; cut <= length; cut++)
            {
                Assert.AreEqual("abcdefghijklmnop world", ReadCutByAQuietSlice(body, cut, maxChunk), "cut at " + cut.ToString());
            }
        }
    }

    [TestMethod]
    public void ChunkFramingThatIsNotHttpIsBroken()
    {
        string[] bodies =
        {
            "x\r\n", "\r\n", ";a\r\n", "5\r\nhelloX\r\n0\r\n\r\n", "5\r\r\nhello", "5\rhello", "10000000\r\n",
            "5\r\nhello\r\n\r\n",
        };
        for (int i = 0; i < bodies.Length; i++)
        {
            Rig r = new Rig();
            Respond(r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + bodies[i]);
            Assert.AreEqual(200, r.Http.Get("https://h/f", 0, 1000));
            byte[] all = new byte[16];
            int total = 0;
            Assert.AreEqual((int)HttpStatus.Broken, ReadUntilNone(r, all, ref total), bodies[i]);
        }
    }

    [TestMethod]
    public void InterimResponsesBeforeTheFinalOneAreDropped()
    {
        // RFC 9110 15.2: a client reads past any 1xx (100 Continue, 103 Early Hints) to the final response.
        Rig r = new Rig();
        r.Channel.MaxChunk = 7;
        Respond(r, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\nContent-Length: 99\r\n\r\n"
            + "HTTP/1.1 206 Partial Content\r\nContent-Length: 5\r\nContent-Range: bytes 100-104/105\r\n\r\nhello");
        Assert.AreEqual(206, r.Http.Get("https://h/f", 100, 1000));
        Assert.AreEqual(5L, r.Http.ContentLength);
        Assert.AreEqual(100L, r.Http.ContentRangeStart);
        Assert.AreEqual("hello", ReadAll(r, 16));

        r = new Rig();
        Respond(r, "HTTP/1.1 100 Continue\r\n\r\n");
        Assert.AreEqual((int)HttpStatus.Timeout, r.Http.Get("https://h/f", 0, 1000));
    }

    [TestMethod]
    public void AFormPostSendsItsTypeLengthAndBody()
    {
        Rig r = new Rig();
        Respond(r, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        byte[] body = Utf8.GetBytes("xxproductKey=a1&sign=F0");
        Assert.AreEqual(200, r.Http.PostForm("https://iot-auth.example.com/auth/register/device", body, 2, body.Length - 2, 1000));
        Assert.AreEqual("POST /auth/register/device HTTP/1.1\r\nHost: iot-auth.example.com\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Content-Length: 21\r\nConnection: close\r\nUser-Agent: CotaFirmware\r\n\r\nproductKey=a1&sign=F0", Written(r));
        Assert.AreEqual("{}", ReadAll(r, 8));
    }

    [TestMethod]
    public void ABodyCutBeforeItsLengthIsBrokenAndOneWithoutALengthEndsAtTheClose()
    {
        Rig r = new Rig();
        Respond(r, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcd");
        r.Channel.PeerClosed = true;
        Assert.AreEqual(200, r.Http.Get("https://h/f", 0, 1000));
        byte[] buffer = new byte[16];
        Assert.AreEqual(4, r.Http.Read(buffer, 0, 16, 100));
        Assert.AreEqual((int)HttpStatus.Broken, r.Http.Read(buffer, 0, 16, 100));

        r = new Rig();
        Respond(r, "HTTP/1.0 200 OK\r\n\r\nabcd");
        r.Channel.PeerClosed = true;
        Assert.AreEqual(200, r.Http.Get("https://h/f", 0, 1000));
        Assert.AreEqual("abcd", ReadAll(r, 16));
    }

    [TestMethod]
    public void NothingWithinTheTimeoutIsATimeoutThatLeavesTheExchangeOpen()
    {
        Rig r = new Rig();
        Respond(r, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n");
        Assert.AreEqual(200, r.Http.Get("https://h/f", 0, 1000));
        byte[] buffer = new byte[8];
        long before = r.Clock.MonotonicMs;
        Assert.AreEqual((int)HttpStatus.Timeout, r.Http.Read(buffer, 0, 8, 100));
        Assert.AreEqual(100L, r.Clock.MonotonicMs - before);
        r.Channel.Queue(Utf8.GetBytes("body"));
        Assert.AreEqual(4, r.Http.Read(buffer, 0, 8, 100));
        Assert.AreEqual(0, r.Http.Read(buffer, 0, 8, 100));
    }

    [TestMethod]
    public void AnUnusableUrlIsRefusedWithoutAConnection()
    {
        Rig r = new Rig();
        string[] urls = { null, "ftp://h/f", "https://", "https:///f", "https://h:99999/f", "https://h:12x/f", "https://h/a b", "https://h/\u00e9" };
        foreach (string url in urls)
        {
            Assert.AreEqual((int)HttpStatus.BadUrl, r.Http.Get(url, 0, 1000), url);
        }

        Assert.AreEqual(0, r.Channel.Connects);
    }

    [TestMethod]
    public void AUrlOfTheLongestLengthTheClientTakesIsSentWithARange()
    {
        // The board builds the client with the offer's URL limit: every URL an offer may carry must go out.
        Rig r = new Rig();
        string url = "https://oss.example.com:8443/" + new string('q', 1024 - 29);
        Assert.AreEqual(1024, url.Length);
        Respond(r, "HTTP/1.1 206 Partial Content\r\nContent-Length: 2\r\nContent-Range: bytes 1000000000-1000000001/1000000002\r\n\r\nok");
        Assert.AreEqual(206, r.Http.Get(url, 1000000000, 1000));
        Assert.IsTrue(Written(r).IndexOf("\r\nRange: bytes=1000000000-\r\nConnection: close\r\n") > 0);
        Assert.AreEqual("ok", ReadAll(r, 16));
        Assert.AreEqual((int)HttpStatus.BadUrl, r.Http.Get(url + "q", 0, 1000));
    }

    [TestMethod]
    public void TheChannelsFailuresAreNamedAsHttpStatuses()
    {
        Rig r = new Rig();
        r.Channel.ConnectResult = ChannelStatus.TlsFailed;
        Assert.AreEqual((int)HttpStatus.TlsFailed, r.Http.Get("https://h/f", 0, 1000));
        r.Channel.ConnectResult = ChannelStatus.Refused;
        Assert.AreEqual((int)HttpStatus.Unreachable, r.Http.Get("https://h/f", 0, 1000));
        r.Channel.ConnectResult = ChannelStatus.Timeout;
        Assert.AreEqual((int)HttpStatus.Timeout, r.Http.Get("https://h/f", 0, 1000));
        r.Channel.ConnectResult = ChannelStatus.OutOfMemory;
        Assert.AreEqual((int)HttpStatus.OutOfMemory, r.Http.Get("https://h/f", 0, 1000));
    }

    [TestMethod]
    public void RunningOutOfMemoryIsNamedSoInTheHeadTheBodyAndTheChunkFraming()
    {
        // The board's TLS read allocates: a download that fails for memory must say so, not "connection failed".
        string[] heads = { "", "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" };
        for (int i = 0; i < heads.Length; i++)
        {
            Rig r = new Rig();
            Respond(r, heads[i]);
            if (i == 0)
            {
                r.Channel.ReadFailure = ChannelStatus.OutOfMemory;
                Assert.AreEqual((int)HttpStatus.OutOfMemory, r.Http.Get("https://h/f", 0, 1000));
                continue;
            }

            Assert.AreEqual(200, r.Http.Get("https://h/f", 0, 1000));
            r.Channel.ReadFailure = ChannelStatus.OutOfMemory;
            Assert.AreEqual((int)HttpStatus.OutOfMemory, r.Http.Read(new byte[8], 0, 8, 100), heads[i]);
        }
    }

    [TestMethod]
    public void ContentRangeGivesTheFirstBytePositionAndTotalOfAByteRangeAndMinusOneForAnythingElse()
    {
        Assert.AreEqual("0/100", Range("bytes 0-99/100"));
        Assert.AreEqual("1024/4096", Range("bytes 1024-4095/4096"));
        Assert.AreEqual("5/-1", Range("Bytes 5-5/*"));
        Assert.AreEqual("3000000000/3000000002", Range("bytes 3000000000-3000000001/3000000002"));
        string[] refused =
        {
            "", "bytes */100", "bytes 10-5/100", "bytes 5-/100", "bytes -5/100", "bytes 5-9", "bytes 5-9/", "bytes 5-9/1x",
            "bytes 5-9/**", "items 5-9/10", "bytes  5-9/10", "bytes 1234567890123456789-1234567890123456790/*",
        };
        for (int i = 0; i < refused.Length; i++)
        {
            Assert.AreEqual("-1/-1", Range(refused[i]), refused[i]);
        }
    }

    [TestMethod]
    public void AHeadLargerThanTheBufferOrNotHttpIsBroken()
    {
        Rig r = new Rig();
        Respond(r, "HTTP/1.1 200 OK\r\nX-Padding: " + new string('p', 600) + "\r\n\r\n");
        Assert.AreEqual((int)HttpStatus.Broken, r.Http.Get("https://h/f", 0, 1000));
        Assert.IsFalse(r.Channel.IsOpen);

        r = new Rig();
        Respond(r, "SSH-2.0-OpenSSH\r\n\r\n");
        Assert.AreEqual((int)HttpStatus.Broken, r.Http.Get("https://h/f", 0, 1000));
    }

    [TestMethod]
    public void InterimResponsesThatKeepComingCannotHoldAGetPastItsTimeout()
    {
        // A server that streams "100 Continue" heads holds Get for as long as it sends them: the device's one loop
        // (MQTT with it) stops, and the board has no watchdog. 300 heads, each 1 ms on the wire, stand for "forever".
        Rig r = new Rig();
        byte[] interim = Utf8.GetBytes("HTTP/1.1 100 Continue\r\n\r\n");
        Respond(r, "");
        for (int i = 0; i < 300; i++)
        {
            r.Channel.Queue(interim);
        }

        r.Channel.MaxChunk = interim.Length;
        r.Channel.MsPerRead = 1;
        int status = r.Http.Get("https://h/f", 0, 100);
        Assert.IsTrue(status < 0, "status " + status.ToString());
        Assert.IsTrue(r.Clock.MonotonicMs <= 101, "a Get of 100 ms returned after " + r.Clock.MonotonicMs.ToString() + " ms");
    }

    [TestMethod]
    public void ChunkFramingThatKeepsComingCannotHoldAReadPastItsSlice()
    {
        // Leading zeros of a size, a chunk extension, a trailer section: framing without data, which a hostile server
        // can send without end. A read of a 100 ms slice must come back within it (or refuse the framing), or the
        // download's bounded steps, and the MQTT serviced between them, stop for as long as the server sends.
        string[] starts = { "", "5;", "0\r\n" };
        string[] repeated = { "0", "x", "X-Trailer: t\r\n" };
        string overran = "";
        for (int i = 0; i < starts.Length; i++)
        {
            Rig r = new Rig();
            r.Channel.MaxChunk = 16;
            Respond(r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + starts[i]);
            byte[] unit = Utf8.GetBytes(repeated[i]);
            for (int queued = 0; queued + unit.Length < 7000; queued += unit.Length)
            {
                r.Channel.Queue(unit);
            }

            Assert.AreEqual(200, r.Http.Get("https://h/f", 0, 1000));
            r.Channel.MsPerRead = 1;
            long before = r.Clock.MonotonicMs;
            r.Http.Read(new byte[16], 0, 16, 100);
            long took = r.Clock.MonotonicMs - before;
            if (took > 101)
            {
                overran += " '" + repeated[i] + "' repeated: " + took.ToString() + " ms;";
            }
        }

        Assert.AreEqual("", overran, "reads of a 100 ms slice returned after");
    }

    [TestMethod]
    public void HeadsThatLeaveTheFramingInDoubtAreBroken()
    {
        // A status that is not three digits (RFC 9112 4), two different Content-Lengths (6.3), a folded line (5.2: a
        // folded Transfer-Encoding ignored would store the chunk framing as the config, which then fails its hash).
        // The same length twice leaves no doubt; nor does a status line without a reason (the last two).
        string[] heads =
        {
            "HTTP/1.1 2000 OK\r\nContent-Length: 5", "HTTP/1.1 2061 Partial Content\r\nContent-Length: 5",
            "HTTP/1.1 200OK\r\nContent-Length: 5", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 3",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n chunked",
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5", "HTTP/1.1 200\r\nContent-Length: 5",
        };
        for (int i = 0; i < heads.Length; i++)
        {
            Rig r = new Rig();
            Respond(r, heads[i] + "\r\n\r\nhello");
            Assert.AreEqual(i < heads.Length - 2 ? (int)HttpStatus.Broken : 200, r.Http.Get("https://h/f", 0, 1000), heads[i]);
        }
    }

    [TestMethod]
    public void NoBodyBytesAreHandedOutAfterBrokenChunkFraming()
    {
        // IHttpClient.Read: every failure but a timeout ends the exchange; the bytes after bad framing are no body.
        Rig r = new Rig();
        Respond(r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n3\r\nabc\r\n0\r\n\r\n");
        Assert.AreEqual(200, r.Http.Get("https://h/f", 0, 1000));
        byte[] buffer = new byte[16];
        Assert.AreEqual(5, r.Http.Read(buffer, 0, 16, 100));
        Assert.AreEqual((int)HttpStatus.Broken, r.Http.Read(buffer, 0, 16, 100));
        int after = r.Http.Read(buffer, 0, 16, 100);
        Assert.IsTrue(after < 0, "a read after the framing broke gave " + after.ToString());
    }

    private static void Respond(Rig r, string response)
    {
        r.Channel.ConnectResult = ChannelStatus.Ok;
        r.Channel.Queue(Utf8.GetBytes(response));
    }

    // "ContentRangeStart/ContentRangeTotal" of a 206 response whose Content-Range is value.
    private static string Range(string value)
    {
        Rig r = new Rig();
        Respond(r, "HTTP/1.1 206 Partial Content\r\nContent-Length: 1\r\nContent-Range: " + value + "\r\n\r\nx");
        Assert.AreEqual(206, r.Http.Get("https://h/f", 5, 1000));
        return r.Http.ContentRangeStart.ToString() + "/" + r.Http.ContentRangeTotal.ToString();
    }

    private static string Written(Rig r) => Utf8.GetString(r.Channel.Written, 0, r.Channel.WrittenCount);

    private static string ReadAll(Rig r, int chunk)
    {
        byte[] all = new byte[256];
        int total = 0;
        while (true)
        {
            int n = r.Http.Read(all, total, chunk, 100);
            if (n == 0)
            {
                return Utf8.GetString(all, 0, total);
            }

            Assert.IsTrue(n > 0, "read failed with " + n.ToString());
            total += n;
        }
    }

    // Reads into all from total until a read gives no bytes; what that read gave (0 at the end, or a failure).
    private static int ReadUntilNone(Rig r, byte[] all, ref int total)
    {
        while (true)
        {
            int n = r.Http.Read(all, total, all.Length - total, 100);
            if (n <= 0)
            {
                return n;
            }

            total += n;
        }
    }

    // The chunked body read when its first cut bytes arrive, a read times out, and then the rest arrives; the channel
    // hands out at most maxChunk bytes a read. The body must end, and stay ended, with nothing left unread.
    private static string ReadCutByAQuietSlice(string body, int cut, int maxChunk)
    {
        byte[] bytes = Utf8.GetBytes(body);
        string at = "cut at " + cut.ToString() + ", reads of " + maxChunk.ToString();
        Rig r = new Rig();
        r.Channel.MaxChunk = maxChunk;
        Respond(r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        r.Channel.Queue(bytes, 0, cut);
        Assert.AreEqual(200, r.Http.Get("https://h/f", 0, 1000), at);
        byte[] all = new byte[32];
        int total = 0;
        int end = ReadUntilNone(r, all, ref total);
        if (cut < bytes.Length)
        {
            Assert.AreEqual((int)HttpStatus.Timeout, end, at);
            r.Channel.Queue(bytes, cut, bytes.Length - cut);
            end = ReadUntilNone(r, all, ref total);
        }

        Assert.AreEqual(0, end, at);
        Assert.AreEqual(0, r.Channel.Unread, at);
        Assert.AreEqual(0, r.Http.Read(all, 0, 1, 100), at);
        Assert.AreEqual(-1L, r.Http.ContentLength, at);
        return Utf8.GetString(all, 0, total);
    }

    // A client over a scripted channel and a manual clock, fresh per test.
    private sealed class Rig
    {
        public readonly ManualClock Clock = new ManualClock();
        public readonly ScriptedChannel Channel;
        public readonly ChannelHttpClient Http;

        public Rig()
        {
            Channel = new ScriptedChannel(Clock);
            Http = new ChannelHttpClient(Channel, Clock, 1024, 512);
        }
    }
}
