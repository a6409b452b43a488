using CotaFirmware.Config;
using CotaFirmware.Config.Modules;
using CotaFirmware.Cota;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;
using CotaFirmware.Network;
using CotaFirmware.Platform;

namespace CotaFirmware.App;

/// <summary>The whole firmware for one device: builds every layer over a board's seams and drives them from one loop.</summary>
/// <remarks>
/// <para>Built once per boot: LinkKit over the core MQTT client (or the board's own session), the config store, the
/// applier with the telemetry, statusLed and wifi modules, the COTA service with its download, and Wi-Fi bring-up when
/// the board has a radio. The COTA service owns every offer from ack to result; this class only wires and loops.
/// <see cref="Start"/> boots the config (applying the active one); <see cref="Step"/> does one turn of the loop: Wi-Fi,
/// MQTT input, one unit of COTA work. LinkKit owns the connection: it connects once the network is up (again at once
/// each time Wi-Fi comes back) and reconnects with backoff. Everything runs on the caller's thread.</para>
/// <para>A reboot asked for by a config leaves <see cref="RebootRequested"/> set: the loop stops and the board restarts
/// (on the device the reboot does not return).</para>
/// </remarks>
public sealed class CotaDevice : INetworkListener
{
    private readonly DeviceBoard _board;
    private readonly DeviceSettings _settings;
    private readonly IMqttSession _session;
    private readonly LinkkitDevice _linkkit;
    private readonly RangeDownload _download;
    private readonly ConfigStore _store;
    private readonly ModuleRegistry _modules;
    private readonly TelemetryIntervalModule _telemetry;
    private readonly StatusLedPatternModule _led;
    private readonly WifiCredentialsModule _wifiModule;
    private readonly ConfigApplier _applier;
    private readonly CotaService _service;
    private WifiConnection _wifi;
    private bool _connectDue;
    private bool _started;
    private bool _closed;

    /// <summary>Builds every layer over <paramref name="board"/> with <paramref name="settings"/>; nothing runs until <see cref="Start"/>.</summary>
    /// <exception cref="System.ArgumentNullException">A required seam or the settings are missing.</exception>
    public CotaDevice(DeviceBoard board, DeviceSettings settings)
    {
        if (board == null || settings == null || settings.Identity == null || (board.Channel == null && board.Session == null) || board.Http == null
            || board.Storage == null || board.Reboot == null || board.Clock == null || board.Log == null || board.Mac == null)
        {
            throw new System.ArgumentNullException(board == null ? "board" : settings == null ? "settings" : "a required seam");
        }

        _board = board;
        _settings = settings;
        _session = board.Session != null ? board.Session : new MqttClientSession(board.Channel, board.Clock, new MqttClientSettings
        {
            ReceiveBufferSize = settings.MqttReceiveBufferSize,
            TransmitBufferSize = settings.MqttTransmitBufferSize,
        }, board.Log);
        _linkkit = LinkkitDevice.Open(settings.Identity, settings.Linkkit, _session, board.Mac, board.Clock, board.Log, board.Seed);
        _linkkit.BrokerEndpoint = board.BrokerEndpoint;

        _store = new ConfigStore(board.Storage, new byte[settings.ConfigWindowSize], settings.MaxConfigSize, settings.MaxTrialBoots);

        _telemetry = new TelemetryIntervalModule(settings.DefaultTelemetrySeconds);
        _led = new StatusLedPatternModule(settings.DefaultLedPattern);
        _wifiModule = new WifiCredentialsModule(settings.DefaultWifiSsid, settings.DefaultWifiPassword);
        _modules = new ModuleRegistry(3);
        _modules.Register(new LoggedModule(_telemetry, board.Log));
        _modules.Register(new LoggedModule(_led, board.Log));
        _modules.Register(new LoggedModule(_wifiModule, board.Log));

        _applier = new ConfigApplier(_store, _modules, board.Reboot, board.Log,
            new byte[settings.ConfigWindowSize], new byte[settings.ConfigWindowSize], settings.MaxResultErrors);
        _download = new RangeDownload(board.Http, _store, board.Storage, board.Clock, settings.Download, board.Seed);
        _service = new CotaService(_linkkit, _store, _applier, _download, board.Storage, settings.Cota, board.Clock, board.Seed, board.Log);
    }

