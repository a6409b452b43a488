namespace CotaFirmware.HostTests.Gate;

/// <summary>
/// The nanoCLR test runner and what the host makes of its output: a failing test, a thrown exception, a test that
/// needs an instance (the launcher gives none), a failed Setup or Cleanup, and an interpreter that dies before the
/// completion line must each be reported as a failure, never lost.
/// </summary>
[TestClass]
public sealed class NanoTestRunnerTests
{
    private const string Fixture = """
        using System;
        using nanoFramework.TestFramework;

        namespace Fixture
        {
            [TestClass]
            public class Plain
            {
                static int _setups;
                int _instanceCount;

                [Setup]
                public void Setup() { _setups++; }

                [TestMethod]
                public void Passes() { Assert.AreEqual(1, _setups); Assert.IsTrue(true); OutputHelper.WriteLine("output of a test"); }

                [TestMethod]
                public void FailsAnAssertion() { Assert.AreEqual(2, 1 + 2, "the sum"); }

                [TestMethod]
                public void Throws() { throw new InvalidOperationException("boom\nsecond line"); }

                [TestMethod]
                public void ThrowsExceptionCatchesTheExactType() { Assert.ThrowsException(typeof(ArgumentException), () => { throw new ArgumentException("x"); }); }

                [TestMethod]
                public void ThrowsExceptionRefusesAnotherType() { Assert.ThrowsException(typeof(ArgumentException), () => { throw new InvalidOperationException("x"); }); }

                [TestMethod]
                public void NeedsAnInstance() { _instanceCount++; }

                public void NotATest() { throw new Exception("must not run"); }

                [Cleanup]
                public void Cleanup() { throw new Exception("cleanup broke"); }
            }

            [TestClass]
            public class SetupBreaks
            {
                [Setup]
                public void Setup() { throw new Exception("no setup"); }

                [TestMethod]
                public void NeverRuns() { }
            }
        }
        """;

    private static readonly Lazy<NanoClrRun> FixtureRun = new(RunFixture);

    private static NanoClrRun RunFixture()
    {
        string dir = Repo.Path("artifacts", "nano", "runner-fixture");
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        string runner = Path.Combine(dir, DeviceBuild.RunnerName + ".exe");
        string fixture = Path.Combine(dir, "Fixture.dll");
        File.WriteAllText(Path.Combine(dir, "Fixture.cs"), Fixture);
        var errors = DeviceCompiler.Compile(CompileOptions.Runner("Release"), DeviceBuild.RunnerSources(dir, new[] { "Fixture" }), Array.Empty<string>(), runner);
        errors.AddRange(DeviceCompiler.Compile(CompileOptions.Plain, new[] { Path.Combine(dir, "Fixture.cs") }, new[] { runner }, fixture));
        Assert.AreEqual(0, errors.Count, string.Join("\n", errors));
        var hints = new Dictionary<string, string> { ["mscorlib"] = NanoTools.Mscorlib, [DeviceBuild.RunnerName] = runner };
        Assert.IsTrue(MetadataProcessor.ConvertAll(new[] { (runner, Path.ChangeExtension(runner, ".pe")), (fixture, Path.ChangeExtension(fixture, ".pe")) }, hints));
        return NanoClrRun.Run("Release", NanoClrRun.TestsIn(fixture),
            new[] { NanoTools.MscorlibPe, Path.ChangeExtension(runner, ".pe"), Path.ChangeExtension(fixture, ".pe") }, Path.Combine(dir, "nanoclr.log"));
    }

    private static NanoClrRun Run()
    {
        NanoToolsGuard.Require();
        return FixtureRun.Value;
    }

    [TestMethod]
    public void APassingTestPassesAndItsOutputIsKept()
    {
        var run = Run();
        Assert.IsNull(run.Outcome("Fixture.Plain.Passes"));
        StringAssert.Contains(run.Log, "output of a test");
        Assert.IsNull(run.RunProblem);
    }

