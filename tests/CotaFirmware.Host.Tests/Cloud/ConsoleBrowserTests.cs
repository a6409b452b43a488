using CotaFirmware.Host.Cloud;
using CotaFirmware.HostTests.HostApp;
using OpenQA.Selenium;

namespace CotaFirmware.HostTests.Cloud;

/// <summary>The web console in a real browser (headless Chromium) over a fleet of 20 virtual devices: publishing from
/// the page, watching the rollout converge, and a refused config showing its reasons.</summary>
[TestClass]
[DoNotParallelize]
public sealed class ConsoleBrowserTests
{
    private const int FleetSize = 20;
    private static ConsoleFleet _console = null!;
    private static LocalPlatform _platform = null!;
    private static ConsoleBrowser _browser = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _console = await ConsoleFleet.StartAsync(new PlatformSettings { Console = true }, Enumerable.Range(1, FleetSize).Select(i => "unit-" + i.ToString("00")));
        _platform = _console.Platform;
        _browser = _console.Browser;
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        if (_console != null)
        {
            await _console.DisposeAsync();
        }
    }

    [TestMethod]
    public void PublishingFromThePageRollsOutToTheWholeFleetAndThePagePlotsIt()
    {
        _browser.Until(() => _browser.FindAll("#devices tr").Count == FleetSize && _browser.Find("#card-online").Text == FleetSize + " / " + FleetSize,
            TimeSpan.FromSeconds(20), "20 devices listed online");

        var text = _browser.Find("#publish-text");
        text.Clear();
        text.SendKeys("{\"telemetry\": {\"intervalSeconds\": 45");
        _browser.Until(() => _browser.Find("#publish-check").GetAttribute("data-ok") == "no", TimeSpan.FromSeconds(5), "broken JSON flagged");
        Assert.IsFalse(_browser.Find("#publish-button").Enabled, "broken JSON cannot be published");
        StringAssert.Contains(_browser.Find("#publish-check").Text, "not valid JSON");

        text.SendKeys("}, \"statusLed\": {\"pattern\": \"blink\"}}");
        _browser.Until(() => _browser.Find("#publish-button").Enabled, TimeSpan.FromSeconds(5), "the publish button enabled");
        StringAssert.Contains(_browser.Find("#publish-check").Text, "telemetry, statusLed");
        Assert.AreEqual("Publish to 20 online devices", _browser.Find("#publish-button").Text);
        _browser.Find("#publish-button").Click();

        _browser.Until(() => _browser.Find("#publish-status").Text.StartsWith("published ", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "the publish answer");
        string status = _browser.Find("#publish-status").Text;
        StringAssert.Contains(status, "pushed to 20 online devices");
        string configId = status.Split(' ')[1];

        _browser.Until(() => Count("applied") == FleetSize, TimeSpan.FromSeconds(90), "all 20 applied in the rollout view");
        Assert.AreEqual(FleetSize, _browser.FindAll("#rollout-grid .cell[data-stage='applied']").Count);
        Assert.AreEqual(1, _browser.FindAll("#rollout-chart canvas").Count, "the chart is drawn");
        // Under the cursor the chart's legend gives each stage's count: none applied when published, all at the end.
        _browser.Until(() => _browser.ChartValueAt(1, "applied") == FleetSize.ToString(), TimeSpan.FromSeconds(10), "20 applied at the chart's end");
        Assert.AreEqual("0", _browser.ChartValueAt(1, "being sent"));
        Assert.AreEqual("0", _browser.ChartValueAt(0, "applied"));
        Assert.AreEqual(FleetSize.ToString(), _browser.ChartValueAt(0, "waiting"));
        _browser.Until(() => _browser.Find("#card-current").Text == "20 / 20", TimeSpan.FromSeconds(10), "every device on the current config");
        Assert.AreEqual(configId, _browser.Find("#card-config").Text);
        Assert.AreEqual(FleetSize, _browser.FindAll("#devices tr[data-status='current']").Count);
        foreach (var row in _browser.FindAll("#devices tr"))
        {
            StringAssert.Contains(row.Text, configId, "each device shows the config it holds");
        }

        var holders = _browser.FindAll("#configs li[data-config='" + configId + "'] .chip");
        Assert.AreEqual(14 + 1, holders.Count, "the config lists who holds it (14 names and +6)");
        AssertNoSecretOnThePage();
        KeepScreenshot("console-rollout.png");
    }

    [TestMethod]
    public void AConfigTheDevicesRejectShowsItsReasonsAndIsNoLongerOffered()
    {
        var text = _browser.Find("#publish-text");
        text.Clear();
        text.SendKeys("{\"telemetry\": {\"intervalSeconds\": 30}, \"fanSpeed\": {\"rpm\": 900}}");
        _browser.Until(() => _browser.Find("#publish-button").Enabled, TimeSpan.FromSeconds(5), "the publish button enabled");
        _browser.Find("#publish-button").Click();
        _browser.Until(() => _browser.Find("#publish-status").Text.StartsWith("published ", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "the publish answer");
        string configId = _browser.Find("#publish-status").Text.Split(' ')[1];

        _browser.Until(() => Count("rejected") == FleetSize, TimeSpan.FromSeconds(60), "all 20 rejected in the rollout view");
        // The page redraws on every update, so each check finds its element afresh until it holds.
        _browser.Until(() =>
        {
            var refusal = _browser.Find("#rollout-refusal");
            return refusal.Displayed && refusal.Text.Contains("no longer offered") && refusal.Text.Contains("fanSpeed: key_not_recognized");
        }, TimeSpan.FromSeconds(10), "the rollout view naming the refusal and its reason");
        _browser.Until(() => _browser.Find("#rollout-title [data-halt]").Text == "halts at the first refusal", TimeSpan.FromSeconds(10),
            "the rollout's threshold");
        _browser.Until(() =>
        {
            var entry = _browser.Find("#configs li[data-config='" + configId + "']");
            return entry.GetAttribute("data-refused") == "yes" && entry.Text.Contains("fanSpeed: key_not_recognized");
        }, TimeSpan.FromSeconds(10), "the config history marking " + configId + " refused, with its reason");
        _browser.Until(() => _browser.Find("#devices tr").Text.Contains("fanSpeed: key_not_recognized"), TimeSpan.FromSeconds(10),
            "the device table showing the reason");
        Assert.AreEqual(0, _browser.FindAll("#devices tr[data-status='rejected']").Count,
            "the state is the device's relation to the config it runs; the refusal is its last result");
        Assert.IsFalse(_browser.Find("#rollout-refusal").Text.Contains("reason=Rejected"), "no lone Rejected reason");
        _browser.Until(() => _browser.Find("#card-config").Text != configId, TimeSpan.FromSeconds(10), "a refused config is not the one offered");
        Assert.AreNotEqual(configId, _platform.Registry.CurrentConfig(_platform.Registry.Products[0].ProductKey)?.ConfigId);
        KeepScreenshot("console-rejected.png");
    }

    [TestMethod]
    public void WithTwoProductsAPickerChoosesWhichOneThePageShows()
    {
        var fleet = _platform.Registry.Products[0].ProductKey;
        var other = _platform.Registry.AddProduct();
        _platform.Registry.AddDevice(other.ProductKey, "lonely-1");
        _platform.History.Touch();
        _browser.Until(() => _browser.Find("#product").Displayed, TimeSpan.FromSeconds(10), "the product picker");

        _browser.Find("#product option[value='" + other.ProductKey + "']").Click();
        _browser.Until(() => _browser.FindAll("#devices tr").Count == 1, TimeSpan.FromSeconds(10), "only the other product's device");
        StringAssert.Contains(_browser.Find("#devices tr").Text, "lonely-1");
        Assert.AreEqual("0 / 1", _browser.Find("#card-online").Text);
        StringAssert.Contains(_browser.Find("#publish-product").Text, other.ProductKey);

        _browser.Find("#product option[value='" + fleet + "']").Click();
        _browser.Until(() => _browser.FindAll("#devices tr").Count == FleetSize, TimeSpan.FromSeconds(10), "the fleet's devices again");
    }

    [TestMethod]
    public void TheChartFillsItsBoxAfterTheWindowWasResizedWhileItWasHidden()
    {
        var fleet = _platform.Registry.Products[0].ProductKey;
        var plotted = _platform.Registry.AddProduct();
        _platform.Registry.AddDevice(plotted.ProductKey, "plotted-1");
        _platform.Cota.PublishConfig(plotted.ProductKey, "{\"telemetry\":{\"intervalSeconds\":30}}");
        var unpublished = _platform.Registry.AddProduct();
        _platform.History.Touch();
        _browser.Until(() => _browser.FindAll("#product option[value='" + unpublished.ProductKey + "']").Count == 1, TimeSpan.FromSeconds(10), "both new products in the picker");
        var window = _browser.Driver.Manage().Window;
        var size = window.Size;
        try
        {
            _browser.Find("#product option[value='" + plotted.ProductKey + "']").Click();
            _browser.Until(() => _browser.FindAll("#rollout-chart .u-wrap").Count == 1 && _browser.Find("#rollout-chart").Displayed, TimeSpan.FromSeconds(10), "the chart");
            _browser.Find("#product option[value='" + unpublished.ProductKey + "']").Click();
            _browser.Until(() => !_browser.Find("#rollout-chart").Displayed, TimeSpan.FromSeconds(10), "the chart hidden");

            // The page's own resize handler runs before this one, registered later.
            var script = (IJavaScriptExecutor)_browser.Driver;
            script.ExecuteScript("window.resizedForTest = false; window.addEventListener('resize', () => { window.resizedForTest = true; }, { once: true });");
            window.Size = new System.Drawing.Size(size.Width - 300, size.Height);
            _browser.Until(() => (bool)script.ExecuteScript("return window.resizedForTest;")!, TimeSpan.FromSeconds(10), "the resize event");

            _browser.Find("#product option[value='" + plotted.ProductKey + "']").Click();
            _browser.Until(() => _browser.Find("#rollout-chart").Displayed, TimeSpan.FromSeconds(10), "the chart again");
            long box = (long)script.ExecuteScript("return document.getElementById('rollout-chart').clientWidth;")!;
            Assert.IsTrue(box > 0, "the chart's box has a width");
            _browser.Until(() => _browser.Find("#rollout-chart .u-wrap").Size.Width == box, TimeSpan.FromSeconds(5), "the chart as wide as its box (" + box + " px)");
        }
        finally
        {
            window.Size = size;
            _browser.Find("#product option[value='" + fleet + "']").Click();
        }
    }

    private static int Count(string stage) => _browser.RolloutCount(stage);

    private void AssertNoSecretOnThePage()
    {
        string page = _browser.Driver.PageSource;
        foreach (var device in _platform.Registry.Devices)
        {
            Assert.IsFalse(page.Contains(device.DeviceSecret!, StringComparison.Ordinal), "a device secret is on the page");
        }

        Assert.IsFalse(page.Contains(_platform.Registry.Products[0].ProductSecret, StringComparison.Ordinal), "the product secret is on the page");
    }

    // Kept at a stable path under artifacts/ and attached to the test result.
    private void KeepScreenshot(string name)
    {
        var dir = AppContext.BaseDirectory;
        while (Path.GetFileName(dir.TrimEnd(Path.DirectorySeparatorChar)) != "artifacts" && Path.GetDirectoryName(dir.TrimEnd(Path.DirectorySeparatorChar)) is { } up)
        {
            dir = up;
        }

        var folder = Path.Combine(Path.GetFileName(dir.TrimEnd(Path.DirectorySeparatorChar)) == "artifacts" ? dir : Path.GetTempPath(), "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        ((ITakesScreenshot)_browser.Driver).GetScreenshot().SaveAsFile(path);
        TestContext.AddResultFile(path);
        TestContext.WriteLine("screenshot: " + path);
        Console.WriteLine("screenshot: " + path);
    }
}
