namespace CotaFirmware.Host.Cloud;

/// <summary>A stand-in for Alibaba Cloud IoT Platform on loopback: device registry, MQTT broker (TCP and TLS)
/// with Aliyun authentication, HTTPS dynamic registration, and the COTA console with its config file server.</summary>
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
    readonly CancellationTokenSource _stopping;
    readonly PlatformHttpsServer _https;
    PlatformConsole? _console;
    PlatformEndpoints _endpoints = new();
    readonly bool _ownsFolder;
    int _stopped;

    LocalPlatform(PlatformOptions options, string dataFolder, bool ownsFolder, DeviceRegistry registry,
        PlatformCertificates certificates, PlatformBroker broker, ConfigFileServer files, PlatformHttpsServer https,
        CotaConsole cota, FleetHistory history, CancellationTokenSource stopping)
    {
        History = history;
        Options = options;
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

    /// <summary>The options it was started with.</summary>
    public PlatformOptions Options { get; }

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

    /// <summary>The COTA console (publish, push, device messages).</summary>
    public CotaConsole Cota { get; }

    /// <summary>Offers, downloads and results over time.</summary>
    public FleetHistory History { get; }

    /// <summary>Where it listens (also in the data folder's platform.json).</summary>
    public PlatformEndpoints Endpoints => _endpoints;

    /// <summary>The web console, or null when the options did not ask for it.</summary>
    public PlatformConsole? Console => _console;

    /// <summary>The host name devices use (127.0.0.1 unless the options say localhost).</summary>
    public string Host => Options.Host;

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
            new PlatformView(Host, MqttTlsPort, MqttPort, HttpsPort, DataFolder, DateTimeOffset.UtcNow));

    /// <summary>Starts everything on 127.0.0.1.</summary>
    public static async Task<LocalPlatform> StartAsync(PlatformOptions? options = null)
    {
        options ??= new PlatformOptions();
        var ownsFolder = options.DataFolder is null;
        // A relative folder is the caller's: resolve it against the current directory, never the program's.
        var folder = Path.GetFullPath(options.DataFolder
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
            Host = options.Host,
            MqttPort = options.MqttPort != 0 ? options.MqttPort : recorded?.MqttPort ?? 0,
            MqttTlsPort = options.MqttTlsPort != 0 ? options.MqttTlsPort : recorded?.MqttTlsPort ?? 0,
            HttpsPort = options.HttpsPort != 0 ? options.HttpsPort : recorded?.HttpsPort ?? 0,
            ConsolePort = options.ConsolePort != 0 ? options.ConsolePort : recorded?.ConsolePort ?? 0,
            ConsoleToken = string.IsNullOrEmpty(recorded?.ConsoleToken) ? PlatformEndpoints.NewToken() : recorded.ConsoleToken,
        };
        PlatformEndpoints.RequireFree(endpoints.MqttPort, "MQTT over TCP", folder);
        PlatformEndpoints.RequireFree(endpoints.MqttTlsPort, "MQTT over TLS", folder);
        PlatformEndpoints.RequireFree(endpoints.HttpsPort, "HTTPS", folder);
        if (options.Console)
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
            broker = await StartBrokerAsync(registry, options, certificates, endpoints.MqttPort, endpoints.MqttTlsPort);
            broker.OnPresenceChanged(history.Touch);
            var files = new ConfigFileServer(registry, history, folder, stopping.Token);
            https = await PlatformHttpsServer.StartAsync(options, endpoints.HttpsPort, folder, certificates, registry, files);
            files.BaseUrl = "https://" + options.Host + ":" + https.Port;
            var cota = new CotaConsole(registry, broker, files, history, options);
            var platform = new LocalPlatform(options, folder, ownsFolder, registry, certificates, broker, files, https, cota,
                history, stopping);
            if (options.Console)
            {
                platform._console = await PlatformConsole.StartAsync(platform, endpoints.ConsolePort, endpoints.ConsoleToken);
            }
            endpoints.MqttPort = broker.Port;
            endpoints.MqttTlsPort = broker.TlsPort;
            endpoints.HttpsPort = https.Port;
            endpoints.ConsolePort = platform._console?.Port ?? endpoints.ConsolePort;
            endpoints.CaPemPath = certificates.CaPemPath;
            endpoints.ProcessId = Environment.ProcessId;
            platform._endpoints = endpoints;
            if (!ownsFolder)
            {
                endpoints.Save(folder);
            }
            options.Log?.Invoke("platform: mqtt tcp " + broker.Port + ", mqtt tls " + broker.TlsPort + ", https "
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

    static async Task<PlatformBroker> StartBrokerAsync(DeviceRegistry registry, PlatformOptions options,
        PlatformCertificates certificates, int port, int tlsPort)
    {
        // A free port found first can be taken by someone else before the broker binds it: try again then.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await PlatformBroker.StartAsync(registry, options, certificates, port, tlsPort);
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 3 && port == 0 && tlsPort == 0)
            {
            }
        }
    }

    static void TryDelete(string folder)
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
