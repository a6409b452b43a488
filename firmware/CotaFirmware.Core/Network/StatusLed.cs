using System;
using CotaFirmware.Platform;

namespace CotaFirmware.Network;

/// <summary>Plays a <see cref="LedPattern"/> on one <see cref="IStatusLed"/>, advanced by the caller's step.</summary>
/// <remarks>Patterns are fixed on/off timings; stepping allocates nothing and touches the LED only when its level changes.</remarks>
public sealed class StatusLed
{
    // Durations in ms, alternating on, off, on, off ...
    private static readonly int[] ConnectingTimes = { 200, 200 };
    private static readonly int[] ErrorTimes = { 100, 150, 100, 650 };
    private static readonly int[] HeartbeatTimes = { 100, 900 };
    private static readonly int[] BlinkTimes = { 500, 500 };

    private readonly IStatusLed _led;
    private LedPattern _pattern;
    private LedPattern _online = LedPattern.Online;
    private int[] _times;
    private int _index;
    private long _phaseStartMs;
    private bool _on;

    /// <summary>Takes over <paramref name="led"/> and switches it off.</summary>
    public StatusLed(IStatusLed led)
    {
        if (led == null)
        {
            throw new ArgumentNullException(nameof(led));
        }

        _led = led;
        _pattern = LedPattern.Off;
        _on = false;
        _led.Set(false);
    }

    /// <summary>The pattern being played.</summary>
    public LedPattern Pattern => _pattern;

    /// <summary>The pattern that shows <paramref name="state"/>.</summary>
    public static LedPattern For(NetworkState state)
    {
        switch (state)
        {
            case NetworkState.Joining:
            case NetworkState.WaitingForAddress:
            case NetworkState.WaitingForClock:
                return LedPattern.Connecting;
            case NetworkState.Online:
                return LedPattern.Online;
            case NetworkState.BackingOff:
                return LedPattern.Error;
            default:
                return LedPattern.Off;
        }
    }

    /// <summary>Switches to <paramref name="pattern"/>, starting it at <paramref name="nowMs"/>; playing the same pattern again changes nothing.</summary>
    public void Show(LedPattern pattern, long nowMs)
    {
        if (pattern == _pattern)
        {
            Step(nowMs);
            return;
        }

        _pattern = pattern;
        Play(pattern == LedPattern.Online ? _online : pattern, nowMs);
    }

    /// <summary>Sets how <see cref="LedPattern.Online"/> looks (a config's idle pattern: steady on, off, heartbeat or blink), at once when online.</summary>
    public void ShowOnlineAs(LedPattern look, long nowMs)
    {
        if (look == _online)
        {
            return;
        }

        _online = look;
        if (_pattern == LedPattern.Online)
        {
            Play(look, nowMs);
        }
    }

    private void Play(LedPattern pattern, long nowMs)
    {
        _index = 0;
        _phaseStartMs = nowMs;
        switch (pattern)
        {
            case LedPattern.Connecting:
                _times = ConnectingTimes;
                break;
            case LedPattern.Error:
                _times = ErrorTimes;
                break;
            case LedPattern.Heartbeat:
                _times = HeartbeatTimes;
                break;
            case LedPattern.Blink:
                _times = BlinkTimes;
                break;
            default:
                _times = null;
                break;
        }

        Apply(pattern == LedPattern.Online || _times != null);
    }

    /// <summary>Advances the pattern to <paramref name="nowMs"/>.</summary>
    public void Step(long nowMs)
    {
        int[] times = _times;
        if (times == null)
        {
            return;
        }

        long elapsed = nowMs - _phaseStartMs;
        if (elapsed < times[_index])
        {
            return;
        }

        // Skip whole cycles at once when the caller stepped late.
        int cycle = 0;
        for (int i = 0; i < times.Length; i++)
        {
            cycle += times[i];
        }

        if (elapsed >= cycle)
        {
            long skipped = elapsed / cycle * cycle;
            _phaseStartMs += skipped;
            elapsed -= skipped;
        }

        while (elapsed >= times[_index])
        {
            elapsed -= times[_index];
            _phaseStartMs += times[_index];
            _index = _index + 1 == times.Length ? 0 : _index + 1;
        }

        Apply((_index & 1) == 0);
    }

    private void Apply(bool on)
    {
        if (on != _on)
        {
            _on = on;
            _led.Set(on);
        }
    }
}
