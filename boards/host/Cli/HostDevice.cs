using System.Security.Cryptography.X509Certificates;
using CotaFirmware.App;
using CotaFirmware.Cota;
using CotaFirmware.Crypto;
using CotaFirmware.Host.Board;
using CotaFirmware.Linkkit;
using CotaFirmware.Platform;
using LogLevel = CotaFirmware.Platform.LogLevel;

namespace CotaFirmware.Host.Cli;

/// <summary>
/// One virtual device on the host board: <see cref="CotaDevice"/> over TCP/TLS, .NET HTTP, files as flash and an
/// in-process reboot, driven by its own thread. A reboot drops the firmware objects and boots new ones over the same files.
/// </summary>
public sealed class HostDevice : IDisposable
{
    private readonly Func<DeviceSettings> _settings;
    private readonly TcpChannel _tcp;
    private readonly HttpClientSource _http;
    private readonly InProcessReboot _reboot = new();
    private readonly FlashLock _flashLock;
    private readonly DeviceBoard _board;
    private readonly HostTelemetry _telemetry = new();
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private volatile CotaDevice? _current;
    private int _boots;

    /// <summary>Creates the device; <paramref name="settings"/> is called at every boot (the firmware's settings are rebuilt, as on a device).</summary>
    /// <param name="name">The name shown in log lines.</param>
    /// <param name="flashFolder">The folder that stands in for the device's flash (kept across reboots); locked to this device (<see cref="FlashLock"/>).</param>
    /// <param name="rootCaPem">The only root CA trusted for MQTT over TLS and for downloads; null trusts the system store.</param>
    /// <param name="settings">Builds the settings for one boot.</param>
    /// <param name="log">Where the firmware logs.</param>
    /// <param name="seed">Entropy for the jitters.</param>
    /// <param name="meter">Counts downloads across a fleet; may be null.</param>
    /// <param name="broker">Where the broker is now, read before every connection attempt; null: the settings' endpoint.</param>
    public HostDevice(string name, string flashFolder, string? rootCaPem, Func<DeviceSettings> settings, ILog log, int seed,
        DownloadMeter? meter = null, IBrokerEndpoint? broker = null)
    {
        // First: a second process on the same flash ends here, before it touches anything.
        _flashLock = FlashLock.Acquire(flashFolder);
        Name = name;
        _settings = settings;
        X509Certificate2? ca = rootCaPem == null ? null : X509Certificate2.CreateFromPem(rootCaPem);
        _tcp = ca == null ? new TcpChannel() : new TcpChannel(ca);
        _http = new HttpClientSource(ca);
        Channel = new SwitchableChannel(_tcp);
        Storage = new FileStorage(flashFolder);
        _board = new DeviceBoard
        {
            Channel = Channel,
            BrokerEndpoint = broker,
            Http = meter == null ? _http : meter.Wrap(_http),
            Storage = Storage,
            Reboot = _reboot,
            Clock = new HostClock(),
            Log = log,
            Mac = new ManagedMac(),
            Seed = seed,
            Telemetry = _telemetry,
        };
    }

    /// <summary>The name in log lines.</summary>
    public string Name { get; }

    /// <summary>The network switch (set <see cref="SwitchableChannel.Online"/> to false to take the device offline).</summary>
    public SwitchableChannel Channel { get; }

    /// <summary>The device's flash.</summary>
    public FileStorage Storage { get; }

    /// <summary>The firmware running now (a new instance after each reboot), or null before the first boot.</summary>
    public CotaDevice? Firmware => _current;

    /// <summary>How many times the firmware booted.</summary>
    public int Boots => Volatile.Read(ref _boots);

    /// <summary>Told after each downloaded piece of a config, by every firmware instance from the next boot on; may be null.</summary>
    public DownloadProgress? DownloadProgress
    {
        get => _board.DownloadProgress;
        set => _board.DownloadProgress = value;
    }

    /// <summary>The reason the loop ended on an error, or null.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Starts the firmware on its own thread.</summary>
    public void Start()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "device " + Name };
        _thread.Start();
    }

    /// <summary>Stops the firmware (disconnects) and waits for its thread.</summary>
    public void Stop()
    {
        _stop.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(10));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Stop();
        _tcp.Dispose();
        _http.Dispose();
        _stop.Dispose();
        _flashLock.Dispose();
    }

    private void Loop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                _reboot.Acknowledge();
                var firmware = new CotaDevice(_board, _settings());
                Interlocked.Increment(ref _boots);
                _telemetry.Booted();
                _current = firmware;
                firmware.Start();
                while (!_stop.IsCancellationRequested && !_reboot.IsRequested)
                {
                    firmware.Step();
                }

                firmware.Close();
                _http.Close();
                if (_reboot.IsRequested)
                {
                    _board.Log.Write(LogLevel.Info, "board", "rebooting: RAM is dropped, the flash folder stays");
                }
            }
        }
        catch (Exception e)
        {
            Failure = e;
            _board.Log.Write(LogLevel.Error, "board", "firmware stopped: " + e.GetType().Name + ": " + e.Message);
        }
    }
}
