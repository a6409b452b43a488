using System.Reflection;

namespace CotaFirmware.HostTests.Gate;

/// <summary>
/// The shared unit tests (and the device-only ones) as nanoCLR ran them, in Debug and in Release: one result per test
/// and configuration, named after the test, so that they count in the run's totals.
/// </summary>
[TestClass]
public sealed class NanoClrTests
{
    public static IEnumerable<object[]> Tests() => NanoPipeline.Rows((_, run) => run.Tests);

    public static string Name(MethodInfo method, object[] row) => "nanoCLR " + row[0] + ": " + row[1];

    public static IEnumerable<object[]> ConfigurationRows() => DeviceBuild.Configurations.Select(c => new object[] { c });

    public static string RunName(MethodInfo method, object[] row) => "nanoCLR " + row[0] + ": the runner completes";

    [TestMethod(UnfoldingStrategy = TestDataSourceUnfoldingStrategy.Fold)]
    [DynamicData(nameof(Tests), DynamicDataDisplayName = nameof(Name))]
    public void Passes(string configuration, string test)
    {
        NanoToolsGuard.Require();
        string? failure = NanoPipeline.Result.Results[configuration].Run.Outcome(test);
        Assert.IsNull(failure, test + " on nanoCLR (" + configuration + "): " + failure);
    }

    [TestMethod(UnfoldingStrategy = TestDataSourceUnfoldingStrategy.Fold)]
    [DynamicData(nameof(ConfigurationRows), DynamicDataDisplayName = nameof(RunName))]
    public void TheRunnerCompletes(string configuration)
    {
        NanoToolsGuard.Require();
        var run = NanoPipeline.Result.Results[configuration].Run;
        Assert.IsNull(run.RunProblem, run.RunProblem);
        Assert.IsTrue(run.Tests.Count > 0, "no test ran");
    }
}
