using System.Collections;
using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Platform;

/// <summary>
/// The tests' <see cref="ILog"/>: keeps every line, <c>area: message</c>, in the order written (from any thread), so
/// a test can look for what must be said and what must never be (a secret).
/// </summary>
public sealed class RecordingLog : ILog
{
    private readonly ArrayList _lines = new ArrayList();
    private int _count;

    /// <summary>Cleared, lines are only counted, not kept, so writing allocates nothing (for benchmarks and long fuzz runs).</summary>
    public bool KeepsLines = true;

    /// <summary>When set, the next line holding this text throws OutOfMemoryException instead of being written, as a board out of memory for the line's string does; then it is cleared.</summary>
    public string RunsOutOfMemoryOn;

    /// <summary>How many lines were written.</summary>
    public int Count
    {
        get
        {
            lock (_lines)
            {
                return _count;
            }
        }
    }

    /// <inheritdoc/>
    public void Write(LogLevel level, string area, string message)
    {
        string failOn = RunsOutOfMemoryOn;
        if (failOn != null && message.IndexOf(failOn) >= 0)
        {
            RunsOutOfMemoryOn = null;
            throw new System.OutOfMemoryException();
        }

        lock (_lines)
        {
            _count++;
            if (KeepsLines)
            {
                _lines.Add(area + ": " + message);
            }
        }
    }

    /// <summary>Line <paramref name="index"/>, counted from the first written.</summary>
    public string Line(int index)
    {
        lock (_lines)
        {
            return (string)_lines[index];
        }
    }

    /// <summary>True when some line contains <paramref name="text"/> (ordinal).</summary>
    public bool Contains(string text)
    {
        lock (_lines)
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
    }

    /// <summary>Every line, each ended by a newline.</summary>
    public override string ToString()
    {
        lock (_lines)
        {
            string text = string.Empty;
            foreach (string line in _lines)
            {
                text = text + line + "\n";
            }

            return text;
        }
    }
}
