using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace CotaFirmware.HostTests.Gate;

/// <summary>
/// The ESP32 application and the device test project cannot be built here (no nanoFramework project system), so
/// these check what a Visual Studio build would: the app's sources against mscorlib, the device API stubs and the
/// core; its compile list; its references against its packages.config; and the test project's links.
/// </summary>
[TestClass]
public sealed class Esp32AppTests
{
    static string _buildDir = "";
    static List<string> _buildFindings = new();

    static string AppFolder => Repo.Path("firmware", "CotaFirmware.Esp32");
    static string AppProject => Path.Combine(AppFolder, "CotaFirmware.Esp32.nfproj");
    static string DeviceTestsFolder => Repo.Path("tests", "CotaFirmware.Device.Tests");
    static string DeviceTestsProject => Path.Combine(DeviceTestsFolder, "CotaFirmware.Device.Tests.nfproj");

    /// <summary>The nanoFramework packages and versions established for the mscorlib 1.17.11 line (README).</summary>
    static readonly Dictionary<string, string> Established = new()
    {
        ["nanoFramework.CoreLibrary"] = "1.17.11",
        ["nanoFramework.System.Device.Wifi"] = "1.5.144",
        ["nanoFramework.System.Net"] = "1.11.60",
        ["nanoFramework.System.Net.Http.Client"] = "1.5.207",
        ["nanoFramework.System.IO.FileSystem"] = "1.1.87",
        ["nanoFramework.System.IO.Streams"] = "1.1.96",
        ["nanoFramework.System.Threading"] = "1.1.52",
        ["nanoFramework.System.Text"] = "1.3.42",
        ["nanoFramework.Runtime.Events"] = "1.11.39",
        ["nanoFramework.Runtime.Native"] = "1.7.11",
        ["nanoFramework.System.Collections"] = "1.5.67",
        ["nanoFramework.System.Device.Gpio"] = "1.1.57",
        ["nanoFramework.M2Mqtt"] = "5.1.215",
        ["nanoFramework.M2Mqtt.Core"] = "5.1.215",
        ["nanoFramework.Networking.Sntp"] = "1.6.42",
        ["nanoFramework.TestFramework"] = "3.0.80",
    };

    [ClassInitialize]
    public static void BuildStubs(TestContext context)
    {
        _buildDir = Path.Combine(Path.GetTempPath(), "esp32-app-" + Guid.NewGuid().ToString("N"));
        _buildFindings = DeviceApi.Build(_buildDir);
    }

    [ClassCleanup]
    public static void RemoveBuild()
    {
        if (Directory.Exists(_buildDir))
        {
            Directory.Delete(_buildDir, recursive: true);
        }
    }

    [TestMethod]
    public void AppSourcesCompileAgainstMscorlibTheStubsAndTheCore()
    {
        Assert.AreEqual(0, _buildFindings.Count, string.Join("\n", _buildFindings));
        var sources = CompileList.Present(AppFolder).Select(p => Path.Combine(AppFolder, p)).ToList();
        Assert.IsTrue(sources.Any(s => s.EndsWith("Program.cs", StringComparison.Ordinal)));
        var findings = DeviceApi.CheckDeviceSources(_buildDir, sources,
            DeviceApi.Assemblies.Select(a => a.Name).Where(n => n != "nanoFramework.TestFramework"), "CotaFirmware.Esp32");
        Assert.AreEqual(0, findings.Count, "the ESP32 app calls what the device lacks:\n" + string.Join("\n", findings));
    }

    [TestMethod]
    public void AppNfprojListsExactlyTheFilesOfItsFolder()
    {
        var problems = CompileList.Compare(AppProject);
        Assert.AreEqual(0, problems.Count, string.Join("\n", problems));
    }

