using System;
using CotaFirmware.Platform;
using CotaFirmware.Timing;

namespace CotaFirmware.Network;

/// <summary>
/// Brings Wi-Fi up and keeps it up: join, wait for an address, wait for a valid clock, back off on failure,
/// rejoin when the link is lost.
/// </summary>
/// <remarks>
/// Single-threaded and passive: nothing happens outside <see cref="Step"/>, which never blocks longer than the
/// radio's own calls. Waits after failures follow <see cref="Backoff"/> from <see cref="WifiSettings.BackoffMinMs"/>
/// up to <see cref="WifiSettings.BackoffMaxMs"/> (seeded, so that a fleet rebooted together does not retry in step).
/// The listener hears exactly one call per transition into and out of <see cref="NetworkState.Online"/>.
/// </remarks>
public sealed class WifiConnection
{
    private const string Area = "wifi";

    private readonly IRadio _radio;
    private readonly WifiSettings _settings;
    private readonly INetworkListener _listener;
    private readonly StatusLed _led;
    private readonly ILog _log;
    private readonly Backoff _backoff;

    private NetworkState _state = NetworkState.Idle;
    private NetworkFailure _lastFailure = NetworkFailure.None;
    private bool _startRequested;
    private long _deadlineMs;
    private long _retryAtMs;
    private int _failures;
    private int _lastBackoffMs;

