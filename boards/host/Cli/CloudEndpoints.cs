using System.Text.Json;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.Host.Cli;

/// <summary>What a running <c>cloud</c> command writes to <c>cloud.json</c> in its data folder, so other commands find it.</summary>
public sealed class CloudEndpoints
{
    /// <summary>The file name in the data folder.</summary>
    public const string FileName = "cloud.json";

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The host everything listens on.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>MQTT over plain TCP.</summary>
    public int MqttPort { get; set; }

    /// <summary>MQTT over TLS.</summary>
    public int MqttTlsPort { get; set; }

    /// <summary>HTTPS: registration and config downloads.</summary>
    public int HttpsPort { get; set; }

    /// <summary>The platform CA (PEM file).</summary>
    public string CaPemPath { get; set; } = "";

    /// <summary>The web console's port (the page and the API publish, status and device use).</summary>
    public int ConsolePort { get; set; }

    /// <summary>The token every console request carries (the file is readable only by its owner).</summary>
    public string Token { get; set; } = "";

    /// <summary>The console page's address, token included.</summary>
    public string ConsoleAddress => "http://127.0.0.1:" + ConsolePort + "/?token=" + Token;

    /// <summary>The process running the platform.</summary>
    public int ProcessId { get; set; }

    /// <summary>Writes the file into <paramref name="dataFolder"/>, readable only by the owner where the system allows.</summary>
    public void Save(string dataFolder)
    {
        OwnerOnlyFile.Write(Path.Combine(dataFolder, FileName), JsonSerializer.Serialize(this, Json));
    }

    /// <summary>Reads the file of a running platform in <paramref name="dataFolder"/>.</summary>
    /// <exception cref="UsageException">No platform runs on that folder.</exception>
    public static CloudEndpoints Load(string dataFolder)
    {
        string path = Path.Combine(dataFolder, FileName);
        if (!File.Exists(path))
        {
            throw new UsageException("no local platform runs on '" + dataFolder + "': start one with `cota-host cloud --data " + dataFolder + "`");
        }

        return JsonSerializer.Deserialize<CloudEndpoints>(File.ReadAllText(path))
            ?? throw new UsageException("'" + path + "' is not a platform endpoints file");
    }
}
