namespace CotaFirmware.HostTests.Gate;

/// <summary>
/// The device benchmarks' application as Visual Studio and the benchmark command read it. That it compiles against
/// the real libraries and converts, in Debug and Release, is checked with every other device assembly
/// (<see cref="DeviceBuildTests"/>); nothing here times anything.
/// </summary>
[TestClass]
public sealed class DeviceBenchmarkProjectTests
{
    private static string Nfproj => Repo.Path("tests", "CotaFirmware.DeviceBenchmarks", "Device", "CotaFirmware.DeviceBenchmarks.Device.nfproj");

    [TestMethod]
    public void NfprojListsExactlyTheFilesOfItsFolder()
    {
        var problems = CompileList.Compare(Nfproj);
        Assert.AreEqual(0, problems.Count, string.Join("\n", problems));
    }

    [TestMethod]
    public void IsAnApplicationOverEveryCoreLayerThatTheSolutionBuilds()
    {
        var project = NfProject.Load(Nfproj);
        Assert.IsTrue(project.IsExe);
        Assert.IsFalse(project.IsTest);
        CollectionAssert.AreEqual(Esp32AppTests.CoreLayerProjects(), project.ProjectReferences.ToList());
        Assert.IsTrue(NfProject.InSolution().Any(p => p.Path == project.Path), "CotaFirmware.sln should hold " + Nfproj);
        Assert.IsTrue(project.Sources.All(File.Exists), "a linked source is missing: " + string.Join(", ", project.Sources.Where(s => !File.Exists(s))));
    }
}
