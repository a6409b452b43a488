using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;

namespace CotaFirmware.Host.Cloud;

/// <summary>The ports (and the console token) a platform on a data folder listens with, kept in
/// <c>platform.json</c> so a restart listens where its devices and browsers already point.</summary>
public sealed class PlatformPorts
{
    /// <summary>The file name in the data folder.</summary>
    public const string FileName = "platform.json";

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>MQTT over plain TCP.</summary>
    public int Mqtt { get; set; }

    /// <summary>MQTT over TLS.</summary>
    public int MqttTls { get; set; }

    /// <summary>HTTPS (registration, downloads).</summary>
    public int Https { get; set; }

    /// <summary>The web console (plain HTTP on loopback), 0 when it never ran.</summary>
    public int Console { get; set; }

    /// <summary>The token every console request carries.</summary>
    public string ConsoleToken { get; set; } = "";

    /// <summary>The ports recorded in <paramref name="dataFolder"/>, or null on a first run.</summary>
    public static PlatformPorts? Load(string dataFolder)
    {
        var path = Path.Combine(dataFolder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<PlatformPorts>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException(path + " is not readable (" + e.Message + "): delete it to take new ports");
        }
    }

    /// <summary>Writes the file (owner-only: it holds the console token).</summary>
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
