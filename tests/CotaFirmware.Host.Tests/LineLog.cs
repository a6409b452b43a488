using CotaFirmware.Platform;

namespace CotaFirmware.HostTests;

/// <summary>Keeps the firmware's log lines (from any thread) so a test can look for what was said.</summary>
public sealed class LineLog : ILog
{
    private readonly List<string> _lines = new();

    /// <summary>Every line so far, one per line.</summary>
    public string Text
    {
        get
        {
            lock (_lines)
            {
                return string.Join("\n", _lines);
            }
        }
    }

    /// <inheritdoc/>
    public void Write(LogLevel level, string area, string message)
    {
        lock (_lines)
        {
            _lines.Add(level + " " + area + ": " + message);
        }
    }
}
