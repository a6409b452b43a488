using System.Text;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Files;
using CotaFirmware.Host.Cloud;
using CotaFirmware.HostTests.HostApp;
using OpenQA.Selenium;

namespace CotaFirmware.HostTests.Cloud;

/// <summary>The web console in headless Chromium shows only what is so: a platform restart under a converged fleet
/// leaves the rollout converged, a device that dies mid-download is shown with the bytes the server sent (labelled
/// so), and the page refuses or asks before what devices cannot take or what resets them.</summary>
[TestClass]
[DoNotParallelize]
public sealed class ConsoleTruthBrowserTests
{
    private const int FleetSize = 8;
    private static readonly TempFolder Data = new("cota-console-truth");
    private static ConsoleFleet _console = null!;
    private static LocalPlatform _platform = null!;
    private static ConsoleBrowser _browser = null!;
    private static string _productKey = "";

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _console = await ConsoleFleet.StartAsync(new PlatformSettings { DataFolder = Data.Path, Console = true }, Enumerable.Range(1, FleetSize).Select(i => "unit-" + i));
        _platform = _console.Platform;
        _browser = _console.Browser;
        _productKey = _console.ProductKey;
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        if (_console != null)
        {
            await _console.DisposeAsync();
        }
        Data.Dispose();
    }

    [TestMethod]
    public async Task APlatformRestartUnderAConvergedFleetLeavesTheRolloutConverged()
    {
        var config = _platform.Cota.PublishConfig(_productKey, "{\"telemetry\":{\"intervalSeconds\":" + (20 + Random.Shared.Next(100)) + "}}");
        await _platform.Cota.PushAsync(_productKey, config.ConfigId);
        ShowRollout(config.ConfigId);
        _browser.Until(() => Count("applied") == FleetSize && ChartApplied() == FleetSize, TimeSpan.FromSeconds(90), "the fleet applied in the chart");

        await _platform.DisposeAsync();
        _platform = _console.Platform = await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = Data.Path, Console = true });
        await _console.Fleet.WaitOnlineAsync(TimeSpan.FromSeconds(60));
        // Every device asks for its config again on reconnecting: that is the offer again the rollout must not count.
        await WaitAsync(() => _platform.History.EventsOf(config.ConfigId).Count(e => e.Stage == RolloutStage.Offered) >= FleetSize,
            "the reconnected devices' offers");
        _browser.Until(() => _browser.Find("#live").GetAttribute("data-state") == "live" && _browser.FindAll("#devices tr .dot-online.yes").Count == FleetSize,
            TimeSpan.FromSeconds(30), "the page live again with every device online");

        ShowRollout(config.ConfigId);
        Assert.AreEqual(FleetSize, Count("applied"), "the legend");
        Assert.AreEqual(FleetSize, ChartApplied(), "the chart's last step");
        Assert.AreEqual(FleetSize, _browser.FindAll("#rollout-grid .cell[data-stage='applied']").Count);
        Assert.AreEqual(FleetSize, _browser.FindAll("#devices tr[data-status='current']").Count);
    }

    [TestMethod]
    public async Task ADeviceKilledMidDownloadShowsTheBytesTheServerSentLabelledSo()
    {
        var device = _platform.Registry.AddDevice(_productKey, "doomed");
        var lone = new VirtualFleet(_platform.Host, _platform.MqttTlsPort, _platform.CaPem, _productKey,
            new[] { (device.DeviceName, device.DeviceSecret!) }, jitterMs: 0);
        ConfigFile config;
        try
        {
            await lone.WaitOnlineAsync(TimeSpan.FromSeconds(30));
            var big = "{\"telemetry\":{\"intervalSeconds\":30},\"pad\":\"" + new string('x', 1_040_000) + "\"}";
            config = _platform.Cota.PublishConfig(_productKey, big);
            // The server stops after 303,232 bytes of every response: the device stays mid-download until it dies.
            _platform.Files.InjectFault(FileFault.ResetAfter(303_232), config.ConfigId);
            await _platform.Cota.PushToDeviceAsync(_productKey, device.DeviceName, config.ConfigId);
            await WaitAsync(() => _platform.History.Download(_productKey, device.DeviceName) is { Stage: RolloutStage.Downloading, Received: >= 303_232 },
                "the download under way");
        }
        finally
        {
            lone.Dispose();
        }
        _platform.Files.ClearFaults();

        ShowRollout(config.ConfigId);
        var served = _platform.History.Download(_productKey, device.DeviceName)!.Received;
        int percent = (int)Math.Round(100.0 * served / config.Size);
        _browser.Until(() => _browser.Find("#devices tr[data-device='doomed']").Text.Contains(percent + "% sent"), TimeSpan.FromSeconds(20),
            "the device row with the share the server sent");
        var row = _browser.Find("#devices tr[data-device='doomed']");
        Assert.AreEqual("downloading", row.GetAttribute("data-status"));
        StringAssert.Contains(_browser.Find("#rollout-grid .cell[data-device='doomed']").GetAttribute("title"), "bytes the server sent");
        Assert.IsFalse(_browser.Find("body").Text.Contains("received", StringComparison.OrdinalIgnoreCase), "nothing claims what the device received");
        Assert.IsTrue(percent < 100, "the test stopped it mid-download: " + served + " of " + config.Size);
    }

    [TestMethod]
    public void ThePageRefusesWhatDevicesCannotTakeAndDropsAByteOrderMark()
    {
        SetText("{\"telemetry\":{\"intervalSeconds\":30},\"pad\":\"" + new string('x', 1_048_600) + "\"}");
        _browser.Until(() => _browser.Find("#publish-check").GetAttribute("data-ok") == "no", TimeSpan.FromSeconds(10), "the size refused");
        StringAssert.Contains(_browser.Find("#publish-check").Text, "devices take at most 1,048,576 bytes");
        Assert.IsFalse(_browser.Find("#publish-button").Enabled);

        SetText("{\"telemetry\":{\"intervalSeconds\":30,\"intervalSeconds\":40}}");
        _browser.Until(() => _browser.Find("#publish-check").Text.Contains("duplicate_key: telemetry.intervalSeconds appears twice"),
            TimeSpan.FromSeconds(5), "the duplicate key named");
        Assert.IsFalse(_browser.Find("#publish-button").Enabled);

        SetText("\uFEFF{\"telemetry\":{\"intervalSeconds\":30}}");
        _browser.Until(() => _browser.Find("#publish-button").Enabled, TimeSpan.FromSeconds(5), "a config with a byte order mark accepted");
        StringAssert.Contains(_browser.Find("#publish-check").Text, "valid JSON");
    }

    [TestMethod]
    public void AnEmptyConfigAndPublishingAgainAskFirst()
    {
        int published = _platform.Registry.Configs.Count;
        SetText("{}");
        _browser.Until(() => _browser.Find("#publish-button").Enabled, TimeSpan.FromSeconds(5), "the publish button");
        StringAssert.Contains(_browser.Find("#publish-check").Text, "every device resets every module to its defaults");
        _browser.Click("#publish-button");
        var question = _browser.Driver.SwitchTo().Alert();
        StringAssert.Contains(question.Text, "names no module");
        question.Dismiss();
        Assert.AreEqual(published, _platform.Registry.Configs.Count, "nothing published without a yes");

        var older = _platform.Cota.PublishConfig(_productKey, "{\"statusLed\":{\"pattern\":\"blink\"}}");
        _platform.Cota.PublishConfig(_productKey, "{\"statusLed\":{\"pattern\":\"heartbeat\"}}");
        var offeredAt = _platform.Registry.FindConfig(older.ConfigId)!.OfferedAt;
        _browser.Until(() => _browser.FindAll("#configs button[data-republish='" + older.ConfigId + "']").Count == 1, TimeSpan.FromSeconds(10), "roll back offered");
        _browser.Click("#configs button[data-republish='" + older.ConfigId + "']");
        question = _browser.Driver.SwitchTo().Alert();
        StringAssert.Contains(question.Text, "Roll back to " + older.ConfigId);
        question.Dismiss();
        Assert.AreEqual(offeredAt, _platform.Registry.FindConfig(older.ConfigId)!.OfferedAt, "not published again without a yes");

        _browser.Click("#configs button[data-republish='" + older.ConfigId + "']");
        _browser.Driver.SwitchTo().Alert().Accept();
        _browser.Until(() => _browser.Find("#publish-status").Text.Contains("published " + older.ConfigId + " again"), TimeSpan.FromSeconds(10), "the roll back");
        Assert.AreEqual(older.ConfigId, _platform.Registry.CurrentConfig(_productKey)!.ConfigId);
    }

    private static void SetText(string text)
    {
        // Typing a megabyte is slow: set the value and raise the input event the page listens to.
        ((IJavaScriptExecutor)_browser.Driver).ExecuteScript(
            "const t = document.getElementById('publish-text'); t.value = arguments[0]; t.dispatchEvent(new Event('input'));", text);
    }

    private static void ShowRollout(string configId)
    {
        string tab = "#rollout-tabs button[data-config='" + configId + "']";
        bool Selected() => _browser.Find(tab).GetAttribute("class")?.Contains("selected") == true;
        _browser.Until(() =>
        {
            if (!Selected())
            {
                _browser.Find(tab).Click();
            }
            return Selected();
        }, TimeSpan.FromSeconds(10), "the rollout of " + configId);
    }

    private static int Count(string stage) => _browser.RolloutCount(stage);

    // The applied count of the chart's last step, as the page computes it from the transitions it plots.
    private static long ChartApplied() =>
        Convert.ToInt64(((IJavaScriptExecutor)_browser.Driver).ExecuteScript("const s = series(selectedRollout(view)); return s[s.length - 1].counts.applied;"));

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }
            await Task.Delay(50);
        }
    }
}
