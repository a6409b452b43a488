using System.Diagnostics;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>Log lines to the debugger's output window (and the serial console), as an <see cref="ILog"/>.</summary>
public sealed class DebugLog : ILog
{
    private readonly LogLevel _minimum;

    /// <summary>Writes lines of <paramref name="minimum"/> and above.</summary>
    public DebugLog(LogLevel minimum)
    {
        _minimum = minimum;
    }

    /// <inheritdoc />
    public void Write(LogLevel level, string area, string message)
    {
        if (level < _minimum)
        {
            return;
        }

        string tag = level == LogLevel.Debug ? "D " : level == LogLevel.Info ? "I " : level == LogLevel.Warning ? "W " : "E ";
        Debug.WriteLine(tag + area + ": " + message);
    }
}
