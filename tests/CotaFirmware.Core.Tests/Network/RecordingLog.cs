using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Network;

/// <summary>A log that keeps every line in one string, for checks on what was logged.</summary>
public sealed class RecordingLog : ILog
{
    private string _text = "";

    /// <summary>How many lines were written.</summary>
    public int Lines;

    /// <inheritdoc/>
    public void Write(LogLevel level, string area, string message)
    {
        Lines++;
        _text = _text + area + ": " + message + "\n";
    }

    /// <summary>Whether any line contains <paramref name="part"/>.</summary>
    public bool Contains(string part) => _text.IndexOf(part) >= 0;
}