    /// <summary>The LinkKit device (connection, topics, requests).</summary>
    public LinkkitDevice Linkkit => _linkkit;

    /// <summary>The config download (set <see cref="RangeDownload.Progress"/> to watch it).</summary>
    public RangeDownload Download => _download;

    /// <summary>The COTA service: every offer from push or get to its result, the trial, the results in flash.</summary>
    public CotaService Cota => _service;

    /// <summary>The A/B config store.</summary>
    public ConfigStore Store => _store;

    /// <summary>The applier (validate, apply, confirm, roll back; the errors of the last config).</summary>
    public ConfigApplier Applier => _applier;

    /// <summary>The telemetry module (interval in force).</summary>
    public TelemetryIntervalModule Telemetry => _telemetry;

    /// <summary>The status LED module (pattern in force).</summary>
    public StatusLedPatternModule StatusLedModule => _led;

    /// <summary>The Wi-Fi credentials module (network in force).</summary>
    public WifiCredentialsModule WifiModule => _wifiModule;

    /// <summary>Wi-Fi bring-up, or null on a board without a radio.</summary>
    public WifiConnection Wifi => _wifi;

    /// <summary>True once a config asked for a reboot: stop calling <see cref="Step"/> and restart the board.</summary>
    public bool RebootRequested => _service.RebootRequested;

    /// <summary>True while connected to the platform.</summary>
    public bool IsConnected => _linkkit.IsConnected;

    /// <summary>Starts COTA (it boots the config store, applies the active config and picks up what flash holds), then Wi-Fi (or takes the network as up).</summary>
    public void Start()
    {
        if (_started)
        {
            return;
        }

        _started = true;
        _service.Start();
        if (_board.Radio != null)
        {
            StatusLed led = _board.StatusLed == null ? null : new StatusLed(_board.StatusLed);
            _wifi = new WifiConnection(_board.Radio, new WifiSettings(_wifiModule.Ssid, _wifiModule.Password), this, led, _board.Log, _board.Seed);
            _wifi.Start();
        }
        else
        {
            _connectDue = true;
        }
    }

    /// <summary>One turn of the loop: Wi-Fi, MQTT input (LinkKit connects and reconnects by itself), one unit of COTA work.</summary>
    public void Step()
    {
        if (!_started)
        {
            Start();
        }

        if (_closed || _service.RebootRequested)
        {
            return;
        }

        long now = _board.Clock.MonotonicMs;
        if (_wifi != null)
        {
            _wifi.Step(now);
        }

        if (_connectDue)
        {
            _connectDue = false;
            _linkkit.Connect();
        }

        int wait = _service.NextStepInMs;
        if (wait < 0 || wait > _settings.IdleYieldMs)
        {
            wait = _settings.IdleYieldMs;
        }

        _linkkit.Yield(wait);
        _service.Step();
    }

    /// <summary>Runs <see cref="Step"/> until <see cref="Close"/> or a reboot request.</summary>
    public void Run()
    {
        Start();
        while (!_closed && !_service.RebootRequested)
        {
            Step();
        }
    }

    /// <summary>Disconnects and stops the loop; the storage keeps everything for the next boot.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _linkkit.Close();
        if (_wifi != null)
        {
            _wifi.Stop(_board.Clock.MonotonicMs);
        }
    }

    /// <inheritdoc/>
    void INetworkListener.OnNetworkReady()
    {
        _connectDue = true;
    }

    /// <inheritdoc/>
    void INetworkListener.OnNetworkLost(NetworkFailure reason)
    {
        // LinkKit notices the lost connection by itself and retries with backoff; the network's return retries at once.
    }
}
