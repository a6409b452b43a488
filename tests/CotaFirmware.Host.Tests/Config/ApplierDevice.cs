using CotaFirmware.Config;
using CotaFirmware.Config.Modules;
using CotaFirmware.Host.Board;
using CotaFirmware.Network;

namespace CotaFirmware.HostTests.Config;

/// <summary>
/// One firmware instance on the host below the COTA layer: store, the sample modules, the applier, and Wi-Fi brought
/// up with the credentials the config gave. The test plays the COTA layer (confirm, roll back).
/// </summary>
public sealed class ApplierDevice : INetworkListener
{
    public const int TrialBoots = 3;

    private readonly IRadio? _radio;
    private readonly WifiConnection? _wifi;

    public ApplierDevice(IStorage storage, IRadio? radio)
    {
        Store = new ConfigStore(storage, new byte[512], 1 << 16, TrialBoots);
        Telemetry = new TelemetryIntervalModule(60);
        Wifi = new WifiCredentialsModule("plant", "factory-pass");
        var registry = new ModuleRegistry(4);
        registry.Register(Telemetry);
        registry.Register(Wifi);
        Applier = new ConfigApplier(Store, registry, null, new byte[128], new byte[128], 8);
        BootStatus = Applier.Boot();
        _radio = radio;
        if (radio != null)
        {
            var settings = new WifiSettings(Wifi.Ssid, Wifi.Password) { BackoffMinMs = 1000, BackoffMaxMs = 8000, JoinTimeoutMs = 5000 };
            _wifi = new WifiConnection(radio, settings, this, null, null, 7);
            _wifi.Start();
        }
    }

    public ConfigStore Store { get; }

    public TelemetryIntervalModule Telemetry { get; }

    public WifiCredentialsModule Wifi { get; }

    public ConfigApplier Applier { get; }

    public ConfigStatus BootStatus { get; }

    public bool Online => _wifi?.IsOnline == true;

    public void Step(long nowMs) => _wifi?.Step(nowMs);

    public void OnNetworkReady()
    {
    }

    public void OnNetworkLost(NetworkFailure reason)
    {
    }

    /// <summary>Stages <paramref name="json"/> as config <paramref name="id"/> (what the COTA layer does) and applies it.</summary>
    public bool Offer(string id, string json)
    {
        byte[] idBytes = System.Text.Encoding.ASCII.GetBytes(id);
        byte[] content = System.Text.Encoding.UTF8.GetBytes(json);
        var status = Store.Begin(idBytes, 0, idBytes.Length, content.Length);
        for (int done = 0; status == ConfigStatus.Ok && done < content.Length; done += 40)
        {
            status = Store.Append(content, done, Math.Min(40, content.Length - done));
        }

        byte[] digest = System.Security.Cryptography.SHA256.HashData(content);
        while (status == ConfigStatus.Ok || status == ConfigStatus.InProgress)
        {
            status = Store.Seal(digest, 0);
            if (status == ConfigStatus.Ok)
            {
                return Applier.ApplyCandidate() == ConfigStatus.Ok;
            }
        }

        return false;
    }

    public string ActiveId()
    {
        var id = new byte[ConfigStore.MaxConfigIdLength];
        int n = Store.CopyActiveConfigId(id, 0);
        return n < 0 ? "" : System.Text.Encoding.ASCII.GetString(id, 0, n);
    }
}