    [TestMethod]
    public void AppIsAnExecutableThatReferencesTheCoreProject()
    {
        var doc = XDocument.Load(AppProject);
        Assert.AreEqual("Exe", Value(doc, "OutputType"));
        StringAssert.Contains(Value(doc, "ProjectTypeGuids"), "{11A8DD76-328B-46DF-9F39-F559912D0360}");
        var projectRefs = Items(doc, "ProjectReference").Select(e => (string)e.Attribute("Include")!).ToList();
        CollectionAssert.AreEqual(CoreLayer.Order.Select(l => @"..\CotaFirmware.Core\" + l + @"\CotaFirmware." + l + ".Device.nfproj").ToList(), projectRefs);
        Assert.IsTrue(projectRefs.All(r => File.Exists(Path.Combine(AppFolder, r.Replace('\\', '/')))));
    }

    [TestMethod]
    public void AppHintPathsMatchItsPackagesConfigAtTheEstablishedVersions() => CheckPackages(AppProject);

    [TestMethod]
    public void AppReferencesAPackageForEveryStubAssemblyItUses()
    {
        // Each stub folder is a real assembly name; the app's sources name its namespaces, so each used one must be referenced.
        var referenced = Items(XDocument.Load(AppProject), "Reference").Select(e => ((string)e.Attribute("Include")!).Split(',')[0]).ToHashSet();
        foreach (string assembly in new[] { "System.Device.Gpio", "System.Device.Wifi", "System.IO.FileSystem", "System.IO.Streams", "System.Net",
            "System.Net.Http", "System.Threading", "nanoFramework.M2Mqtt", "nanoFramework.M2Mqtt.Core", "nanoFramework.Networking.Sntp", "nanoFramework.Runtime.Native" })
        {
            Assert.IsTrue(referenced.Contains(assembly), "CotaFirmware.Esp32.nfproj does not reference " + assembly);
        }
    }

    [TestMethod]
    public void DeviceTestsProjectIsATestContainerWithItsRunSettings()
    {
        var doc = XDocument.Load(DeviceTestsProject);
        Assert.AreEqual("true", Value(doc, "IsTestProject"));
        Assert.AreEqual("UnitTest", Value(doc, "TestProjectType"));
        Assert.IsTrue(Items(doc, "ProjectCapability").Any(e => (string?)e.Attribute("Include") == "TestContainer"));
        Assert.IsTrue(File.Exists(Path.Combine(DeviceTestsFolder, "nano.runsettings")));
        Assert.IsTrue(Items(doc, "None").Any(e => (string?)e.Attribute("Include") == "nano.runsettings"));
        var projectRefs = Items(doc, "ProjectReference").Select(e => (string)e.Attribute("Include")!).ToList();
        CollectionAssert.AreEqual(CoreLayer.Order.Select(l => @"..\..\firmware\CotaFirmware.Core\" + l + @"\CotaFirmware." + l + ".Device.nfproj").ToList(), projectRefs);
        CheckPackages(DeviceTestsProject);
        Assert.AreEqual(0, CompileList.Compare(DeviceTestsProject).Count, string.Join("\n", CompileList.Compare(DeviceTestsProject)));
    }

    [TestMethod]
    public void DeviceTestsProjectLinksEveryCoreUnitTestFile()
    {
        string coreTests = Repo.Path("tests", "CotaFirmware.Core.Tests");
        var expected = CompileList.Present(coreTests).Select(p => @"..\CotaFirmware.Core.Tests\" + p.Replace('/', '\\')).ToHashSet();
        var linked = Items(XDocument.Load(DeviceTestsProject), "Compile")
            .Select(e => (string)e.Attribute("Include")!).Where(p => p.StartsWith(@"..\", StringComparison.Ordinal)).ToHashSet();
        Assert.IsTrue(expected.Count > 0);
        Assert.AreEqual("", string.Join(", ", expected.Except(linked).Order()), "CotaFirmware.Device.Tests.nfproj does not link these");
        Assert.AreEqual("", string.Join(", ", linked.Except(expected).Order()), "CotaFirmware.Device.Tests.nfproj links files that do not exist");
        foreach (var link in Items(XDocument.Load(DeviceTestsProject), "Compile").Where(e => ((string)e.Attribute("Include")!).StartsWith(@"..\", StringComparison.Ordinal)))
        {
            string? shown = link.Elements().FirstOrDefault(c => c.Name.LocalName == "Link")?.Value;
            Assert.IsNotNull(shown, (string)link.Attribute("Include")! + " has no Link name");
        }
    }

    static string Value(XDocument doc, string name) =>
        doc.Descendants().First(e => e.Name.LocalName == name).Value;

    static IEnumerable<XElement> Items(XDocument doc, string name) =>
        doc.Descendants().Where(e => e.Name.LocalName == name);

    // Every HintPath is ..\..\packages\<id>.<version>\lib\<asm>.dll for a package of packages.config, and every
    // package there is at its established version.
    static void CheckPackages(string project)
    {
        string config = Path.Combine(Path.GetDirectoryName(project)!, "packages.config");
        var packages = XDocument.Load(config).Descendants("package")
            .ToDictionary(p => (string)p.Attribute("id")!, p => (string)p.Attribute("version")!);
        foreach (var (id, version) in packages)
        {
            Assert.IsTrue(Established.TryGetValue(id, out string? established), config + ": " + id + " has no established version");
            Assert.AreEqual(established, version, config + ": " + id);
        }

        var hintPaths = Items(XDocument.Load(project), "HintPath").Select(h => h.Value).ToList();
        Assert.IsTrue(hintPaths.Count > 0);
        foreach (string hint in hintPaths)
        {
            var m = Regex.Match(hint, @"^\.\.\\\.\.\\packages\\(.+?)\.(\d+\.\d+\.\d+)\\lib\\[^\\]+\.(?:dll|exe)$");
            Assert.IsTrue(m.Success, project + ": unexpected HintPath " + hint);
            Assert.IsTrue(packages.TryGetValue(m.Groups[1].Value, out string? v) && v == m.Groups[2].Value,
                project + ": " + hint + " is not a package of packages.config");
        }
    }
}
