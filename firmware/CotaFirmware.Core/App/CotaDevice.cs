using CotaFirmware.Config;
using CotaFirmware.Config.Modules;
using CotaFirmware.Cota;
using CotaFirmware.Linkkit;
using CotaFirmware.Network;
using CotaFirmware.Platform;
using CotaFirmware.Timing;

namespace CotaFirmware.App;

/// <summary>The whole firmware for one device: builds every layer over a board's seams and drives them from one loop.</summary>
/// <remarks>
/// <para>Built once per boot: LinkKit over the core MQTT client (or the board's own session), the config store, the
/// applier with the telemetry, statusLed and wifi modules, the COTA service with its download, and Wi-Fi bring-up when
/// the board has a radio. The COTA service owns every offer from ack to result; this class only wires and loops.
/// <see cref="Start"/> boots the config (applying the active one); <see cref="Step"/> does one turn of the loop: Wi-Fi,
/// MQTT input, one unit of COTA work. Everything runs on the caller's thread.</para>
/// <para>It owns three jobs no other part does. Wi-Fi bring-up: the one <see cref="WifiConnection"/>. Dynamic
/// registration (<see cref="DeviceSettings.DynamicRegistration"/>): once the network is up and before the first
/// connect, each attempt reusing the secret an earlier boot stored or registering (<see cref="DeviceRegistration"/>);
/// an issued secret is used only once it is in flash (until then each attempt stores it again, it does not register);
/// a failure is logged with its result and the platform's code, never a secret, and the next attempt waits
/// <see cref="Backoff"/> from 5 s up to 5 min (each registration before activation issues a new secret: a fleet must
/// not hammer the platform). The reboot: the applier only asks for one; the loop calls the board's
/// <see cref="IReboot"/>, once, and stops (on the device the call does not return). LinkKit owns the connection: it
/// connects once the network is up, ends the connection when Wi-Fi is lost (its socket would linger until a ping went
/// unanswered), connects again at once when Wi-Fi comes back, and otherwise reconnects with backoff.</para>
/// <para>A board sees the device through <see cref="State"/> and <see cref="IsConnected"/>; the application's COTA
/// callback and download progress are <see cref="DeviceBoard"/> members.</para>
/// </remarks>
public sealed class CotaDevice : INetworkListener
{
    // Registration retries: each registration before activation issues a new secret, so a fleet must not hammer.
    private const int RegistrationBackoffMinMs = 5000;
    private const int RegistrationBackoffMaxMs = 300000;

    private readonly DeviceBoard _board;
    private readonly DeviceSettings _settings;
    private readonly LinkkitDevice _linkkit;
    private readonly WifiCredentialsModule _wifiModule;
    private readonly CotaService _service;
    private readonly DeviceState _state;
    private DeviceRegistration _registration;
    private Backoff _registrationBackoff;
    private int _registrationFailures;
    private long _nextRegistrationMs;
    private WifiConnection _wifi;
    private StatusLed _led;
    private bool _telemetryPosted;
    private long _telemetryAt;
    private bool _connectDue;
    private bool _started;
    private bool _rebooted;
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
        IMqttSession session = board.Session != null ? board.Session : new MqttClientSession(board.Channel, board.Clock, settings.Mqtt, board.Log);
        _linkkit = LinkkitDevice.Open(settings.Identity, settings.Linkkit, session, board.Mac, board.Clock, board.Log, board.Seed);
        _linkkit.BrokerEndpoint = board.BrokerEndpoint;
        if (settings.DynamicRegistration && settings.Identity.DeviceSecret == null)
        {
            _registration = new DeviceRegistration(board.Http, board.Storage, board.Mac, new System.Random(board.Seed), board.Log, board.Clock);
            _registrationBackoff = new Backoff(RegistrationBackoffMinMs, RegistrationBackoffMaxMs, board.Seed);
        }

        var store = new ConfigStore(board.Storage, new byte[settings.ConfigWindowSize], settings.MaxConfigSize, settings.MaxTrialBoots);

        var telemetry = new TelemetryIntervalModule(settings.DefaultTelemetrySeconds);
        var led = new StatusLedPatternModule(settings.DefaultLedPattern);
        _wifiModule = new WifiCredentialsModule(settings.DefaultWifiSsid, settings.DefaultWifiPassword);
        var modules = new ModuleRegistry(3);
        modules.Register(new LoggedModule(telemetry, board.Log));
        modules.Register(new LoggedModule(led, board.Log));
        modules.Register(new LoggedModule(_wifiModule, board.Log));

