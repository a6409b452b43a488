using System.Net;
using System.Net.NetworkInformation;
using CotaFirmware.Host.Cloud;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace CotaFirmware.HostTests.Cloud;

/// <summary>Starting and stopping the whole platform.</summary>
[TestClass]
public sealed class LocalPlatformTests
{
    [TestMethod]
    public async Task ListensOnLoopbackOnlyAndFreesItsPortsOnStop()
    {
        var platform = await LocalPlatform.StartAsync();
        var ports = new[] { platform.MqttPort, platform.MqttTlsPort, platform.HttpsPort };
        Assert.AreEqual(3, ports.Distinct().Count());
        var listeners = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners()
            .Where(e => ports.Contains(e.Port)).ToList();
        Assert.AreEqual(3, listeners.Count);
        Assert.IsTrue(listeners.All(e => IPAddress.IsLoopback(e.Address)), string.Join(", ", listeners));

        var folder = platform.DataFolder;
        await platform.StopAsync();
        Assert.IsFalse(IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Any(e => ports.Contains(e.Port)));
        Assert.IsFalse(Directory.Exists(folder));
    }

    [TestMethod]
    public async Task StopCutsAHangingDownload()
    {
        var platform = await LocalPlatform.StartAsync();
        var product = platform.Registry.AddProduct();
        var config = platform.Cota.PublishConfig(product.ProductKey, "{}");
        platform.Files.InjectFault(FileFault.Hang());
        using var http = new HttpClient(platform.Certificates.CreateTrustingHandler()) { Timeout = TimeSpan.FromSeconds(30) };
        var download = http.GetAsync(platform.Cota.DownloadUrl(config));
        // Whether the request is hanging yet or not, the client must see a failure, not its timeout.
        await Task.Delay(200);
        await platform.StopAsync();
        await Assert.ThrowsExactlyAsync<HttpRequestException>(() => download);
    }
}
