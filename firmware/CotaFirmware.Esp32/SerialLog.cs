using System;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>Log lines to the serial console (and the debugger's output window), as an <see cref="ILog"/>.</summary>
/// <remarks>
/// <c>Console.WriteLine</c>, not <c>Debug.WriteLine</c>: the latter is compiled out of Release builds, so a device
/// flashed with a Release build would say nothing.
/// </remarks>
public sealed class SerialLog : ILog
{
    private readonly LogLevel _minimum;

    /// <summary>Writes lines of <paramref name="minimum"/> and above.</summary>
    public SerialLog(LogLevel minimum)
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
        Console.WriteLine(tag + area + ": " + message);
    }
}
