using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;

namespace CotaFirmware.Host.Cloud;

/// <summary>Where the platform of a data folder listens, kept in <c>platform.json</c>: a restart listens on the same
/// ports (devices and console pages already point there), and the command line finds the running platform by it.</summary>
public sealed class PlatformEndpoints
{
    /// <summary>The file name in the data folder.</summary>
    public const string FileName = "platform.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The host name devices use.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>MQTT over plain TCP.</summary>
    public int MqttPort { get; set; }

    /// <summary>MQTT over TLS.</summary>
    public int MqttTlsPort { get; set; }

    /// <summary>HTTPS (registration, downloads).</summary>
    public int HttpsPort { get; set; }

    /// <summary>The web console (plain HTTP on loopback), 0 when it never ran.</summary>
    public int ConsolePort { get; set; }

    /// <summary>The token every console request carries (the file is readable by its owner only).</summary>
    public string ConsoleToken { get; set; } = "";

    /// <summary>The platform's CA certificate (PEM file).</summary>
    public string CaPemPath { get; set; } = "";

    /// <summary>The process running the platform now, 0 when it stopped (a killed one leaves its id).</summary>
    public int ProcessId { get; set; }

    /// <summary>When that process started (UTC), null in a file written before it was recorded: after a reboot or a
    /// kill -9, another program may hold the id, and its start tells them apart.</summary>
    public DateTimeOffset? ProcessStartedAt { get; set; }

    /// <summary>The console page's address, token included.</summary>
    public string ConsoleAddress => "http://127.0.0.1:" + ConsolePort + "/?token=" + ConsoleToken;

    /// <summary>True when <see cref="ProcessId"/> names a live process other than this one, started when <see cref="ProcessStartedAt"/> says.</summary>
    public bool RunsElsewhere
    {
        get
        {
            if (ProcessId == 0 || ProcessId == Environment.ProcessId)
            {
                return false;
            }
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(ProcessId);
                // A start read again later moves with clock adjustments (Linux derives it from the uptime): seconds
                // apart is the same process; an id taken over after a reboot or a wrap started minutes or more later.
                return !process.HasExited && (ProcessStartedAt is not { } started
                    || (process.StartTime.ToUniversalTime() - started.UtcDateTime).Duration() < TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is ArgumentException || e is InvalidOperationException || e is System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }
    }

    /// <summary>True when the platform that wrote the file is running (in this process or another).</summary>
    public bool IsRunning => ProcessId == Environment.ProcessId || RunsElsewhere;

    /// <summary>What <paramref name="dataFolder"/> records, or null when no platform ever ran there.</summary>
    public static PlatformEndpoints? Load(string dataFolder)
    {
        var path = Path.Combine(dataFolder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<PlatformEndpoints>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new DamagedDataException(path + " is damaged (not the platform's JSON, at line " + ((e.LineNumber ?? 0) + 1) + "): delete it to take new ports");
        }
    }

    /// <summary>Writes the file, owner-only (it holds the console token).</summary>
    public void Save(string dataFolder) =>
        OwnerOnlyFile.Write(Path.Combine(dataFolder, FileName), JsonSerializer.SerializeToUtf8Bytes(this, Json));

    /// <summary>A new console token.</summary>
    public static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    /// <summary>Throws a clear error when <paramref name="port"/>, recorded for <paramref name="what"/>, is held by
    /// another program.</summary>
    public static void RequireFree(int port, string what, string dataFolder)
    {
        if (port == 0)
        {
            return;
        }
        var probe = new TcpListener(IPAddress.Loopback, port);
        try
        {
            probe.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            throw new PortTakenException("port " + port + " (" + what + "), where the platform of "
                + dataFolder + " listened before, is taken by another program. Stop that program, or delete "
                + Path.Combine(dataFolder, FileName) + " to take new ports (devices must then be given them).");
        }
        finally
        {
            probe.Stop();
        }
    }
}
