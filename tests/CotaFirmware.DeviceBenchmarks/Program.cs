using System.Diagnostics;
using System.Globalization;
using System.Text;
using CotaFirmware.NanoBuild;

namespace CotaFirmware.DeviceBenchmarks;

/// <summary>
/// Builds the core layers and the benchmark application (Device/) in Release as the device build does, runs them on
/// nanoCLR and prints the table: each figure, its peer's, their ratio and the target it is held to.
/// </summary>
public static class Program
{
    private const string Application = "CotaFirmware.DeviceBenchmarks";

    public static int Main()
    {
        if (NanoTools.Missing is { } missing)
        {
            Console.Error.WriteLine("cannot run the device benchmarks: " + missing);
            return 2;
        }

        var clock = Stopwatch.StartNew();
        string nfproj = Repo.Path("tests", "CotaFirmware.DeviceBenchmarks", "Device", "CotaFirmware.DeviceBenchmarks.Device.nfproj");
        var projects = NfProject.InSolution().Where(p => p.IsCore).Append(NfProject.Load(nfproj)).ToList();
        var build = DeviceBuild.Run("Release", projects, Repo.Path("artifacts", "nano", "bench"));
        var problems = build.Problems.Concat(build.Assemblies.SelectMany(a => a.Problems.Select(p => a.Name + ": " + p))).ToList();
        if (problems.Count > 0 || build.Assemblies.Any(a => !a.Ok))
        {
            Console.Error.WriteLine("the device build failed:\n  " + string.Join("\n  ", problems));
            return 1;
        }

        var load = new List<string> { NanoTools.MscorlibPe };
        var blockers = new List<string>();
        build.AddLoadOrder(Application, load, blockers);
        if (blockers.Count > 0)
        {
            Console.Error.WriteLine("cannot load: " + string.Join("; ", blockers));
            return 1;
        }

        Console.WriteLine("Built " + build.Assemblies.Count + " assemblies (Release) in " + build.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)
            + " s; running on nanoCLR...");
        var run = Stopwatch.StartNew();
        var (exit, stdout, stderr) = ToolProcess.Run(NanoTools.Nanoclr, load, TimeSpan.FromMinutes(10));
        File.WriteAllText(Path.Combine(build.Directory, "nanoclr.log"), stdout + stderr);
        var results = BenchResults.Read(stdout);
        if (exit != 0 || !results.Completed)
        {
            Console.Error.WriteLine("nanoCLR ended without the benchmarks' completion line (exit " + exit + "); log: "
                + Path.Combine(build.Directory, "nanoclr.log") + "\n" + string.Join("\n", (stdout + stderr).Split('\n').TakeLast(8)));
            return 1;
        }

        string table = BenchTable.Render(results, Conditions(run.Elapsed, clock.Elapsed));
        Console.WriteLine(table);
        File.WriteAllText(Path.Combine(build.Directory, "table.md"), table);
        return 0;
    }

    private static string Conditions(TimeSpan nanoclr, TimeSpan total)
    {
        string cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        string load = ToolProcess.LoadAverage();
        return "nanoCLR (Linux build, Release core) on " + cpu + ", " + Environment.ProcessorCount + " cores, load average " + load
            + "; nanoCLR ran " + nanoclr.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s, the whole command "
            + total.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s.";
    }
}