    [TestMethod]
    public void AFailedAssertionIsReportedWithBothValuesAndTheMessage() =>
        StringAssert.Contains(Run().Outcome("Fixture.Plain.FailsAnAssertion"), "Assert.AreEqual failed. Expected:<2>. Actual:<3>. the sum");

    [TestMethod]
    public void AThrownExceptionIsReportedOnOneLineWithItsType() =>
        StringAssert.Contains(Run().Outcome("Fixture.Plain.Throws"), "System.InvalidOperationException: boom second line");

    [TestMethod]
    public void ThrowsExceptionPassesOnlyForTheExactType()
    {
        var run = Run();
        Assert.IsNull(run.Outcome("Fixture.Plain.ThrowsExceptionCatchesTheExactType"));
        StringAssert.Contains(run.Outcome("Fixture.Plain.ThrowsExceptionRefusesAnotherType"), "Expected:<System.ArgumentException>. Actual:<System.InvalidOperationException>");
    }

    [TestMethod]
    public void ATestThatNeedsAnInstanceFailsAsOnTheDevice() =>
        StringAssert.Contains(Run().Outcome("Fixture.Plain.NeedsAnInstance"), "NullReferenceException");

    [TestMethod]
    public void AFailedSetupFailsEveryTestOfItsClassAndAFailedCleanupIsAFailure()
    {
        var run = Run();
        StringAssert.Contains(run.Outcome("Fixture.SetupBreaks.NeverRuns"), "Setup failed: System.Exception: no setup");
        StringAssert.Contains(run.Outcome("Fixture.Plain.Cleanup"), "Cleanup failed: System.Exception: cleanup broke");
    }

    [TestMethod]
    public void OnlyTestMethodsRunAndEveryOneIsCounted()
    {
        var run = Run();
        Assert.IsFalse(run.Log.Contains("must not run", StringComparison.Ordinal));
        CollectionAssert.AreEquivalent(
            new[] { "Fixture.Plain.Passes", "Fixture.Plain.FailsAnAssertion", "Fixture.Plain.Throws", "Fixture.Plain.ThrowsExceptionCatchesTheExactType",
                "Fixture.Plain.ThrowsExceptionRefusesAnotherType", "Fixture.Plain.NeedsAnInstance", "Fixture.SetupBreaks.NeverRuns", "Fixture.Plain.Cleanup" },
            run.Tests);
        StringAssert.Contains(run.Log, "[nanotest] done 2 passed, 6 failed");
    }

    [TestMethod]
    public void AnInterpreterThatDiesBeforeTheCompletionLineFailsEveryTestNotReported()
    {
        var run = NanoClrRun.FromOutput(new[] { "A.T.One", "A.T.Two", "A.T.Three" }, 0,
            "Ready.\n[nanotest] start A.T.One\n[nanotest] passed A.T.One 3 ms\n[nanotest] start A.T.Two\nHAL_AssertEx\n");
        Assert.IsNull(run.Outcome("A.T.One"));
        StringAssert.Contains(run.Outcome("A.T.Two"), "it stopped in A.T.Two");
        StringAssert.Contains(run.Outcome("A.T.Three"), "without the runner's completion line");
        StringAssert.Contains(run.RunProblem, "HAL_AssertEx");
    }

    [TestMethod]
    public void ATestTheRunnerNeverReportedFailsEvenWhenTheRunCompleted()
    {
        var run = NanoClrRun.FromOutput(new[] { "A.T.One", "A.T.Two" }, 0, "[nanotest] passed A.T.One 1 ms\n[nanotest] done 1 passed, 0 failed\n");
        Assert.IsNull(run.RunProblem);
        StringAssert.Contains(run.Outcome("A.T.Two"), "the runner did not find it");
    }

    [TestMethod]
    public void AKilledInterpreterIsAFailureEvenAfterItsCompletionLine()
    {
        var run = NanoClrRun.FromOutput(new[] { "A.T.One" }, 3, "[nanotest] passed A.T.One 1 ms\n[nanotest] done 1 passed, 0 failed\n");
        StringAssert.Contains(run.RunProblem, "exited with 3");
    }
}