        var applier = new ConfigApplier(store, modules, board.Log,
            new byte[settings.ConfigWindowSize], new byte[settings.ConfigWindowSize], settings.MaxResultErrors);
        var download = new RangeDownload(board.Http, store, board.Storage, board.Clock, settings.Download, board.Seed);
        download.Progress = board.DownloadProgress;
        _service = new CotaService(_linkkit, store, applier, download, board.Storage, settings.Cota, board.Clock, board.Seed, board.Log);
        _service.OfferListener = board.OfferListener;
        _state = new DeviceState(store, _service, telemetry, led, _wifiModule);
    }

    /// <summary>What the device runs now: the config in force, its trial, each module's value, the COTA work left.</summary>
    public DeviceState State => _state;

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
        if (RebootWhenAsked())
        {
            return;
        }

        if (_board.Radio != null)
        {
            _led = _board.StatusLed == null ? null : new StatusLed(_board.StatusLed);
            _wifi = new WifiConnection(_board.Radio, new WifiSettings(_wifiModule.Ssid, _wifiModule.Password), this, _led, _board.Log, _board.Seed);
            _wifi.Start();
        }
        else
        {
            _connectDue = true;
        }
    }

    /// <summary>One turn of the loop: Wi-Fi, registration and the first connect, MQTT input (LinkKit reconnects by itself), one unit of COTA work; then the reboot a config asked for.</summary>
    public void Step()
    {
        if (!_started)
        {
            Start();
        }

        if (_closed || RebootWhenAsked())
        {
            return;
        }

        long now = _board.Clock.MonotonicMs;
        if (_wifi != null)
        {
            _led?.ShowOnlineAs(OnlineLook(_state.LedPattern), now);
            _wifi.Step(now);
        }

        if (_connectDue && Registered(now))
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
        PostTelemetry(now);
        _service.Step();
        RebootWhenAsked();
    }

    /// <summary>Runs <see cref="Step"/> until <see cref="Close"/>, or until the board's reboot returns (on the device it does not).</summary>
    public void Run()
    {
        Start();
        while (!_closed && !_rebooted)
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
        // A registration still to do waits for the network's return. The connection over the lost network is ended now
        // rather than when a ping goes unanswered; the network's return connects at once.
        _connectDue = false;
        _linkkit.Drop();
    }

    // True once the identity holds a DeviceSecret that is given or in flash; otherwise one attempt (registering, or
    // storing again a secret issued but not stored: connecting with it would activate the device, and the next boot
    // could neither read it nor register again) when the last failure's wait is over. The registration's buffers are
    // garbage once it is done.
    private bool Registered(long now)
    {
        if (_registration == null)
        {
            return true;
        }

        if (_registrationFailures > 0 && now - _nextRegistrationMs < 0)
        {
            return false;
        }

        DeviceIdentity identity = _settings.Identity;
        RegistrationResult result = _registration.Obtain(identity, _settings.Linkkit);
        if (identity.DeviceSecret != null && result != RegistrationResult.StorageFailed)
        {
            _registration = null;
            _registrationBackoff = null;
            return true;
        }

        int wait = _registrationBackoff.DelayMs(++_registrationFailures);
        _nextRegistrationMs = now + wait;
        _board.Log.Write(LogLevel.Error, "app", "dynamic registration failed (" + ((int)result).ToString() + ", code "
            + _registration.LastCode.ToString() + "); retry in " + wait.ToString() + " ms");
        return false;
    }

    // The one caller of the board's reboot: true once a config (or a rollback that could not be saved) asked for one.
    private bool RebootWhenAsked()
    {
        if (!_service.RebootRequested)
        {
            return false;
        }

        if (!_rebooted)
        {
            _rebooted = true;
            _board.Log.Write(LogLevel.Info, "app", "rebooting");
            _board.Reboot.Reboot();
        }

        return true;
    }

    // The application's properties, at each connect and then every telemetry interval (a config's change applies at once).
    private void PostTelemetry(long now)
    {
        if (_board.Telemetry == null || !_linkkit.IsConnected)
        {
            _telemetryPosted = false;
            return;
        }

        if (_telemetryPosted && now - _telemetryAt < _state.TelemetryIntervalSeconds * 1000L)
        {
            return;
        }

        _telemetryPosted = true;
        _telemetryAt = now;
        int id = _linkkit.Report(_board.Telemetry, null);
        if (id < 0)
        {
            _board.Log.Write(LogLevel.Warning, "app", "telemetry not posted: " + LinkkitNames.Of((LinkkitStatus)id));
        }
    }

    // The config's idle pattern (statusLed.pattern) as the look of an online LED.
    private static LedPattern OnlineLook(StatusLedPattern pattern)
    {
        switch (pattern)
        {
            case StatusLedPattern.Off:
                return LedPattern.Off;
            case StatusLedPattern.Heartbeat:
                return LedPattern.Heartbeat;
            case StatusLedPattern.Blink:
                return LedPattern.Blink;
            default:
                return LedPattern.Online;
        }
    }
}
