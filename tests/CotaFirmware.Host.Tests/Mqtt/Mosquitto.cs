using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CotaFirmware.HostTests.Mqtt;

/// <summary>A mosquitto broker of the test's own, on a free loopback port, with a generated config; stopped on Dispose.</summary>
public sealed class Mosquitto : IDisposable
{
    private readonly TempFolder _folder;
    private readonly string _config;
    private readonly object _logLock = new();
    private readonly System.Text.StringBuilder _log = new();
    private Process? _process;

    public int Port { get; }

    public string Folder => _folder.Path;

    private Mosquitto(int port, TempFolder folder, string config)
    {
        Port = port;
        _folder = folder;
        _config = config;
    }

    public static string Binary =>
        File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";

    /// <summary>Starts a broker; <paramref name="listenerLines"/> go under the listener (for TLS), <paramref name="folder"/> holds extra files (the broker deletes it on Dispose).</summary>
    public static Mosquitto Start(string listenerLines = "", TempFolder? folder = null)
    {
        folder ??= NewFolder();
        int port = FreePort();
        string config = Path.Combine(folder.Path, "mosquitto.conf");
        File.WriteAllText(config,
            $"listener {port} 127.0.0.1\nallow_anonymous true\n{listenerLines}\npersistence false\n" +
            "log_dest stderr\nlog_type all\nconnection_messages true\n");
        var broker = new Mosquitto(port, folder, config);
        try
        {
            broker.Run();
        }
        catch
        {
            // A broker that never listened still takes its folder with it.
            broker.Dispose();
            throw;
        }

        return broker;
    }

    public static TempFolder NewFolder()
    {
        var folder = new TempFolder("mosquitto");
        Directory.CreateDirectory(folder.Path);
        return folder;
    }

    public string Log
    {
        get
        {
            lock (_logLock)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Waits until the broker has logged <paramref name="text"/>, woken by each line it logs; false when the timeout passed first.</summary>
    public bool WaitForLog(string text, int timeoutMs = 5000)
    {
        long until = Environment.TickCount64 + timeoutMs;
        lock (_logLock)
        {
            bool seen;
            while (!(seen = _log.ToString().Contains(text, StringComparison.Ordinal)) && until > Environment.TickCount64)
            {
                Monitor.Wait(_logLock, (int)(until - Environment.TickCount64));
            }

            return seen;
        }
    }

    /// <summary>Kills the broker process at once (SIGKILL): no goodbye to its clients.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts the broker again on the same port with the same config.</summary>
    public void Restart() => Run();

    private void Run()
    {
        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(_config);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => Append(e.Data);
        p.ErrorDataReceived += (_, e) => Append(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _process = p;
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < 10000)
        {
            if (p.HasExited)
            {
                throw new InvalidOperationException("mosquitto exited: " + Log);
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        throw new InvalidOperationException("mosquitto did not listen on " + Port + ": " + Log);
    }

    private void Append(string? line)
    {
        if (line == null)
        {
            return;
        }

        lock (_logLock)
        {
            _log.AppendLine(line);
            Monitor.PulseAll(_logLock);
        }
    }

    public void Dispose()
    {
        Kill();
        _folder.Dispose();
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
