using System.Text.RegularExpressions;
using CotaFirmware.Platform;
using LogLevel = CotaFirmware.Platform.LogLevel;

namespace CotaFirmware.Host.Cli;

/// <summary>The firmware's log on the host: one line per entry, prefixed with the device, to a shared writer. A
/// warning that repeats (the same words, whatever its numbers) is printed once, then at its 10th, 100th, ...
/// time with the count, and summed up when the device connects again.</summary>
public sealed partial class ConsoleLog : ILog
{
    private readonly TextWriter _out;
    private readonly string _prefix;
    private readonly LogLevel _min;
    private readonly Dictionary<string, Repeated> _repeats = new(StringComparer.Ordinal);

    /// <summary>Writes lines of <paramref name="min"/> and above for device <paramref name="device"/>.</summary>
    public ConsoleLog(TextWriter output, string device, LogLevel min)
    {
        _out = output;
        _prefix = "  [" + device + "] ";
        _min = min;
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

        if (level < _min)
        {
            return;
        }

        string mark = level switch { LogLevel.Warning => "warning: ", LogLevel.Error => "error: ", _ => "" };
        string line = _prefix + area + ": " + mark + message;
        lock (_out)
        {
            if (level >= LogLevel.Warning)
            {
                string shape = Digits().Replace(line, "#");
                if (_repeats.TryGetValue(shape, out var seen))
                {
                    seen.Count++;
                    if (IsPowerOfTen(seen.Count))
                    {
                        _out.WriteLine(line + " (" + seen.Count + " times since " + seen.First.ToString("HH:mm:ss") + ")");
                        seen.Shown = seen.Count;
                    }

                    return;
                }

                _repeats[shape] = new Repeated(line, DateTime.Now);
            }
            else if (area == "linkkit" && message.StartsWith("connected", StringComparison.Ordinal))
            {
                SumUp();
            }

            _out.WriteLine(line);
        }
    }

    private void SumUp()
    {
        foreach (var seen in _repeats.Values)
        {
            if (seen.Count > seen.Shown)
            {
                _out.WriteLine(seen.Line + " (" + seen.Count + " times in all, since " + seen.First.ToString("HH:mm:ss") + ")");
            }
        }

        _repeats.Clear();
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

    private sealed class Repeated
    {
        public Repeated(string line, DateTime first)
        {
            Line = line;
            First = first;
        }

        public string Line { get; }

        public DateTime First { get; }

        public int Count { get; set; } = 1;

        public int Shown { get; set; } = 1;
    }
}
