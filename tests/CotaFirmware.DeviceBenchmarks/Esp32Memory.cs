using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CotaFirmware.Host.Cloud;
using CotaFirmware.NanoBuild;

namespace CotaFirmware.DeviceBenchmarks;

/// <summary>
/// The ESP32 application's memory on nanoCLR, against the local IoT platform over TLS, for each MQTT session: free
/// heap after start-up, the lowest free heap the GC saw during a 64 KiB COTA cycle, allocations per download chunk and
/// per cycle (NANOCLR_ALLOC_STATS), and the smallest heap in which the whole cycle still completes (bisected).
/// </summary>
public static class Esp32Memory
{
    /// <summary>The heap the measured runs get (the end-to-end tests' heap).</summary>
    public const int MeasuredHeap = 160000;

    /// <summary>The config each cycle downloads: 64 KiB that the telemetry and LED modules take live.</summary>
    public const int ConfigSize = 64 * 1024;

    private const int BisectStep = 2000;
    private static readonly TimeSpan CycleTimeout = TimeSpan.FromSeconds(60);
    private static readonly Regex Available = new(@"GC: \d+msec \d+ bytes used, (\d+) bytes available", RegexOptions.CultureInvariant);
    private static readonly Regex Counters = new(@"nanoclr-alloc: (\d+) allocations, (\d+) bytes", RegexOptions.CultureInvariant);
    private static readonly Regex FreeAfterStart = new(@"heap (\d+) B free after start-up", RegexOptions.CultureInvariant);

    /// <summary>What one MQTT session's runs measured.</summary>
    public sealed record Figures(string Transport, int FreeAfterStart, int LowestFree, double AllocationsPerChunk, double BytesPerChunk,
        long CycleAllocations, long CycleBytes, int Chunks, int SmallestHeap);

