using System.Diagnostics;

namespace CotaFirmware.NanoBuild;

/// <summary>Runs the build's tools (csc, nanomdp, nanoclr) as child processes.</summary>
public static class ToolProcess
{
    /// <summary>The dotnet host this process runs on.</summary>
    public static string Dotnet =>
        Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    /// <summary>The machine's one-minute load average ("?" where /proc/loadavg is absent): the tools' wall times move with it.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>Runs a program to its end (or kills it at <paramref name="timeout"/>, exit code -1) and returns its exit code and its output.</summary>
    /// <param name="environment">Variables set for the program beside the inherited ones, or null.</param>
    public static (int Exit, string Stdout, string Stderr) Run(string program, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        using var proc = Process.Start(psi)!;
        var stdout = proc.StandardOutput.ReadToEndAsync();
        var stderr = proc.StandardError.ReadToEndAsync();
        if (!proc.WaitForExit(timeout))
        {
            proc.Kill(entireProcessTree: true);
            proc.WaitForExit();
            return (-1, stdout.Result, stderr.Result);
        }

        proc.WaitForExit();
        return (proc.ExitCode, stdout.Result, stderr.Result);
    }
}
