namespace CotaFirmware.DeviceBenchmarks;

/// <summary>One benchmark's outcome as the device printed it: times for <see cref="Ops"/> operations, or why there are none.</summary>
/// <param name="Ops">Operations per timed round.</param>
/// <param name="Best">The fastest round, in 100 ns ticks.</param>
/// <param name="Median">The median round, in 100 ns ticks.</param>
/// <param name="Figure">What one operation did (bytes, tokens, messages).</param>
/// <param name="Problem">Null when timed; else "throws &lt;type&gt;" or "failed &lt;figure&gt;".</param>
public sealed record BenchResult(int Ops, long Best, long Median, int Figure, string? Problem)
{
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

    /// <summary>Reads the interpreter's output.</summary>
    public static BenchResults Read(string stdout)
    {
        var read = new BenchResults();
        foreach (string raw in stdout.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
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

        return read;
    }
}
