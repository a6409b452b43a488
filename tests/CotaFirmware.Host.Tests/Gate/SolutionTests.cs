using System.Text.Json;
using System.Text.RegularExpressions;

namespace CotaFirmware.HostTests.Gate;

/// <summary>Visual Studio opens CotaFirmware.sln with every project; Linux builds the SDK-style ones through CotaFirmware.Host.slnf.</summary>
[TestClass]
public sealed class SolutionTests
{
    private static readonly string[] ProjectFolders = { "firmware", "tests", "boards" };

    private static HashSet<string> InSolution() =>
        Regex.Matches(File.ReadAllText(Repo.Path("CotaFirmware.sln")), "\"([^\"]+\\.(?:csproj|nfproj))\"")
            .Select(m => m.Groups[1].Value.Replace('\\', '/')).ToHashSet();

    private static IEnumerable<string> OnDisk(string pattern) =>
        ProjectFolders.Where(f => Directory.Exists(Repo.Path(f)))
            .SelectMany(f => Directory.EnumerateFiles(Repo.Path(f), pattern, SearchOption.AllDirectories))
            .Select(p => Path.GetRelativePath(Repo.Root, p).Replace('\\', '/'))
            .Where(p => !p.Contains("/bin/") && !p.Contains("/obj/"));

    [TestMethod]
    public void SolutionHoldsEveryProject()
    {
        var missing = OnDisk("*.csproj").Concat(OnDisk("*.nfproj")).Except(InSolution()).ToList();
        Assert.AreEqual(0, missing.Count, "CotaFirmware.sln lacks: " + string.Join(", ", missing));
    }

    [TestMethod]
    public void HostFilterHoldsExactlyTheSdkProjects()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Repo.Path("CotaFirmware.Host.slnf")));
        var filtered = doc.RootElement.GetProperty("solution").GetProperty("projects").EnumerateArray()
            .Select(e => e.GetString()!.Replace('\\', '/')).ToHashSet();
        var sdk = InSolution().Where(p => p.EndsWith(".csproj", StringComparison.Ordinal)).ToHashSet();
        Assert.IsTrue(filtered.SetEquals(sdk),
            "CotaFirmware.Host.slnf should list exactly the solution's .csproj projects; missing: "
            + string.Join(", ", sdk.Except(filtered)) + "; extra: " + string.Join(", ", filtered.Except(sdk)));
    }
}
