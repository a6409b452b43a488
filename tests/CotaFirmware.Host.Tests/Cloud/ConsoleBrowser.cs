using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;

namespace CotaFirmware.HostTests.Cloud;

/// <summary>Headless Debian Chromium driven through the Debian chromedriver, with a fresh profile and nothing that
/// reaches outside this machine.</summary>
internal sealed class ConsoleBrowser : IDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private readonly TempFolder _profile = new("cota-chromium");

    public ConsoleBrowser()
    {
        if (!File.Exists(Chromium) || !File.Exists(DriverPath))
        {
            throw new InvalidOperationException("the console tests need Debian's chromium and chromium-driver (" + Chromium + ", "
                + DriverPath + "): apt-get install chromium chromium-driver (.ci/run installs them)");
        }

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--window-size=1360,1500", "--user-data-dir=" + _profile.Path);
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public IWebDriver Driver { get; }

    public IWebElement Find(string css) => Driver.FindElement(By.CssSelector(css));

    public IReadOnlyList<IWebElement> FindAll(string css) => Driver.FindElements(By.CssSelector(css));

    /// <summary>Opens the console at <paramref name="address"/> and waits for its live stream.</summary>
    public void OpenLive(string address)
    {
        Driver.Navigate().GoToUrl(address);
        Until(() => Find("#live").GetAttribute("data-state") == "live", TimeSpan.FromSeconds(20), "the live stream");
    }

    /// <summary>Clicks <paramref name="css"/>, finding it afresh while the page redraws under it.</summary>
    public void Click(string css) => Until(() =>
    {
        Find(css).Click();
        return true;
    }, TimeSpan.FromSeconds(10), "clicking " + css);

    /// <summary>Points at the rollout chart, <paramref name="across"/> of the way from its start (0) to its end (1), and
    /// reads what the chart's legend gives for the stage labelled <paramref name="label"/> there.</summary>
    public string ChartValueAt(double across, string label)
    {
        var plot = Find("#rollout-chart .u-over");
        new Actions(Driver).MoveToElement(plot, (int)((across - 0.5) * (plot.Size.Width - 4)), 0).Perform();
        return FindAll("#rollout-chart .u-legend tr.u-series").Single(r => r.FindElement(By.CssSelector(".u-label")).Text == label)
            .FindElement(By.CssSelector(".u-value")).Text;
    }

    /// <summary>How many devices the rollout legend counts in <paramref name="stage"/> (-1 while it is not shown).</summary>
    public int RolloutCount(string stage)
    {
        var counts = FindAll("#rollout-counts [data-stage='" + stage + "'] .count");
        return counts.Count == 1 && int.TryParse(counts[0].Text, out int n) ? n : -1;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing with <paramref name="what"/> and the page's visible text.</summary>
    public void Until(Func<bool> condition, TimeSpan timeout, string what)
    {
        var wait = new WebDriverWait(Driver, timeout) { PollingInterval = TimeSpan.FromMilliseconds(100) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            wait.Until(_ => condition());
        }
        catch (WebDriverTimeoutException)
        {
            string text;
            try
            {
                text = Driver.FindElement(By.TagName("body")).Text;
            }
            catch (WebDriverException e)
            {
                text = e.Message;
            }

            throw new TimeoutException("timed out after " + timeout.TotalSeconds + " s waiting for " + what + "; the page shows:\n" + text);
        }
    }

    public void Dispose()
    {
        Driver.Quit();
        try
        {
            _profile.Dispose();
        }
        catch (IOException)
        {
        }
    }
}
