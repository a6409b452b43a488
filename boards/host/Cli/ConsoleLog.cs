using System.Text.RegularExpressions;
using CotaFirmware.Platform;
using LogLevel = CotaFirmware.Platform.LogLevel;

namespace CotaFirmware.Host.Cli;

/// <summary>The firmware's log on the host: one line per entry, prefixed with the device, to a shared writer. A
/// warning that repeats (the same words, whatever its numbers, from this device or any other sharing the same
/// <see cref="Repeats"/>) is printed once, then at its 10th, 100th, ... time with the count, and summed up when a
/// device connects again.</summary>
public sealed partial class ConsoleLog : ILog
{
    private readonly TextWriter _out;
    private readonly string _prefix;
    private readonly LogLevel _min;
    private readonly Repeats _repeats;

    /// <summary>Writes lines of <paramref name="min"/> and above for device <paramref name="device"/>; a fleet passes
    /// one <paramref name="repeats"/> to all its devices so that they collapse each other's warnings.</summary>
    public ConsoleLog(TextWriter output, string device, LogLevel min, Repeats? repeats = null)
    {
        _out = output;
        _prefix = "  [" + device + "] ";
        _min = min;
        _repeats = repeats ?? new Repeats();
    }

    /// <summary>Also told every line (the demo watches for steps); may be null.</summary>
    public Action<string, string>? Seen { get; set; }

    /// <summary>The last warning or error, or null (to say why a device never connected).</summary>
    public string? LastWarning { get; private set; }

    /// <inheritdoc/>
    public void Write(LogLevel level, string area, string message)
    {
        Seen?.Invoke(area, message);
        if (level >= LogLevel.Warning)
        {
            LastWarning = area + ": " + message;
        }

        bool connected = area == "linkkit" && level < LogLevel.Warning && message.StartsWith("connected", StringComparison.Ordinal);
        if (level < _min)
        {
            if (connected)
            {
                lock (_out)
                {
                    SumUp();
                }
            }

            return;
        }

        string mark = level switch { LogLevel.Warning => "warning: ", LogLevel.Error => "error: ", _ => "" };
        string text = area + ": " + mark + message;
        lock (_out)
        {
            if (level >= LogLevel.Warning)
            {
                string shape = Digits().Replace(text, "#");
                if (_repeats.Seen.TryGetValue(shape, out var seen))
                {
                    seen.Count++;
                    seen.Devices.Add(_prefix);
                    if (IsPowerOfTen(seen.Count))
                    {
                        _out.WriteLine(_prefix + text + " (" + seen.Describe() + ")");
                        seen.Shown = seen.Count;
                    }

                    return;
                }

                _repeats.Seen[shape] = new Repeated(_prefix + text, _prefix);
            }
            else if (connected)
            {
                SumUp();
            }

            _out.WriteLine(_prefix + text);
        }
    }

    private void SumUp()
    {
        foreach (var seen in _repeats.Seen.Values)
        {
            if (seen.Count > seen.Shown)
            {
                _out.WriteLine(seen.Line + " (" + seen.Describe() + " in all)");
            }
        }

        _repeats.Seen.Clear();
    }

    private static bool IsPowerOfTen(int n)
    {
        while (n >= 10 && n % 10 == 0)
        {
            n /= 10;
        }

        return n == 1;
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();

    /// <summary>The warnings seen so far, by their words without numbers (guarded by the writer's lock).</summary>
    public sealed class Repeats
    {
        internal Dictionary<string, Repeated> Seen { get; } = new(StringComparer.Ordinal);
    }

    internal sealed class Repeated
    {
        public Repeated(string line, string device)
        {
            Line = line;
            Devices.Add(device);
        }

        public string Line { get; }

        public DateTime First { get; } = DateTime.Now;

        public HashSet<string> Devices { get; } = new(StringComparer.Ordinal);

        public int Count { get; set; } = 1;

        public int Shown { get; set; } = 1;

        public string Describe() => Count + " times" + (Devices.Count > 1 ? " from " + Devices.Count + " devices" : "") + " since "
            + First.ToString("HH:mm:ss");
    }
}
