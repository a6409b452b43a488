namespace CotaFirmware.HostTests.Gate;

/// <summary>
/// The ESP32 application's project, as a Visual Studio build reads it: its compile list, its references against its
/// packages.config, and its place above the core. Its sources are compiled against the real libraries and converted
/// by the device build (<see cref="DeviceBuildTests"/>).
/// </summary>
[TestClass]
public sealed class Esp32AppTests
{
    private static NfProject App => NfProject.Load(Repo.Path("firmware", "CotaFirmware.Esp32", "CotaFirmware.Esp32.nfproj"));

    /// <summary>Every core layer's device project, bottom to top: a legacy .nfproj does not pass references on, so a project above the core names them all.</summary>
    public static List<string> CoreLayerProjects() =>
        CoreLayer.Order.Select(l => Path.GetFullPath(Path.Combine(Repo.CoreFolder, l, "CotaFirmware." + l + ".Device.nfproj"))).ToList();

    [TestMethod]
    public void AppNfprojListsExactlyTheFilesOfItsFolder()
    {
        var problems = CompileList.Compare(App.Path);
        Assert.AreEqual(0, problems.Count, string.Join("\n", problems));
    }

    [TestMethod]
    public void AppIsAnExecutableOverEveryCoreLayer()
    {
        var app = App;
        Assert.IsTrue(app.IsExe);
        StringAssert.Contains(app.Document.Descendants().First(e => e.Name.LocalName == "ProjectTypeGuids").Value, "{11A8DD76-328B-46DF-9F39-F559912D0360}");
        CollectionAssert.AreEqual(CoreLayerProjects(), app.ProjectReferences.ToList());
        Assert.IsTrue(app.ProjectReferences.All(File.Exists));
    }

    [TestMethod]
    public void AppHintPathsMatchItsPackagesConfigAtTheEstablishedVersions() => PackagePins.Check(App);
}
