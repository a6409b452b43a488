using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CotaFirmware.HostTests.Mqtt;

/// <summary>A mosquitto broker of the test's own, on a free loopback port, with a generated config; stopped on Dispose.</summary>
public sealed class Mosquitto : IDisposable
{
    private readonly string _config;
    private readonly object _logLock = new();
    private readonly System.Text.StringBuilder _log = new();
    private Process? _process;

    public int Port { get; }

    public string Folder { get; }

    private Mosquitto(int port, string folder, string config)
    {
        Port = port;
        Folder = folder;
        _config = config;
    }

    public static string Binary =>
        File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";

    /// <summary>Starts a broker; <paramref name="listenerLines"/> go under the listener (for TLS), <paramref name="folder"/> holds extra files.</summary>
    public static Mosquitto Start(string listenerLines = "", string? folder = null)
    {
        folder ??= NewFolder();
        int port = FreePort();
        string config = Path.Combine(folder, "mosquitto.conf");
        File.WriteAllText(config,
            $"listener {port} 127.0.0.1\nallow_anonymous true\n{listenerLines}\npersistence false\n" +
            "log_dest stderr\nlog_type all\nconnection_messages true\n");
        var broker = new Mosquitto(port, folder, config);
        broker.Run();
        return broker;
    }

    public static string NewFolder()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mosquitto-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
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
        }
    }

    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
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