    /// <summary>Creates the bring-up for <paramref name="radio"/>; it starts on the first <see cref="Step"/> after <see cref="Start"/>.</summary>
    /// <param name="radio">The board's Wi-Fi station.</param>
    /// <param name="settings">Network, time limits and retry bounds.</param>
    /// <param name="listener">Told when the network becomes ready and when it is lost; may be null.</param>
    /// <param name="led">Shows the state; may be null.</param>
    /// <param name="log">Where transitions are logged; may be null.</param>
    /// <param name="seed">Seeds the retry jitter; give each device its own (for example from its MAC address).</param>
    public WifiConnection(IRadio radio, WifiSettings settings, INetworkListener listener, StatusLed led, ILog log, int seed)
    {
        if (radio == null)
        {
            throw new ArgumentNullException(nameof(radio));
        }

        if (settings == null)
        {
            throw new ArgumentNullException(nameof(settings));
        }

        if (settings.Ssid == null || settings.Ssid.Length == 0)
        {
            throw new ArgumentException("the SSID is empty", nameof(settings));
        }

        if (settings.JoinTimeoutMs <= 0 || settings.AddressTimeoutMs <= 0 || settings.ClockTimeoutMs <= 0
            || settings.BackoffMinMs <= 0 || settings.BackoffMaxMs < settings.BackoffMinMs)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), "time limits must be positive and BackoffMaxMs >= BackoffMinMs");
        }

        _radio = radio;
        _settings = settings;
        _listener = listener;
        _led = led;
        _log = log;
        _backoff = new Backoff(settings.BackoffMinMs, settings.BackoffMaxMs, seed);
    }

    /// <summary>Where bring-up stands.</summary>
    public NetworkState State => _state;

    /// <summary>Why the last attempt failed or the network was lost; <see cref="NetworkFailure.None"/> before any failure.</summary>
    public NetworkFailure LastFailure => _lastFailure;

    /// <summary>True while the network is ready for the layers above.</summary>
    public bool IsOnline => _state == NetworkState.Online;

    /// <summary>Failures since the network was last online (or since the start).</summary>
    public int ConsecutiveFailures => _failures;

    /// <summary>The wait chosen after the last failure, in milliseconds; 0 before any failure.</summary>
    public int LastBackoffMs => _lastBackoffMs;

    /// <summary>When the next attempt starts, while <see cref="State"/> is <see cref="NetworkState.BackingOff"/>.</summary>
    public long RetryAtMs => _retryAtMs;

    /// <summary>Asks for the network; the first attempt starts on the next <see cref="Step"/>. Does nothing when already started.</summary>
    public void Start()
    {
        if (_state == NetworkState.Idle)
        {
            _startRequested = true;
        }
    }

    /// <summary>Leaves the network and goes idle; the listener hears <see cref="INetworkListener.OnNetworkLost"/> with <see cref="NetworkFailure.None"/> when it was online.</summary>
    public void Stop(long nowMs)
    {
        _startRequested = false;
        if (_state == NetworkState.Idle)
        {
            return;
        }

        bool wasOnline = _state == NetworkState.Online;
        _radio.Disconnect();
        Enter(NetworkState.Idle, nowMs);
        if (wasOnline && _listener != null)
        {
            _listener.OnNetworkLost(NetworkFailure.None);
        }
    }

    /// <summary>Advances bring-up to <paramref name="nowMs"/> (a monotonic clock, for example <see cref="IClock.MonotonicMs"/>). Call it often, for example every 50 to 200 ms.</summary>
    public void Step(long nowMs)
    {
        switch (_state)
        {
            case NetworkState.Idle:
                if (_startRequested)
                {
                    _startRequested = false;
                    Join(nowMs);
                }

                break;

            case NetworkState.BackingOff:
                if (nowMs - _retryAtMs >= 0)
                {
                    Join(nowMs);
                }

                break;

            case NetworkState.Joining:
                RadioStatus link = _radio.Link;
                if (Reached(link < 0 ? FailureOf(link) : NetworkFailure.None, link == RadioStatus.Ok, NetworkFailure.JoinTimeout, nowMs))
                {
                    Associated(nowMs);
                }

                break;

            case NetworkState.WaitingForAddress:
                if (Reached(_radio.Link == RadioStatus.Ok ? NetworkFailure.None : NetworkFailure.LinkLost, _radio.HasIpAddress, NetworkFailure.NoAddress, nowMs))
                {
                    Addressed(nowMs);
                }

                break;

            case NetworkState.WaitingForClock:
                if (Reached(HoldsAddress() ? NetworkFailure.None : NetworkFailure.LinkLost, _radio.ClockValid, NetworkFailure.NoClock, nowMs))
                {
                    Ready(nowMs);
                }

                break;

            case NetworkState.Online:
                if (!HoldsAddress())
                {
                    Fail(NetworkFailure.LinkLost, nowMs);
                }

                break;
        }

        if (_led != null)
        {
            _led.Show(StatusLed.For(_state), nowMs);
        }
    }

    /// <summary>The failure a negative <see cref="RadioStatus"/> stands for.</summary>
    public static NetworkFailure FailureOf(RadioStatus radioStatus)
    {
        switch (radioStatus)
        {
            case RadioStatus.WrongPassword: return NetworkFailure.WrongPassword;
            case RadioStatus.NetworkNotFound: return NetworkFailure.NetworkNotFound;
            case RadioStatus.Rejected: return NetworkFailure.Rejected;
            case RadioStatus.Timeout: return NetworkFailure.JoinTimeout;
            case RadioStatus.UnsupportedSecurity: return NetworkFailure.UnsupportedSecurity;
            case RadioStatus.Down: return NetworkFailure.LinkLost;
            default: return NetworkFailure.RadioFailed;
        }
    }

    // One wait of bring-up: it fails when what it stands on is lost or its deadline passes; true once its goal is reached.
    private bool Reached(NetworkFailure lost, bool goal, NetworkFailure timeout, long nowMs)
    {
        if (lost != NetworkFailure.None)
        {
            Fail(lost, nowMs);
        }
        else if (goal)
        {
            return true;
        }
        else if (nowMs - _deadlineMs >= 0)
        {
            Fail(timeout, nowMs);
        }

        return false;
    }

    // What the wait for the clock and the online state stand on: the link and the address.
    private bool HoldsAddress()
    {
        return _radio.Link == RadioStatus.Ok && _radio.HasIpAddress;
    }

    private void Join(long nowMs)
    {
        Enter(NetworkState.Joining, nowMs);
        _deadlineMs = nowMs + _settings.JoinTimeoutMs;
        // A board's join may block for seconds, so nowMs is stale when it returns joined: the next step, at its own
        // time, finds the link up and starts the wait for the address from there.
        RadioStatus status = _radio.Connect(_settings.Ssid, _settings.Password);
        if (status < 0)
        {
            Fail(FailureOf(status), nowMs);
        }
    }

    private void Associated(long nowMs)
    {
        if (_radio.HasIpAddress)
        {
            Addressed(nowMs);
            return;
        }

        Enter(NetworkState.WaitingForAddress, nowMs);
        _deadlineMs = nowMs + _settings.AddressTimeoutMs;
    }

    private void Addressed(long nowMs)
    {
        if (!_settings.RequireClock || _radio.ClockValid)
        {
            Ready(nowMs);
            return;
        }

        Enter(NetworkState.WaitingForClock, nowMs);
        _deadlineMs = nowMs + _settings.ClockTimeoutMs;
    }

    private void Ready(long nowMs)
    {
        _failures = 0;
        Enter(NetworkState.Online, nowMs);
        if (_listener != null)
        {
            _listener.OnNetworkReady();
        }
    }

    private void Fail(NetworkFailure failure, long nowMs)
    {
        bool wasOnline = _state == NetworkState.Online;
        _lastFailure = failure;
        _radio.Disconnect();

        if (_failures < 30)
        {
            _failures++;
        }

        _lastBackoffMs = _backoff.DelayMs(_failures);
        _retryAtMs = nowMs + _lastBackoffMs;
        Enter(NetworkState.BackingOff, nowMs);
        if (_log != null)
        {
            _log.Write(LogLevel.Warning, Area, NetworkNames.Of(failure) + "; retry in " + _lastBackoffMs.ToString() + " ms");
        }

        if (wasOnline && _listener != null)
        {
            _listener.OnNetworkLost(failure);
        }
    }

    private void Enter(NetworkState state, long nowMs)
    {
        _state = state;
        if (_log != null && state != NetworkState.BackingOff)
        {
            _log.Write(LogLevel.Info, Area, NetworkNames.Of(state));
        }

        if (_led != null)
        {
            _led.Show(StatusLed.For(state), nowMs);
        }
    }
}
