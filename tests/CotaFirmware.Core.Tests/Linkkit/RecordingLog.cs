using System.Collections;
using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>Keeps every log line so tests can look for what must (not) be said.</summary>
public sealed class RecordingLog : ILog
{
    private readonly ArrayList _lines = new ArrayList();

    /// <summary>The number of lines written.</summary>
    public int Count => _lines.Count;

    /// <inheritdoc/>
    public void Write(LogLevel level, string area, string message) => _lines.Add(area + ": " + message);

    /// <summary>True when some line contains <paramref name="text"/>.</summary>
    public bool Contains(string text)
    {
        foreach (string line in _lines)
        {
            if (line.IndexOf(text) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every line, one per line of text.</summary>
    public override string ToString()
    {
        string text = string.Empty;
        foreach (string line in _lines)
        {
            text = text + line + "\n";
        }

        return text;
    }
}
