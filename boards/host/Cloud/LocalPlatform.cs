using CotaFirmware.Host.Cloud.Broker;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Files;
using CotaFirmware.Host.Cloud.Registry;
using CotaFirmware.Host.Cloud.Web;

namespace CotaFirmware.Host.Cloud;

/// <summary>A stand-in for Alibaba Cloud IoT Platform on loopback: device registry, MQTT broker (TCP and TLS)
/// with Aliyun authentication, HTTPS dynamic registration, and the cloud side of remote configuration with its config file server.</summary>
/// <example>
/// <code>
/// await using var platform = await LocalPlatform.StartAsync();
/// var product = platform.Registry.AddProduct();
/// var device = platform.Registry.AddDevice(product.ProductKey, "dev1");
/// var config = platform.Cota.PublishConfig(product.ProductKey, "{\"led\":1}");
/// var pushes = await platform.Cota.PushAsync(product.ProductKey);
/// var reply = await platform.Cota.WaitForPushReplyAsync(pushes[0], TimeSpan.FromSeconds(5));
/// </code>
/// </example>
public sealed class LocalPlatform : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping;
    private readonly PlatformHttpsServer _https;
    private WebConsole? _console;
    private PlatformEndpoints _endpoints = new();
    private readonly bool _ownsFolder;
    private int _stopped;

    private LocalPlatform(PlatformSettings settings, string dataFolder, bool ownsFolder, DeviceRegistry registry,
        PlatformCertificates certificates, PlatformBroker broker, ConfigFileServer files, PlatformHttpsServer https,
        PlatformCota cota, FleetHistory history, CancellationTokenSource stopping)
    {
        History = history;
        Settings = settings;
        DataFolder = dataFolder;
        _ownsFolder = ownsFolder;
        Registry = registry;
        Certificates = certificates;
        Broker = broker;
        Files = files;
        _https = https;
        Cota = cota;
        _stopping = stopping;
    }

    /// <summary>The settings it was started with.</summary>
    public PlatformSettings Settings { get; }

    /// <summary>The data folder (registry.json, ca.pem, configs/).</summary>
    public string DataFolder { get; }

    /// <summary>Products, devices, configs and per-device COTA state.</summary>
    public DeviceRegistry Registry { get; }

    /// <summary>The CA and server certificate.</summary>
    public PlatformCertificates Certificates { get; }

    /// <summary>The MQTT broker.</summary>
    public PlatformBroker Broker { get; }

    /// <summary>The config file server (fault injection, request log).</summary>
    public ConfigFileServer Files { get; }

    /// <summary>The cloud side of remote configuration (publish, push, device messages).</summary>
    public PlatformCota Cota { get; }

    /// <summary>Offers, downloads and results over time.</summary>
    public FleetHistory History { get; }

    /// <summary>Where it listens (also in the data folder's platform.json).</summary>
    public PlatformEndpoints Endpoints => _endpoints;

    /// <summary>The web console, or null when the settings did not ask for it.</summary>
    public WebConsole? Console => _console;

    /// <summary>The host name devices use (127.0.0.1 unless the settings say localhost).</summary>
    public string Host => Settings.Host;

    /// <summary>MQTT over plain TCP (securemode=3).</summary>
    public int MqttPort => Broker.Port;

    /// <summary>MQTT over TLS (securemode=2).</summary>
    public int MqttTlsPort => Broker.TlsPort;

    /// <summary>The HTTPS port (registration and downloads).</summary>
    public int HttpsPort => _https.Port;

    /// <summary>https://{Host}:{HttpsPort}.</summary>
    public Uri HttpsBase => new("https://" + Host + ":" + HttpsPort);

    /// <summary>The dynamic-registration endpoint.</summary>
    public Uri RegistrationUri => new(HttpsBase, "/auth/register/device");

    /// <summary>Path of the CA certificate (PEM) that devices must trust.</summary>
    public string CaPemPath => Certificates.CaPemPath;

    /// <summary>The CA certificate (PEM).</summary>
    public string CaPem => Certificates.CaPem;

    /// <summary>The console's picture of devices, configs and rollouts now.</summary>
    public async Task<FleetSnapshot> SnapshotAsync() =>
        FleetView.Snapshot(Registry, History, await Broker.OnlineDevicesAsync(),
            new PlatformView(Host, MqttTlsPort, MqttPort, HttpsPort, DataFolder, DateTimeOffset.UtcNow,
                Settings.MaxConfigSize));

    /// <summary>Starts everything on 127.0.0.1.</summary>
    public static async Task<LocalPlatform> StartAsync(PlatformSettings? settings = null)
    {
        settings ??= new PlatformSettings();
        var ownsFolder = settings.DataFolder is null;
        // A relative folder is the caller's: resolve it against the current directory, never the program's.
        var folder = Path.GetFullPath(settings.DataFolder
            ?? Path.Combine(Path.GetTempPath(), "cota-platform-" + Guid.NewGuid().ToString("N")[..12]));
        OwnerOnlyFile.CreateFolder(folder);
        // A kept folder keeps its ports: a restarted platform listens where its devices already point.
        var recorded = ownsFolder ? null : PlatformEndpoints.Load(folder);
        if (recorded is { RunsElsewhere: true })
        {
            throw new PortTakenException("a platform already runs on " + folder + " (process " + recorded.ProcessId + ")");
        }
        var endpoints = new PlatformEndpoints
        {
            Host = settings.Host,
            MqttPort = settings.MqttPort != 0 ? settings.MqttPort : recorded?.MqttPort ?? 0,
            MqttTlsPort = settings.MqttTlsPort != 0 ? settings.MqttTlsPort : recorded?.MqttTlsPort ?? 0,
            HttpsPort = settings.HttpsPort != 0 ? settings.HttpsPort : recorded?.HttpsPort ?? 0,
            ConsolePort = settings.ConsolePort != 0 ? settings.ConsolePort : recorded?.ConsolePort ?? 0,
            ConsoleToken = string.IsNullOrEmpty(recorded?.ConsoleToken) ? PlatformEndpoints.NewToken() : recorded.ConsoleToken,
        };
        PlatformEndpoints.RequireFree(endpoints.MqttPort, "MQTT over TCP", folder);
        PlatformEndpoints.RequireFree(endpoints.MqttTlsPort, "MQTT over TLS", folder);
        PlatformEndpoints.RequireFree(endpoints.HttpsPort, "HTTPS", folder);
        if (settings.Console)
        {
            PlatformEndpoints.RequireFree(endpoints.ConsolePort, "web console", folder);
        }
        var stopping = new CancellationTokenSource();
        PlatformBroker? broker = null;
        PlatformHttpsServer? https = null;
        try
        {
            var registry = new DeviceRegistry(folder);
            var history = FleetHistory.SeededFrom(registry);
            var certificates = PlatformCertificates.LoadOrCreate(folder);
            broker = await StartBrokerAsync(registry, settings, certificates, endpoints.MqttPort, endpoints.MqttTlsPort);
            broker.OnPresenceChanged(history.Touch);
            var files = new ConfigFileServer(registry, history, folder, stopping.Token);
            https = await PlatformHttpsServer.StartAsync(settings, endpoints.HttpsPort, folder, certificates, registry, files);
            files.BaseUrl = "https://" + settings.Host + ":" + https.Port;
            var cota = new PlatformCota(registry, broker, files, history, settings);
            var platform = new LocalPlatform(settings, folder, ownsFolder, registry, certificates, broker, files, https, cota,
                history, stopping);
            if (settings.Console)
            {
                platform._console = await WebConsole.StartAsync(platform, endpoints.ConsolePort, endpoints.ConsoleToken);
            }
            endpoints.MqttPort = broker.Port;
            endpoints.MqttTlsPort = broker.TlsPort;
            endpoints.HttpsPort = https.Port;
            endpoints.ConsolePort = platform._console?.Port ?? endpoints.ConsolePort;
            endpoints.CaPemPath = certificates.CaPemPath;
            endpoints.ProcessId = Environment.ProcessId;
            using (var self = System.Diagnostics.Process.GetCurrentProcess())
            {
                endpoints.ProcessStartedAt = self.StartTime.ToUniversalTime();
            }
            platform._endpoints = endpoints;
            if (!ownsFolder)
            {
                endpoints.Save(folder);
            }
            settings.Log?.Invoke("platform: mqtt tcp " + broker.Port + ", mqtt tls " + broker.TlsPort + ", https "
                + https.Port + (platform._console != null ? ", console " + platform._console.Port : "") + ", data " + folder);
            return platform;
        }
        catch
        {
            if (https != null)
            {
                await https.DisposeAsync();
            }
            if (broker != null)
            {
                await broker.DisposeAsync();
            }
            stopping.Dispose();
            if (ownsFolder)
            {
                TryDelete(folder);
            }
            throw;
        }
    }

    /// <summary>Stops every server (hanging downloads are cut) and, for a temporary folder, deletes it.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        _stopping.Cancel();
        if (_console != null)
        {
            await _console.DisposeAsync();
        }
        await _https.DisposeAsync();
        await Broker.DisposeAsync();
        if (!_ownsFolder && Directory.Exists(DataFolder))
        {
            // Stopped: the addresses stay for the next start, and no one takes them for a running platform.
            _endpoints.ProcessId = 0;
            _endpoints.ProcessStartedAt = null;
            _endpoints.Save(DataFolder);
        }
        Certificates.Dispose();
        _stopping.Dispose();
        if (_ownsFolder)
        {
            TryDelete(DataFolder);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync();

    private static async Task<PlatformBroker> StartBrokerAsync(DeviceRegistry registry, PlatformSettings settings,
        PlatformCertificates certificates, int port, int tlsPort)
    {
        // A free port found first can be taken by someone else before the broker binds it: try again then.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await PlatformBroker.StartAsync(registry, settings, certificates, port, tlsPort);
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 3 && port == 0 && tlsPort == 0)
            {
            }
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
