using System.Reflection;

namespace CotaFirmware.HostTests.Gate;

/// <summary>
/// Every device assembly of the solution compiles with its project's settings against the real device libraries,
/// passes the gate, and converts with nanoFramework's MetadataProcessor, in Debug and in Release: one result per
/// assembly and configuration.
/// </summary>
[TestClass]
public sealed class DeviceBuildTests
{
    public static IEnumerable<object[]> Assemblies() => NanoPipeline.Rows((build, _) =>
        build.Assemblies.Select(a => a.Name).Concat(build.Problems.Count > 0 ? new[] { "(solution)" } : Array.Empty<string>()));

    public static string Name(MethodInfo method, object[] row) => "device build " + row[0] + ": " + row[1];

    [TestMethod(UnfoldingStrategy = TestDataSourceUnfoldingStrategy.Fold)]
    [DynamicData(nameof(Assemblies), DynamicDataDisplayName = nameof(Name))]
    public void CompilesPassesTheGateAndConverts(string configuration, string assembly)
    {
        NanoToolsGuard.Require();
        var build = NanoPipeline.Result.Results[configuration].Build;
        if (assembly == "(solution)")
        {
            Assert.Fail(string.Join("\n", build.Problems));
        }

        var built = build.Find(assembly)!;
        Assert.AreEqual(0, built.Problems.Count, assembly + " (" + configuration + "):\n" + string.Join("\n", built.Problems));
        Assert.IsNotNull(built.Tables, assembly + " did not convert");
    }

    [TestMethod]
    public void TheSolutionHasTheCoreTheAppAndTestProjects()
    {
        var projects = NfProject.InSolution();
        Assert.IsTrue(projects.Any(p => p.IsCore), "no core project in CotaFirmware.sln");
        Assert.IsTrue(projects.Any(p => p.IsExe), "no application project in CotaFirmware.sln");
        Assert.IsTrue(projects.Any(p => p.IsTest), "no device test project in CotaFirmware.sln");
    }

    [TestMethod]
    public void ProjectSettingsAreReadPerConfiguration()
    {
        var app = NfProject.InSolution().Single(p => p.AssemblyName == "CotaFirmware.Esp32");
        var debug = CompileOptions.For(app, "Debug");
        var release = CompileOptions.For(app, "Release");
        Assert.IsFalse(debug.Optimize);
        Assert.IsTrue(release.Optimize);
        StringAssert.Contains(debug.Defines, "DEBUG");
        Assert.IsFalse(release.Defines.Contains("DEBUG", StringComparison.Ordinal));
        StringAssert.Contains(release.Defines, CompileOptions.DeviceSymbol);
        Assert.AreEqual(app.Evaluate("Release")["LangVersion"], release.LangVersion);
        Assert.IsTrue(debug.Exe);
    }

    [TestMethod]
    public void TableSizesAreReadFromTheAssemblyHeader()
    {
        NanoToolsGuard.Require();
        // mscorlib.pe is the MetadataProcessor's own output for the device's mscorlib: its tables must add up to the file.
        int[] sizes = PeTables.Read(NanoTools.MscorlibPe);
        long length = new FileInfo(NanoTools.MscorlibPe).Length;
        Assert.IsTrue(sizes.All(s => s >= 0 && s <= PeTables.Limit), string.Join(", ", sizes));
        Assert.IsTrue(sizes.Sum() > length * 9 / 10 && sizes.Sum() < length, sizes.Sum() + " of " + length);
    }
}
