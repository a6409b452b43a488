using System.Net.Http.Headers;
using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Files;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.HostTests.Cloud;

/// <summary>The config file server: signed URLs, ranges, and the faults that weak links produce.</summary>
[TestClass]
public sealed class ConfigFileServerTests
{
    private static LocalPlatform _platform = null!;
    private static HttpClient _http = null!;
    private static readonly byte[] Content = MakeContent(3000);

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _platform = await LocalPlatform.StartAsync();
        _platform.Registry.AddProduct("pkfile", "s");
        _http = new HttpClient(_platform.Certificates.CreateTrustingHandler()) { Timeout = TimeSpan.FromSeconds(30) };
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        _http.Dispose();
        await _platform.StopAsync();
    }

    [TestInitialize]
    public void NoFaults() => _platform.Files.ClearFaults();

    private static byte[] MakeContent(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 + 7);
        }
        return bytes;
    }

    private static ConfigFile Publish() =>
        _platform.Cota.PublishConfig("pkfile", Content, "f" + Guid.NewGuid().ToString("N")[..12]);

    private static async Task<HttpResponseMessage> GetAsync(string url, string? range = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (range != null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }
        return await _http.SendAsync(request);
    }

    [TestMethod]
    public async Task PublishedFileIsServedWholeWithItsLengthAndHash()
    {
        var config = Publish();
        Assert.AreEqual(Content.Length, config.Size);
        Assert.AreEqual(Convert.ToHexString(SHA256.HashData(Content)).ToLowerInvariant(), config.Sign);
        var url = _platform.Cota.DownloadUrl(config);
        using var response = await GetAsync(url);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(Content.Length, response.Content.Headers.ContentLength);
        CollectionAssert.AreEqual(Content, await response.Content.ReadAsByteArrayAsync());
    }

    [TestMethod]
    public void UrlLooksLikeAnOssStsUrl()
    {
        var url = _platform.Cota.DownloadUrl(Publish());
        Assert.IsTrue(url.Length >= 800, "URL length " + url.Length);
        var query = new Uri(url).Query;
        foreach (var name in new[] { "Expires=", "OSSAccessKeyId=", "Signature=", "security-token=" })
        {
            StringAssert.Contains(query, name);
        }
        StringAssert.StartsWith(url, "https://127.0.0.1:" + _platform.HttpsPort + "/");
    }

    [TestMethod]
    [DataRow("bytes=1000-", 1000, 2999)]
    [DataRow("bytes=10-19", 10, 19)]
    [DataRow("bytes=2990-5000", 2990, 2999)]
    [DataRow("bytes=-100", 2900, 2999)]
    public async Task RangeGivesPartialContent(string range, int first, int last)
    {
        var config = Publish();
        using var response = await GetAsync(_platform.Cota.DownloadUrl(config), range);
        Assert.AreEqual(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.AreEqual(last - first + 1, response.Content.Headers.ContentLength);
        Assert.AreEqual("bytes " + first + "-" + last + "/" + Content.Length, response.Content.Headers.ContentRange!.ToString());
        CollectionAssert.AreEqual(Content[first..(last + 1)], await response.Content.ReadAsByteArrayAsync());
        var logged = await LoggedAsync(config.ConfigId);
        Assert.AreEqual(range, logged.Range);
        Assert.AreEqual(206, logged.Status);
        Assert.AreEqual(last - first + 1, logged.BodyBytes);
    }

    [TestMethod]
    public async Task RangeBeyondTheEndIs416()
    {
        using var response = await GetAsync(_platform.Cota.DownloadUrl(Publish()), "bytes=3000-");
        Assert.AreEqual(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.AreEqual("bytes */3000", response.Content.Headers.ContentRange!.ToString());
    }

    [TestMethod]
    public async Task ExpiredUrlIs403()
    {
        using var response = await GetAsync(_platform.Cota.DownloadUrl(Publish(), TimeSpan.FromSeconds(-5)));
        Assert.AreEqual(HttpStatusCode.Forbidden, response.StatusCode);
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "<Code>AccessDenied</Code>");
    }

    [TestMethod]
    public async Task ForgedUrlsAre403()
    {
        var config = Publish();
        var url = _platform.Cota.DownloadUrl(config);
        var other = Publish();
        var forgeries = new[]
        {
            url.Replace("Expires=", "Expires=9"),                                   // extended expiry
            url.Replace(config.ConfigId, other.ConfigId),                          // another object
            url[..url.IndexOf('?')],                                               // unsigned
            url.Replace("security-token=CAIS", "security-token=CAIT"),             // token swapped
            url.Replace("OSSAccessKeyId=STS.", "OSSAccessKeyId=STS.X"),            // another key
        };
        foreach (var forged in forgeries)
        {
            using var response = await GetAsync(forged);
            Assert.AreEqual(HttpStatusCode.Forbidden, response.StatusCode, forged[..Math.Min(80, forged.Length)]);
        }
    }

    [TestMethod]
    [DataRow("STS.<a&b>\"]]>", "STS.&lt;a&amp;b&gt;", "STS.<a&b>\"]]>", DisplayName = "markup is escaped")]
    [DataRow("STS.a\u0001b\uD83D\uDE00c", "STS.ab\uD83D\uDE00c", "STS.ab\uD83D\uDE00c", DisplayName = "a character XML cannot hold is left out")]
    public async Task AnUnknownAccessKeyIdComesBackInWellFormedXml(string given, string written, string echoed)
    {
        var url = _platform.Cota.DownloadUrl(Publish());
        using var response = await GetAsync(url.Replace("OSSAccessKeyId=STS.", "OSSAccessKeyId=" + Uri.EscapeDataString(given)));

        Assert.AreEqual(HttpStatusCode.Forbidden, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        StringAssert.StartsWith(body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        StringAssert.Contains(body, written);
        var error = XDocument.Parse(body).Root!;
        Assert.AreEqual("Error", error.Name.LocalName);
        Assert.AreEqual("InvalidAccessKeyId", error.Element("Code")!.Value);
        StringAssert.StartsWith(error.Element("OSSAccessKeyId")!.Value, echoed);
    }

    [TestMethod]
    [DataRow(403)]
    [DataRow(404)]
    [DataRow(500)]
    public async Task StatusFaultIsServed(int status)
    {
        var config = Publish();
        _platform.Files.InjectFault(FileFault.Status(status, times: 1), config.ConfigId);
        var url = _platform.Cota.DownloadUrl(config);
        using (var response = await GetAsync(url))
        {
            Assert.AreEqual(status, (int)response.StatusCode);
        }
        using (var again = await GetAsync(url))
        {
            Assert.AreEqual(HttpStatusCode.OK, again.StatusCode);
        }
        Assert.AreEqual(FileFaultKind.Status, (await _platform.Files.LoggedAsync(r => r.ConfigId == config.ConfigId && r.Status == status)).Fault);
        Assert.IsNull((await _platform.Files.LoggedAsync(r => r.ConfigId == config.ConfigId && r.Status == 200)).Fault);
    }

    [TestMethod]
    public async Task HtmlPageFaultAnswers200WithHtml()
    {
        var config = Publish();
        _platform.Files.InjectFault(FileFault.HtmlPage());
        using var response = await GetAsync(_platform.Cota.DownloadUrl(config));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("text/html", response.Content.Headers.ContentType!.MediaType);
        StringAssert.StartsWith(await response.Content.ReadAsStringAsync(), "<!DOCTYPE html>");
    }

    [TestMethod]
    public async Task TruncateFaultServesAConsistentShortFile()
    {
        var config = Publish();
        _platform.Files.InjectFault(FileFault.Truncate(1000), config.ConfigId);
        using var response = await GetAsync(_platform.Cota.DownloadUrl(config));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(1000, response.Content.Headers.ContentLength);
        CollectionAssert.AreEqual(Content[..1000], await response.Content.ReadAsByteArrayAsync());
    }

    [TestMethod]
    public async Task ResetFaultDropsTheConnectionAndARangeResumes()
    {
        var config = Publish();
        var url = _platform.Cota.DownloadUrl(config);
        _platform.Files.InjectFault(FileFault.ResetAfter(1200, times: 1), config.ConfigId);

        var received = new MemoryStream();
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        using (var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.AreEqual(Content.Length, response.Content.Headers.ContentLength);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[512];
            var failed = false;
            try
            {
                int n;
                while ((n = await body.ReadAsync(buffer)) > 0)
                {
                    received.Write(buffer, 0, n);
                }
            }
            catch (IOException)
            {
                failed = true;
            }
            Assert.IsTrue(failed, "the body ended without an error");
        }
        Assert.AreEqual(1200, received.Length);

        using (var rest = await GetAsync(url, "bytes=" + received.Length + "-"))
        {
            Assert.AreEqual(HttpStatusCode.PartialContent, rest.StatusCode);
            received.Write(await rest.Content.ReadAsByteArrayAsync());
        }
        CollectionAssert.AreEqual(Content, received.ToArray());
        Assert.AreEqual(1200, (await _platform.Files.LoggedAsync(r => r.ConfigId == config.ConfigId && r.Range == null)).BodyBytes);
        await _platform.Files.LoggedAsync(r => r.ConfigId == config.ConfigId && r.Range == "bytes=1200-");
        Assert.AreEqual(2, _platform.Files.Requests.Count(r => r.ConfigId == config.ConfigId));
    }

    [TestMethod]
    public async Task AbortFaultResetsTheConnection()
    {
        var config = Publish();
        _platform.Files.InjectFault(FileFault.AbortAfter(1200, times: 1), config.ConfigId);
        var received = 0L;
        var failed = false;
        try
        {
            using var response = await _http.GetAsync(_platform.Cota.DownloadUrl(config), HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[512];
            int n;
            while ((n = await body.ReadAsync(buffer)) > 0)
            {
                received += n;
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            failed = true;
        }
        Assert.IsTrue(failed, "the download ended without an error");
        Assert.IsTrue(received <= 1200);
        Assert.AreEqual(FileFaultKind.AbortAfter, (await LoggedAsync(config.ConfigId)).Fault);
    }

    [TestMethod]
    public async Task HangFaultNeverAnswers()
    {
        var config = Publish();
        _platform.Files.InjectFault(FileFault.Hang(), config.ConfigId);
        using var impatient = new HttpClient(_platform.Certificates.CreateTrustingHandler())
        {
            Timeout = TimeSpan.FromSeconds(1),
        };
        await Assert.ThrowsExactlyAsync<TaskCanceledException>(() => impatient.GetAsync(_platform.Cota.DownloadUrl(config)));

        // The server logs the request once the client has given up on it: it got no status.
        var hung = await LoggedAsync(config.ConfigId);
        Assert.AreEqual(FileFaultKind.Hang, hung.Fault);
        Assert.AreEqual(0, hung.Status);

        _platform.Files.ClearFaults();
        using var response = await GetAsync(_platform.Cota.DownloadUrl(config));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [TestMethod]
    public async Task HeadGivesTheLengthWithoutABody()
    {
        var request = new HttpRequestMessage(HttpMethod.Head, _platform.Cota.DownloadUrl(Publish()));
        using var response = await _http.SendAsync(request);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(Content.Length, response.Content.Headers.ContentLength);
        Assert.IsTrue(response.Headers.AcceptRanges.Contains("bytes"));
    }

    private static Task<FileRequest> LoggedAsync(string configId) => _platform.Files.LoggedAsync(r => r.ConfigId == configId);
}