    /// <summary>Measures both MQTT sessions; <paramref name="load"/> is the application's load order.</summary>
    public static async Task<List<Figures>> MeasureAsync(IReadOnlyList<string> load, Action<string> progress)
    {
        string data = Directory.CreateTempSubdirectory("bench-cloud").FullName;
        await using var platform = await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = data });
        var results = new List<Figures>();
        foreach (string transport in new[] { "core", "m2mqtt" })
        {
            progress("ESP32 app, " + transport + ": one 64 KiB cycle in " + MeasuredHeap + " B, then the smallest heap that still completes it");
            var (ok, lines) = await CycleAsync(platform, load, transport, MeasuredHeap, trace: true);
            if (!ok)
            {
                throw new InvalidOperationException("the 64 KiB cycle did not complete in " + MeasuredHeap + " B (" + transport + "):\n" + string.Join("\n", lines.TakeLast(30)));
            }

            results.Add(Read(transport, lines, await SmallestHeapAsync(platform, load, transport)));
        }

        return results;
    }

    /// <summary>The rows for the table, with the device estimate's arithmetic.</summary>
    public static string Render(IReadOnlyList<Figures> figures, int bufferBytes)
    {
        var text = new StringBuilder();
        text.AppendLine("The ESP32 application on nanoCLR (Release, boards/nanoclr/board.json), against the local IoT platform over TLS; "
            + "a 64 KiB config pushed, downloaded over HTTPS in " + "2,048-byte reads, verified, stored, applied and reported.");
        text.AppendLine();
        text.AppendLine("| MQTT session | free after start-up (of " + MeasuredHeap.ToString("N0", CultureInfo.InvariantCulture) + ") | lowest free in the cycle | allocations per download chunk | per cycle (offer → last chunk) | smallest heap (bisected, " + BisectStep + " B steps) | device estimate | target: ≤ 100,000 here, ≤ 56 KB on the device |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var f in figures)
        {
            int estimate = bufferBytes + (f.SmallestHeap - bufferBytes) / 2;
            text.AppendLine("| " + f.Transport + " | " + N(f.FreeAfterStart) + " B | " + N(f.LowestFree) + " B | "
                + f.AllocationsPerChunk.ToString("0.#", CultureInfo.InvariantCulture) + " (" + f.BytesPerChunk.ToString("N0", CultureInfo.InvariantCulture) + " B) | "
                + N(f.CycleAllocations) + " (" + N(f.CycleBytes) + " B; " + f.Chunks + " chunks) | " + N(f.SmallestHeap) + " B | "
                + N(estimate) + " B = " + N(bufferBytes) + " + (" + N(f.SmallestHeap) + " − " + N(bufferBytes) + ") ÷ 2 | "
                + (f.SmallestHeap <= 100000 ? "yes" : "**no**") + " / " + (estimate <= 56 * 1024 ? "yes" : "**no**") + " |");
        }

        text.AppendLine();
        text.AppendLine("Device estimate: nanoCLR's heap blocks are 24 bytes, the ESP32's 12, so objects take about half the room there and byte "
            + "buffers about the same. The byte buffers are the board's fixed ones (" + N(bufferBytes) + " B: MQTT receive and transmit, LinkKit's "
            + "transmit, the download buffer, three JSON windows, two URL buffers, the HTTP client's request and response-head buffers); "
            + "everything else in the need is counted as objects and halved. "
            + "The need includes the loaded assemblies' runtime tables (about 67 KB here), which are objects too.");
        return text.ToString();
    }

    // One boot on a fresh flash: connect, push the 64 KiB config, wait for its result; true when it was applied.
    private static async Task<(bool Applied, List<string> Lines)> CycleAsync(LocalPlatform platform, IReadOnlyList<string> load, string transport, int heap, bool trace)
    {
        string pk = platform.Registry.AddProduct().ProductKey;
        var device = platform.Registry.AddDevice(pk, "bench-" + transport);
        string flash = Directory.CreateTempSubdirectory("bench-flash").FullName;
        try
        {
            string board = Esp32Image.Board(transport)
                .Replace("\"downloadJitterMs\": 500", "\"downloadJitterMs\": 1", StringComparison.Ordinal)
                .Replace("\"rootCaFile\"", (trace ? "\"traceMemory\": true, " : "") + "\"rootCaFile\"", StringComparison.Ordinal);
            Esp32Image.Deploy(flash, board, Esp32Image.LocalDevice(pk, device.DeviceName, device.DeviceSecret!, platform.Host, platform.MqttTlsPort, platform.HttpsPort),
                platform.CaPem);
            var environment = new Dictionary<string, string> { ["NANOCLR_ALLOC_STATS"] = "1" };
            using var run = AppRun.Start(load, flash, heap, environment);
            try
            {
                await run.WaitForLineAsync("linkkit: connected to ", CycleTimeout);
                string config = "{\"telemetry\":{\"intervalSeconds\":50}," + new string(' ', ConfigSize - 70) + "\"statusLed\":{\"pattern\":\"blink\"}}";
                var published = platform.Cota.PublishConfig(pk, config);
                await platform.Cota.PushToDeviceAsync(pk, device.DeviceName, published.ConfigId);
                int at = await run.WaitForLineAsync("config " + published.ConfigId + ", offer \\d+: ", CycleTimeout);
                bool applied = run.Lines[at].EndsWith(": applied", StringComparison.Ordinal);
                return (applied, run.Lines.ToList());
            }
            catch (TimeoutException)
            {
                return (false, run.Lines.ToList());
            }
        }
        finally
        {
            Directory.Delete(flash, true);
        }
    }

    private static async Task<int> SmallestHeapAsync(LocalPlatform platform, IReadOnlyList<string> load, string transport)
    {
        int low = 40000;            // assumed to fail: the assemblies alone take more
        int high = MeasuredHeap;    // known to complete
        while (high - low > BisectStep)
        {
            int mid = (low + high) / 2;
            if ((await CycleAsync(platform, load, transport, mid, trace: false)).Applied)
            {
                high = mid;
            }
            else
            {
                low = mid;
            }
        }

        return high;
    }

    private static Figures Read(string transport, List<string> lines, int smallest)
    {
        int free = int.Parse(lines.Select(l => FreeAfterStart.Match(l)).First(m => m.Success).Groups[1].Value, CultureInfo.InvariantCulture);

        // From the offer on (the app logs it, then marks it): the offer's mark, then one mark per download chunk.
        int offer = lines.FindIndex(l => l.Contains("bytes, from push", StringComparison.Ordinal));
        var cycle = lines.Skip(Math.Max(0, offer)).ToList();
        int lowest = cycle.Select(l => Available.Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Min();
        var marks = cycle.Select(l => Counters.Match(l)).Where(m => m.Success)
            .Select(m => (Allocations: long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Bytes: long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
        if (marks.Count < 3)
        {
            throw new InvalidOperationException(transport + ": too few allocation marks (" + marks.Count + ") to measure the download");
        }

        // Chunk to chunk; the offer → first chunk step (the request, the TLS handshake) is the cycle's, not a chunk's.
        var chunks = marks.Skip(1).Zip(marks.Skip(2), (a, b) => (b.Allocations - a.Allocations, b.Bytes - a.Bytes)).ToList();
        double perChunk = chunks.Average(s => (double)s.Item1);
        double bytesPerChunk = chunks.Average(s => (double)s.Item2);
        return new Figures(transport, free, lowest, perChunk, bytesPerChunk, marks[^1].Allocations - marks[0].Allocations,
            marks[^1].Bytes - marks[0].Bytes, marks.Count - 1, smallest);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
