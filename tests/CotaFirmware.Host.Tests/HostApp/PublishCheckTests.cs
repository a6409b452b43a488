using System.Net;
using System.Text;
using CotaFirmware.Host.Cloud.Web;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.HostTests.HostApp;

/// <summary>What <c>publish</c> and the publish API say about a config before it goes out: in the project's own words,
/// with sizes and limits named, duplicate keys found, a byte order mark dropped, and an empty config confirmed first.</summary>
[TestClass]
[DoNotParallelize]
public sealed class PublishCheckTests
{
    private static readonly TempFolder Data = new("cota-publish-check");
    private static LocalPlatform _platform = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _platform = await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = Data.Path, Console = true });
        _platform.Registry.AddProduct();
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await _platform.DisposeAsync();
        Data.Dispose();
    }

    [TestMethod]
    public void ADuplicateKeyIsRefusedBeforePublishingWithItsPath()
    {
        var (code, _, error) = Publish("{\"telemetry\":{\"intervalSeconds\":30,\"intervalSeconds\":40}}");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "duplicate_key: telemetry.intervalSeconds appears twice");

        (code, _, error) = Publish("{\"telemetry\":{\"intervalSeconds\":30},\"telemetry\":{}}");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "duplicate_key: telemetry appears twice");
        Assert.AreEqual(0, _platform.Registry.Configs.Count(c => c.ProductKey == ProductKey), "nothing was published");
    }

    [TestMethod]
    public void AConfigLargerThanTheDevicesTakeNamesBothSizes()
    {
        var big = "{\"telemetry\":{\"intervalSeconds\":30},\"pad\":\"" + new string('x', 1_048_576) + "\"}";
        var (code, _, error) = Publish(big);
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "the config is " + Encoding.UTF8.GetByteCount(big).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " bytes");
        StringAssert.Contains(error, "devices take at most 1,048,576 bytes");
    }

    [TestMethod]
    public async Task ThePublishApiRefusesWhatTheCommandRefuses()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add(WebConsole.TokenHeader, _platform.Console!.Token);
        var url = "http://127.0.0.1:" + _platform.Console.Port + "/api/publish?productKey=" + ProductKey;
        var tooBig = await http.PostAsync(url, new ByteArrayContent(new byte[1_048_577]));
        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        StringAssert.Contains(await tooBig.Content.ReadAsStringAsync(), "devices take at most 1,048,576 bytes");

        var empty = await http.PostAsync(url, new StringContent("{}"));
        Assert.AreEqual(HttpStatusCode.BadRequest, empty.StatusCode);
        StringAssert.Contains(await empty.Content.ReadAsStringAsync(), "allowEmpty=true");

        var duplicate = await http.PostAsync(url, new StringContent("{\"a\":1,\"a\":2}"));
        Assert.AreEqual(HttpStatusCode.BadRequest, duplicate.StatusCode);
        StringAssert.Contains(await duplicate.Content.ReadAsStringAsync(), "duplicate_key: a appears twice");
    }

    [TestMethod]
    public void BrokenJsonIsDescribedInOurWordsWithItsPlace()
    {
        var (code, _, error) = Publish("{\"telemetry\":\n  {\"intervalSeconds\": tru}}");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "not valid JSON at line 2, byte ");
        StringAssert.Contains(error, "\"intervalSeconds\": tru");
        foreach (var parserWords in new[] { "LineNumber", "BytePositionInLine", "Expected", "literal" })
        {
            Assert.IsFalse(error.Contains(parserWords, StringComparison.Ordinal), "the parser's own wording: " + error);
        }
    }

    [TestMethod]
    public void AProductThePlatformDoesNotHaveIsAFailedRunNamingIt()
    {
        var (code, _, error) = Publish("{\"telemetry\":{\"intervalSeconds\":30}}", "--product-key", "nosuch");
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "cota-host: the local platform refused: unknown product nosuch");
    }

    [TestMethod]
    public void AnEmptyConfigNeedsAllowEmpty()
    {
        var (code, _, error) = Publish("{}");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "names no module: every device resets every module to its defaults");
        StringAssert.Contains(error, "--allow-empty");

        var (allowed, output, allowedError) = Publish("{ }", "--allow-empty");
        Assert.AreEqual(0, allowed, allowedError);
        StringAssert.Contains(output, "published ");
    }

    [TestMethod]
    public void AByteOrderMarkIsDroppedAndSaid()
    {
        var text = "{\"telemetry\":{\"intervalSeconds\":31}}";
        var (code, output, error) = Publish(new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(text)).ToArray());
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "dropped the UTF-8 byte order mark");
        string configId = output.Split("as configId ")[1].Split(' ')[0];
        var config = _platform.Registry.FindConfig(configId)!;
        Assert.AreEqual(text.Length, config.Size, "the platform publishes the config without the mark");
        CollectionAssert.AreEqual(Encoding.UTF8.GetBytes(text), File.ReadAllBytes(Path.Combine(Data.Path, "configs", configId + ".bin")));
    }

    private static string ProductKey => _platform.Registry.Products[0].ProductKey;

    private static (int Code, string Out, string Err) Publish(string config, params string[] extra) =>
        Publish(Encoding.UTF8.GetBytes(config), extra);

    private static (int Code, string Out, string Err) Publish(byte[] config, params string[] extra)
    {
        string file = Path.Combine(Data.Path, "config-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllBytes(file, config);
        return CommandLineTests.Run(new[] { "publish", file, "--data", Data.Path }.Concat(extra).ToArray());
    }
}
