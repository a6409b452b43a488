namespace CotaFirmware.HostTests.Gate;

/// <summary>
/// The device test projects (tests/CotaFirmware.Device.Tests/*): what Visual Studio's test adapter needs, and that
/// together they compile every file of tests/CotaFirmware.Core.Tests, each test file exactly once, and every double of
/// tests/CotaFirmware.TestDoubles (so the doubles stay in the subset nanoFramework compiles).
/// </summary>
[TestClass]
public sealed class DeviceTestProjectTests
{
    private static string CoreTests => Repo.Path("tests", "CotaFirmware.Core.Tests");

    private static string TestDoubles => Repo.Path("tests", "CotaFirmware.TestDoubles");

    private static List<NfProject> TestProjects() => NfProject.InSolution().Where(p => p.IsTest).ToList();

    [TestMethod]
    public void EveryDeviceTestProjectIsATestContainerWithRunSettingsAndPinnedPackages()
    {
        var projects = TestProjects();
        Assert.IsTrue(projects.Count > 0, "CotaFirmware.sln holds no device test project");
        foreach (var project in projects)
        {
            var p = project.Evaluate("Debug");
            Assert.AreEqual("UnitTest", p.GetValueOrDefault("TestProjectType"), project.Path);
            Assert.IsTrue(project.Document.Descendants().Any(e => e.Name.LocalName == "ProjectCapability" && (string?)e.Attribute("Include") == "TestContainer"), project.Path);
            string runSettings = p.GetValueOrDefault("RunSettingsFilePath") ?? "";
            Assert.IsTrue(File.Exists(runSettings.Replace('\\', '/')), project.Path + ": RunSettingsFilePath " + runSettings);
            Assert.IsTrue(project.References.Any(r => r.Name == "nanoFramework.TestFramework"), project.Path + " does not reference nanoFramework.TestFramework");
            CollectionAssert.AreEqual(Esp32AppTests.CoreLayerProjects(), project.ProjectReferences.ToList(), project.Path + " should reference every core layer, bottom to top");
            PackagePins.Check(project);
            Assert.AreEqual("", string.Join("\n", CompileList.Compare(project.Path)));
        }
    }

    [TestMethod]
    public void LinkedFilesExistAndShowUnderTheirOwnPath()
    {
        foreach (var project in TestProjects())
        {
            foreach (var item in project.Document.Descendants().Where(e => e.Name.LocalName == "Compile"))
            {
                string include = (string)item.Attribute("Include")!;
                if (!include.StartsWith(@"..\", StringComparison.Ordinal))
                {
                    continue;
                }

                string full = Path.GetFullPath(Path.Combine(project.Folder, include.Replace('\\', '/')));
                Assert.IsTrue(File.Exists(full), project.Path + " links " + include + ", which does not exist");
                string? link = item.Elements().FirstOrDefault(c => c.Name.LocalName == "Link")?.Value;
                Assert.IsNotNull(link, project.Path + ": " + include + " has no Link name");
            }
        }
    }

    [TestMethod]
    public void EveryFileOfTheCoreTestsAndTheDoublesIsCompiledIntoADeviceTestProject()
    {
        var compiled = TestProjects().SelectMany(p => p.Sources).ToHashSet();
        var missing = new[] { CoreTests, TestDoubles }
            .SelectMany(folder => CompileList.Present(folder).Select(p => Path.GetFullPath(Path.Combine(folder, p))))
            .Where(f => !compiled.Contains(f)).ToList();
        Assert.AreEqual(0, missing.Count, "left out of the device test projects, so never run on nanoCLR:\n" + string.Join("\n", missing));
    }

    [TestMethod]
    public void EachTestClassFileIsInExactlyOneDeviceTestProject()
    {
        var testFiles = CompileList.Present(CoreTests).Select(p => Path.GetFullPath(Path.Combine(CoreTests, p)))
            .Where(f => File.ReadAllText(f).Contains("[TestClass]", StringComparison.Ordinal)).ToList();
        var projects = TestProjects();
        foreach (string file in testFiles)
        {
            var owners = projects.Where(p => p.Sources.Contains(file)).Select(p => p.AssemblyName).ToList();
            Assert.AreEqual(1, owners.Count, file + " is compiled into " + (owners.Count == 0 ? "no device test project" : string.Join(", ", owners)) + "; its tests must run once");
        }
    }
}
