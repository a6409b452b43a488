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
        string drive = Directory.CreateTempSubdirectory("bench-drive").FullName;
        int exit;
        List<string> lines;
        using (var bench = AppRun.Start(load, drive, 10 * 1024 * 1024, new Dictionary<string, string> { ["NANOCLR_ALLOC_STATS"] = "1" }))
        {
            exit = bench.WaitForExitAsync(TimeSpan.FromMinutes(10)).GetAwaiter().GetResult();
            lines = bench.Lines.ToList();
        }

        File.WriteAllLines(Path.Combine(build.Directory, "nanoclr.log"), lines);
        var results = BenchResults.Read(lines);
        if (exit != 0 || !results.Completed)
        {
            Console.Error.WriteLine("nanoCLR ended without the benchmarks' completion line (exit " + exit + "); log: "
                + Path.Combine(build.Directory, "nanoclr.log") + "\n" + string.Join("\n", lines.TakeLast(8)));
            return 1;
        }

        string table = BenchTable.Render(results, Conditions(run.Elapsed, clock.Elapsed));
        Console.WriteLine(table);

        Console.WriteLine("Building the ESP32 application (Release) for its memory runs...");
        var esp32 = Esp32Image.Build("Release", Repo.Path("artifacts", "nano", "bench-esp32"));
        var memory = Esp32Memory.MeasureAsync(Esp32Image.LoadOrder(esp32), Console.WriteLine).GetAwaiter().GetResult();
        string memoryTable = Esp32Memory.Render(memory, FixedBuffers());
        Console.WriteLine(memoryTable);
        File.WriteAllText(Path.Combine(build.Directory, "table.md"), table + "\n" + memoryTable);
        return 0;
    }

    // The byte buffers boards/nanoclr/board.json sizes, plus the two URL buffers (CotaSettings.MaxUrlLength) and the
    // HTTP client's request (a URL and ChannelHttpClient's 184 bytes of head room) and response head (1,536) buffers (firmware/CotaFirmware.Esp32/Program.cs).
    private static int FixedBuffers()
    {
        using var board = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Esp32Image.BoardJson));
        int Get(string key) => board.RootElement.GetProperty(key).GetInt32();
        return Get("mqttRxBufferSize") + 2 * Get("mqttTxBufferSize") + Get("downloadBufferSize") + 3 * Get("jsonWindowSize") + 2 * 2048
            + (2048 + 184) + 1536;
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
