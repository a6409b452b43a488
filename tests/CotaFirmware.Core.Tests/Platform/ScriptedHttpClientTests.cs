namespace CotaFirmware.Tests.Platform;

/// <summary>Holds the tests' HTTP client to the IHttpClient contract: status, Content-Length and Content-Range as a correct server sends them, Read's counts and codes.</summary>
[TestClass]
public sealed class ScriptedHttpClientTests
{
    private static byte[] File()
    {
        return Ascii.Bytes("0123456789abcdefghij");
    }

    private static string ReadAll(ScriptedHttpClient http, int count)
    {
        byte[] buffer = new byte[64];
        int total = 0;
        int n;
        while ((n = http.Read(buffer, total, count, 1000)) != 0)
        {
            Assert.IsTrue(n >= 1 && n <= count, "a read returns between 1 and the count asked for, got " + n.ToString());
            total += n;
        }

        return Ascii.Text(buffer, 0, total);
    }

    [TestMethod]
    public void AGetWithoutRangeAnswers200WithTheWholeBody()
    {
        ScriptedHttpClient http = new ScriptedHttpClient(File());
        Assert.AreEqual(200, http.Get("https://h/c", 0, 1000));
        Assert.AreEqual(20L, http.ContentLength);
        Assert.AreEqual(-1L, http.ContentRangeStart, "no Content-Range on a 200");
        Assert.AreEqual("0123456789abcdefghij", ReadAll(http, 7));
        Assert.AreEqual(0, http.Read(new byte[4], 0, 4, 1000), "the end stays the end");
        http.Close();
        Assert.IsFalse(http.IsOpen);
    }

    [TestMethod]
    public void AGetWithARangeAnswers206FromThatByte()
    {
        ScriptedHttpClient http = new ScriptedHttpClient(File());
        Assert.AreEqual(206, http.Get("https://h/c", 15, 1000));
        Assert.AreEqual(15L, http.ContentRangeStart);
        Assert.AreEqual(5L, http.ContentLength, "Content-Length counts the part sent, not the file");
        Assert.AreEqual("fghij", ReadAll(http, 64));
        Assert.AreEqual(15L, http.OffsetOf(0));
    }

    [TestMethod]
    public void ReadsNeverPassTheCountOrTheChunk()
    {
        ScriptedHttpClient http = new ScriptedHttpClient(File());
        http.ReadChunk = 3;
        http.Get("https://h/c", 0, 1000);
        byte[] buffer = new byte[8];
        Assert.AreEqual(3, http.Read(buffer, 0, 8, 1000));
        Assert.AreEqual(2, http.Read(buffer, 3, 2, 1000));
        Assert.AreEqual("01234", Ascii.Text(buffer, 0, 5));
    }

    [TestMethod]
    public void NoResponseIsANegativeCodeWithNoHeaders()
    {
        ScriptedHttpClient http = new ScriptedHttpClient(File()).Then(ScriptedResponse.WithStatus((int)HttpStatus.Unreachable));
        Expect.Status(HttpStatus.Unreachable, http.Get("https://h/c", 0, 1000));
        Assert.AreEqual(-1L, http.ContentLength);
        Assert.AreEqual(-1L, http.ContentRangeStart);
        Assert.IsFalse(http.IsOpen);
        Assert.AreEqual(200, http.Get("https://h/c", 0, 1000), "past the script, a correct server answers");
    }

    [TestMethod]
    public void AReadFailureRepeatsUntilTheExchangeEnds()
    {
        ScriptedHttpClient http = new ScriptedHttpClient(File()).Then(ScriptedResponse.FailingAfter(4, (int)HttpStatus.Timeout));
        http.Get("https://h/c", 0, 1000);
        byte[] buffer = new byte[20];
        Assert.AreEqual(4, http.Read(buffer, 0, 20, 1000));
        Expect.Status(HttpStatus.Timeout, http.Read(buffer, 0, 20, 250));
        Expect.Status(HttpStatus.Timeout, http.Read(buffer, 0, 20, 250), "a timeout leaves the exchange open; asking again keeps waiting");
        Assert.AreEqual(250, http.LastReadTimeoutMs);
        http.Close();
        Expect.Status(HttpStatus.Broken, http.Read(buffer, 0, 20, 250), "nothing is read after Close");
        Assert.AreEqual(1, http.CloseCount);
    }

    [TestMethod]
    public void APieceComesAfterItsSilenceOnTheClockAndAShorterReadTimesOut()
    {
        ManualClock clock = new ManualClock();
        ScriptedHttpClient http = new ScriptedHttpClient(File()).Then(ScriptedResponse.InPieces(8, 2000));
        http.Clock = clock;
        http.Get("https://h/c", 0, 1000);
        byte[] buffer = new byte[20];
        Assert.AreEqual(8, http.Read(buffer, 0, 20, 100), "the first piece is there at once");
        Assert.AreEqual(0L, clock.MonotonicMs);
        Expect.Status(HttpStatus.Timeout, http.Read(buffer, 8, 12, 500), "the next piece is 2 s away");
        Assert.AreEqual(500L, clock.MonotonicMs, "a read that times out waited its whole timeout");
        Assert.AreEqual(8, http.Read(buffer, 8, 12, 5000));
        Assert.AreEqual(2000L, clock.MonotonicMs, "a read returns as its piece arrives");
        Assert.AreEqual(4, http.Read(buffer, 16, 4, 5000), "the last piece is what is left");
        Assert.AreEqual(4000L, clock.MonotonicMs);
        Assert.AreEqual(0, http.Read(buffer, 0, 20, 5000), "then the body ends");
        Assert.AreEqual("0123456789abcdefghij", Ascii.Text(buffer, 0, 20));
    }

    [TestMethod]
    public void ACutAfterTheLastByteCutsNothing()
    {
        ScriptedHttpClient http = new ScriptedHttpClient(File()).Then(ScriptedResponse.FailingAfter(20, (int)HttpStatus.Broken));
        http.Get("https://h/c", 0, 1000);
        Assert.AreEqual("0123456789abcdefghij", ReadAll(http, 64));
    }

    [TestMethod]
    public void APostIsRecordedAndAnsweredWithTheResource()
    {
        ScriptedHttpClient http = new ScriptedHttpClient(Ascii.Bytes("{\"code\":200}"));
        byte[] form = Ascii.Bytes("xa=1&b=2x");
        Assert.AreEqual(200, http.PostForm("https://h/register", form, 1, 7, 1000));
        Assert.AreEqual("a=1&b=2", http.LastBody, "only the slice given is sent");
        Assert.AreEqual("https://h/register", http.LastUrl);
        Assert.AreEqual(12L, http.ContentLength);
        Assert.AreEqual("{\"code\":200}", ReadAll(http, 64));
        Assert.AreEqual(1, http.RequestCount);
    }
}
