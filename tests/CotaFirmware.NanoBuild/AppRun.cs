using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CotaFirmware.NanoBuild;

/// <summary>
/// One boot of a nanoFramework application on nanoCLR: drive <c>I:\</c> in a host folder, a managed heap of a set size,
/// its output read line by line as it comes, so that a caller can wait for a line, kill the interpreter (a power cut)
/// or wait for it to end (a reboot ends the run).
/// </summary>
public sealed class AppRun : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string>? _echo;
    private int _readersDone;

    private AppRun(Process process, Action<string>? echo)
    {
        _process = process;
        _echo = echo;
    }

    /// <summary>The interpreter's exit code; null while it runs.</summary>
    public int? Exit { get; private set; }

    /// <summary>Every line printed so far (stdout and stderr, in arrival order).</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    /// <summary>
    /// Starts nanoCLR on <paramref name="load"/> (mscorlib first, the application last) with <paramref name="flashFolder"/>
    /// as <c>I:\</c> and a managed heap of <paramref name="heapBytes"/>; <paramref name="environment"/> adds variables
    /// (NANOCLR_ALLOC_STATS, say); <paramref name="echo"/> sees every line as it arrives.
    /// </summary>
    public static AppRun Start(IReadOnlyList<string> load, string flashFolder, int heapBytes,
        IReadOnlyDictionary<string, string>? environment = null, Action<string>? echo = null)
    {
        var psi = new ProcessStartInfo(NanoTools.Nanoclr)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--heap-bytes");
        psi.ArgumentList.Add(heapBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (string pe in load)
        {
            psi.ArgumentList.Add(pe);
        }

        psi.Environment["NANOCLR_DRIVE_I"] = flashFolder;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var run = new AppRun(process, echo);
        process.OutputDataReceived += (_, e) => run.Receive(e.Data);
        process.ErrorDataReceived += (_, e) => run.Receive(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Waits for the first line, from <paramref name="from"/> on, that <paramref name="pattern"/> matches.</summary>
    /// <returns>Its index in <see cref="Lines"/>.</returns>
    /// <exception cref="TimeoutException">No such line within <paramref name="timeout"/>, or the interpreter ended first; the message holds the last lines.</exception>
    public async Task<int> WaitForLineAsync(string pattern, TimeSpan timeout, int from = 0)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_lines)
            {
                for (int i = from; i < _lines.Count; i++)
                {
                    if (regex.IsMatch(_lines[i]))
                    {
                        return i;
                    }
                }

                if (Exit != null)
                {
                    throw new TimeoutException("nanoCLR ended (exit " + Exit + ") without a line matching '" + pattern + "'; last lines:\n" + Tail(25));
                }
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException("no line matching '" + pattern + "' within " + timeout.TotalSeconds + " s; last lines:\n" + Tail(25));
            }

            await Task.WhenAny(_exited.Task, Task.Delay(50));
        }
    }

    /// <summary>Waits for the interpreter to end by itself (the application's reboot ends a run).</summary>
    /// <exception cref="TimeoutException">It still runs after <paramref name="timeout"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        if (await Task.WhenAny(_exited.Task, Task.Delay(timeout)) != _exited.Task)
        {
            throw new TimeoutException("nanoCLR still runs after " + timeout.TotalSeconds + " s; last lines:\n" + Tail(25));
        }

        return Exit!.Value;
    }

    /// <summary>Kills the interpreter at once, as a power cut would stop the device, and waits for it to be gone.</summary>
    public void Kill()
    {
        if (Exit == null)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended meanwhile.
            }
        }

        _process.WaitForExit();
        _exited.Task.Wait(TimeSpan.FromSeconds(10));
    }

    /// <summary>The last <paramref name="count"/> lines, one per line.</summary>
    public string Tail(int count)
    {
        lock (_lines)
        {
            return string.Join("\n", _lines.Skip(Math.Max(0, _lines.Count - count)));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    // Called on the process's reader threads; null marks the end of one stream, and the run ends when both have.
    private void Receive(string? line)
    {
        if (line == null)
        {
            if (Interlocked.Increment(ref _readersDone) == 2)
            {
                // Not on this thread: WaitForExit waits for the readers, this callback among them.
                Task.Run(() =>
                {
                    _process.WaitForExit();
                    lock (_lines)
                    {
                        Exit = _process.ExitCode;
                    }

                    _exited.TrySetResult();
                });
            }

            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        _echo?.Invoke(line);
    }
}
