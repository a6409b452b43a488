using CotaFirmware.Platform;
using LogLevel = CotaFirmware.Platform.LogLevel;

namespace CotaFirmware.Host.Cli;

/// <summary>The firmware's log on the host: one line per entry, prefixed with the device, to a shared writer.</summary>
public sealed class ConsoleLog : ILog
{
    private readonly TextWriter _out;
    private readonly string _prefix;
    private readonly LogLevel _min;

    /// <summary>Writes lines of <paramref name="min"/> and above for device <paramref name="device"/>.</summary>
    public ConsoleLog(TextWriter output, string device, LogLevel min)
    {
        _out = output;
        _prefix = "  [" + device + "] ";
        _min = min;
    }

    /// <summary>Also told every line (the demo watches for steps); may be null.</summary>
    public Action<string, string>? Seen { get; set; }

    /// <inheritdoc/>
    public void Write(LogLevel level, string area, string message)
    {
        Seen?.Invoke(area, message);
        if (level < _min)
        {
            return;
        }

        string mark = level switch { LogLevel.Warning => "warning: ", LogLevel.Error => "error: ", _ => "" };
        lock (_out)
        {
            _out.WriteLine(_prefix + area + ": " + mark + message);
        }
    }
}
