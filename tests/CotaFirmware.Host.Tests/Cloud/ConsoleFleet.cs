using CotaFirmware.Host.Cloud;
using CotaFirmware.HostTests.HostApp;

namespace CotaFirmware.HostTests.Cloud;

/// <summary>What the console's browser tests share: a local platform with its console, one product with a fleet of
/// virtual devices online, and headless Chromium on the live page.</summary>
internal sealed class ConsoleFleet : IAsyncDisposable
{
    private ConsoleFleet(LocalPlatform platform, string productKey, VirtualFleet fleet, ConsoleBrowser browser)
    {
        Platform = platform;
        ProductKey = productKey;
        Fleet = fleet;
        Browser = browser;
    }

    /// <summary>The platform (a test that restarts it puts the new one here, to be stopped at the end).</summary>
    public LocalPlatform Platform { get; set; }

    public string ProductKey { get; }

    public VirtualFleet Fleet { get; }

    public ConsoleBrowser Browser { get; }

    /// <summary>Starts the platform, provisions and starts the devices named <paramref name="names"/>, and opens the page once they are online.</summary>
    public static async Task<ConsoleFleet> StartAsync(PlatformSettings settings, IEnumerable<string> names)
    {
        var platform = await LocalPlatform.StartAsync(settings);
        var productKey = platform.Registry.AddProduct().ProductKey;
        var devices = names.Select(n => platform.Registry.AddDevice(productKey, n)).Select(d => (d.DeviceName, d.DeviceSecret!)).ToArray();
        var fleet = new VirtualFleet(platform.Host, platform.MqttTlsPort, platform.CaPem, productKey, devices);
        var console = new ConsoleFleet(platform, productKey, fleet, new ConsoleBrowser());
        await fleet.WaitOnlineAsync(TimeSpan.FromSeconds(60));
        console.Browser.OpenLive(platform.Console!.Address);
        return console;
    }

    public async ValueTask DisposeAsync()
    {
        Browser.Dispose();
        Fleet.Dispose();
        await Platform.DisposeAsync();
    }
}
