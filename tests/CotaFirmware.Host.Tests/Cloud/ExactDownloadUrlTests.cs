using System.Security.Cryptography.X509Certificates;
using CotaFirmware.Host.Board;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.HostTests.Cloud;

/// <summary>The host board sends a download URL byte for byte as the cloud gave it; the file server logs the raw
/// request line's target.</summary>
[TestClass]
public sealed class ExactDownloadUrlTests
{
    [TestMethod]
    [DataRow("&x=%41&y=%7e&z=%7E")]
    [DataRow("&bad=%zz&end=%")]
    [DataRow("&slash=%2f%2F&plus=%2B&utf8=%C3%A9&space=a%20b+c")]
    public async Task TheRequestTargetIsExactlyTheUrlsPathAndQuery(string extra)
    {
        await using var platform = await LocalPlatform.StartAsync();
        var product = platform.Registry.AddProduct();
        var config = platform.Cota.PublishConfig(product.ProductKey, "{\"telemetry\":{\"intervalSeconds\":30}}");
        string url = platform.Cota.DownloadUrl(config) + extra;
        using var http = new HttpClientSource(X509CertificateLoader.LoadCertificate(platform.Certificates.CaCertificate.RawData));

        Assert.AreEqual(200, http.Get(url, 0, 10000));
        var body = new byte[config.Size];
        int read = 0;
        while (read < body.Length)
        {
            int n = http.Read(body, read, body.Length - read, 10000);
            Assert.IsTrue(n > 0, "read " + n);
            read += n;
        }

        http.Close();
        string pathAndQuery = url[url.IndexOf('/', "https://".Length)..];
        Assert.AreEqual(pathAndQuery, (await platform.Files.LoggedAsync(_ => true)).Target);
        Assert.AreEqual(1, platform.Files.Requests.Count);
    }

    [TestMethod]
    [DataRow("https://127.0.0.1/a b")]
    [DataRow("https://127.0.0.1/caf\u00e9")]
    [DataRow("https://127.0.0.1/a\r\nX-Injected: 1")]
    public void AUrlThatWouldBreakTheRequestLineIsRefused(string url)
    {
        using var http = new HttpClientSource();
        Expect.Status(HttpStatus.BadUrl, http.Get(url, 0, 1000));
    }
}
