namespace CotaFirmware.DeviceBenchmarks;

/// <summary>One benchmark's outcome as the device printed it: times for <see cref="Ops"/> operations, or why there are none.</summary>
/// <param name="Ops">Operations per timed round.</param>
/// <param name="Best">The fastest round, in 100 ns ticks.</param>
/// <param name="Median">The median round, in 100 ns ticks.</param>
/// <param name="Figure">What one operation did (bytes, tokens, messages).</param>
/// <param name="Problem">Null when timed; else "throws &lt;type&gt;" or "failed &lt;figure&gt;".</param>
public sealed record BenchResult(int Ops, long Best, long Median, int Figure, string? Problem)
{
    /// <summary>Allocations per operation in the untimed round (nanoCLR's counters); NaN when not counted.</summary>
    public double Allocations { get; set; } = double.NaN;

    /// <summary>Bytes allocated per operation in the untimed round (24-byte heap blocks here); NaN when not counted.</summary>
    public double AllocatedBytes { get; set; } = double.NaN;

    /// <summary>The best round's time per operation, in microseconds.</summary>
    public double BestMicros => Best / 10.0 / Ops;

    /// <summary>The median round's time per operation, in microseconds.</summary>
    public double MedianMicros => Median / 10.0 / Ops;
}

/// <summary>The lines the benchmark application prints on nanoCLR ("[bench] ..."), read back.</summary>
public sealed class BenchResults
{
    private const string Prefix = "[bench] ";

    /// <summary>Each benchmark by key.</summary>
    public Dictionary<string, BenchResult> Results { get; } = new(StringComparer.Ordinal);

    /// <summary>Facts about the inputs (sizes) by key.</summary>
    public Dictionary<string, int> Notes { get; } = new(StringComparer.Ordinal);

    /// <summary>The smallest step of DateTime.UtcNow seen on the device, in 100 ns ticks.</summary>
    public long ClockStep { get; private set; }

    /// <summary>True when the application printed its completion line.</summary>
    public bool Completed { get; private set; }

    /// <summary>Reads the interpreter's output, its stdout and stderr lines in any interleaving.</summary>
    public static BenchResults Read(IEnumerable<string> lines)
    {
        var read = new BenchResults();
        var bracketed = new List<(string Key, int Ops)>();
        var counters = new List<(long Allocations, long Bytes)>();
        foreach (string raw in lines)
        {
            string line = raw.TrimEnd('\r');
            var counted = Counters.Match(line);
            if (counted.Success)
            {
                counters.Add((long.Parse(counted.Groups[1].Value), long.Parse(counted.Groups[2].Value)));
                continue;
            }

            if (!line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            string[] f = line.Substring(Prefix.Length).Split(' ');
            if (f[0] == "done")
            {
                read.Completed = true;
            }
            else if (f[0] == "clock")
            {
                read.ClockStep = long.Parse(f[1]);
            }
            else if (f.Length == 3 && f[1] == "allocs")
            {
                bracketed.Add((f[0], int.Parse(f[2])));
            }
            else if (f.Length >= 3 && f[1] == "note")
            {
                read.Notes[f[0]] = int.Parse(f[2]);
            }
            else if (f.Length >= 3 && (f[1] == "throws" || f[1] == "failed"))
            {
                read.Results[f[0]] = new BenchResult(0, 0, 0, 0, f[1] + " " + string.Join(" ", f.Skip(2)));
            }
            else if (f.Length == 5)
            {
                read.Results[f[0]] = new BenchResult(int.Parse(f[1]), long.Parse(f[2]), long.Parse(f[3]), int.Parse(f[4]), null);
            }
        }

        // The k-th bracketed round printed the k-th pair of counter lines (one more comes at the interpreter's exit).
        for (int k = 0; k < bracketed.Count && 2 * k + 1 < counters.Count; k++)
        {
            if (read.Results.TryGetValue(bracketed[k].Key, out var result))
            {
                result.Allocations = (counters[2 * k + 1].Allocations - counters[2 * k].Allocations) / (double)bracketed[k].Ops;
                result.AllocatedBytes = (counters[2 * k + 1].Bytes - counters[2 * k].Bytes) / (double)bracketed[k].Ops;
            }
        }

        return read;
    }

    private static readonly System.Text.RegularExpressions.Regex Counters =
        new(@"nanoclr-alloc: (\d+) allocations, (\d+) bytes", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}
