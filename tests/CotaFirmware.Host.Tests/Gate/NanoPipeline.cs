using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace CotaFirmware.HostTests.Gate;

/// <summary>
/// The device side of the test run, done once per test process: every device assembly built and converted in Debug
/// and in Release (the two side by side), then each configuration's tests run on nanoCLR. Tests read its results; the
/// report (sizes, table fill, outcomes, time taken) goes to the run's output and to artifacts/nano/report.txt.
/// </summary>
public sealed class NanoPipeline
{
    private static readonly Lazy<NanoPipeline> Instance = new(Execute, LazyThreadSafetyMode.ExecutionAndPublication);

    private NanoPipeline(IReadOnlyList<NfProject> projects, Dictionary<string, (DeviceBuild, NanoClrRun)> results, TimeSpan elapsed, TimeSpan toolCpu)
    {
        Projects = projects;
        Results = results;
        Elapsed = elapsed;
        ToolCpu = toolCpu;
    }

    /// <summary>The pipeline's results, computed on first use. Call <see cref="NanoToolsGuard.Require"/> first.</summary>
    public static NanoPipeline Result => Instance.Value;

    /// <summary>
    /// A test's data rows, (configuration, name) for each name <paramref name="names"/> gives from that configuration's
    /// build and run; without the nanoFramework tools, one "(tools absent)" row per configuration, which the test turns
    /// into its inconclusive result (or failure under CI) through <see cref="NanoToolsGuard.Require"/>.
    /// </summary>
    public static IEnumerable<object[]> Rows(Func<DeviceBuild, NanoClrRun, IEnumerable<string>> names)
    {
        if (NanoTools.Missing != null)
        {
            return DeviceBuild.Configurations.Select(c => new object[] { c, "(tools absent)" });
        }

        return Result.Results.SelectMany(r => names(r.Value.Build, r.Value.Run).Select(name => new object[] { r.Key, name }));
    }

    /// <summary>The solution's device projects.</summary>
    public IReadOnlyList<NfProject> Projects { get; }

    /// <summary>Each configuration's build and nanoCLR run.</summary>
    public Dictionary<string, (DeviceBuild Build, NanoClrRun Run)> Results { get; }

    /// <summary>Wall time the whole device side took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>CPU time its tools (csc, nanomdp, nanoclr) used: unlike wall time, it does not grow with other work on the machine.</summary>
    public TimeSpan ToolCpu { get; }

    private static NanoPipeline Execute()
    {
        var clock = Stopwatch.StartNew();
        var cpu = ChildrenCpu();
        var projects = NfProject.InSolution();
        var work = DeviceBuild.Configurations.ToDictionary(c => c, c => Task.Run(() =>
        {
            var build = DeviceBuild.Run(c, projects);
            return (build, NanoClrRun.Run(build));
        }));
        Task.WaitAll(work.Values.ToArray<Task>());
        var pipeline = new NanoPipeline(projects, work.ToDictionary(w => w.Key, w => w.Value.Result), clock.Elapsed, ChildrenCpu() - cpu);
        pipeline.Report();
        return pipeline;
    }

    private void Report()
    {
        var text = new StringBuilder();
        foreach (var (configuration, (build, run)) in Results)
        {
            text.AppendLine("Device assemblies, " + configuration + ": .pe size and each MetadataProcessor table's fill of its "
                + PeTables.Limit.ToString("N0") + " B (largest first)");
            foreach (var a in build.Assemblies)
            {
                text.Append("  ").Append(a.Name.PadRight(36));
                if (a.Tables != null)
                {
                    text.Append(a.PeSize.ToString("N0").PadLeft(9)).Append(" B  ");
                    text.AppendJoin("  ", a.Tables.Select((size, i) => (size, i)).Where(t => t.size > 0).OrderByDescending(t => t.size)
                        .Select(t => PeTables.Names[t.i] + " " + t.size.ToString("N0") + " (" + (100.0 * t.size / PeTables.Limit).ToString("0.#") + "%)"));
                }
                else
                {
                    text.Append("      not converted");
                }

                text.AppendLine();
                foreach (string problem in a.Problems)
                {
                    text.Append("      FAIL ").AppendLine(problem);
                }

                foreach (string note in a.Notes)
                {
                    text.Append("      note ").AppendLine(note);
                }
            }

            foreach (string problem in build.Problems)
            {
                text.Append("  FAIL ").AppendLine(problem);
            }

            var failed = run.Tests.Where(t => run.Outcome(t) != null).ToList();
            text.AppendLine("nanoCLR, " + configuration + ": " + run.Passed + " passed, " + failed.Count + " failed"
                + (run.RunProblem != null ? " (" + run.RunProblem + ")" : ""));
            if (run.NotRun == null)
            {
                foreach (string test in failed.Take(20))
                {
                    text.Append("  FAIL ").Append(test).Append(": ").AppendLine(run.Outcome(test));
                }

                if (failed.Count > 20)
                {
                    text.AppendLine("  ... and " + (failed.Count - 20) + " more");
                }
            }

            text.AppendLine("  build " + build.Elapsed.TotalSeconds.ToString("0.0") + " s, nanoCLR " + run.Elapsed.TotalSeconds.ToString("0.0") + " s");
        }

        string load = ToolProcess.LoadAverage();
        text.AppendLine("The device side (build, convert, nanoCLR; Debug and Release side by side) added "
            + Elapsed.TotalSeconds.ToString("0.0") + " s to this test run (" + Environment.ProcessorCount + " cores, load average " + load
            + " at its end); its tools used " + ToolCpu.TotalSeconds.ToString("0.0") + " s of CPU.");
        string report = text.ToString();
        Directory.CreateDirectory(Repo.Path("artifacts", "nano"));
        File.WriteAllText(Repo.Path("artifacts", "nano", "report.txt"), report);

        // Past the test framework's capture, so that the report shows in the run's log.
        using var stdout = new StreamWriter(Console.OpenStandardOutput());
        stdout.Write(report);
    }

    // CPU time (user + system) of this process's finished child processes: getrusage(RUSAGE_CHILDREN) on Linux.
    private static TimeSpan ChildrenCpu()
    {
        if (!OperatingSystem.IsLinux())
        {
            return TimeSpan.Zero;
        }

        var usage = new long[18];   // struct rusage: two timevals (seconds, microseconds), then fourteen longs
        if (getrusage(-1, usage) != 0)
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromSeconds(usage[0] + usage[2]) + TimeSpan.FromMicroseconds(usage[1] + usage[3]);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, long[] usage);
}
