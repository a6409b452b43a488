using System;

namespace CotaFirmware.Timing;

/// <summary>The one retry policy of the firmware: how long to wait after a run of failures.</summary>
/// <remarks>
/// The bound doubles from <see cref="MinMs"/> with each consecutive failure, up to <see cref="MaxMs"/>; the wait is drawn
/// at random from the upper half of the bound ("equal jitter"), so devices rebooted together do not retry in step and a
/// wait is never shorter than half its bound. The caller keeps the failure count (in RAM, or in flash where retries must
/// survive a reboot); this class keeps only the bounds and its own random state.
/// The draws come from a generator of its own (xorshift32), not System.Random: on nanoFramework every Random instance
/// shares one generator that each <c>new Random(seed)</c> reseeds, so two retry policies would disturb each other.
/// </remarks>
public sealed class Backoff
{
    private uint _state;
    private readonly int _minMs;
    private readonly int _maxMs;

    /// <summary>Creates a policy from <paramref name="minMs"/> to <paramref name="maxMs"/> whose draws follow <paramref name="seed"/>.</summary>
    /// <param name="minMs">The bound after the first failure; at least 1.</param>
    /// <param name="maxMs">The largest bound; at least <paramref name="minMs"/>.</param>
    /// <param name="seed">Different on every device (for example from its MAC address or name), so a fleet spreads out.</param>
    /// <exception cref="ArgumentOutOfRangeException">The bounds are not positive or not in order.</exception>
    public Backoff(int minMs, int maxMs, int seed)
    {
        if (minMs < 1 || maxMs < minMs)
        {
            throw new ArgumentOutOfRangeException(minMs < 1 ? "minMs" : "maxMs");
        }

        _minMs = minMs;
        _maxMs = maxMs;

        // Spread the seed's bits (a multiplicative hash) so that neighbouring seeds start far apart; xorshift needs a nonzero state.
        _state = (uint)seed * 2654435761u ^ 0x9E3779B9u;
        if (_state == 0)
        {
            _state = 0x9E3779B9u;
        }
    }

    /// <summary>The bound after the first failure.</summary>
    public int MinMs => _minMs;

    /// <summary>The largest bound.</summary>
    public int MaxMs => _maxMs;

    /// <summary>The wait after <paramref name="failures"/> consecutive failures (1 for the first); 0 when there were none.</summary>
    public int DelayMs(int failures)
    {
        if (failures <= 0)
        {
            return 0;
        }

        long bound = MinMs;
        for (int i = 1; i < failures && bound < MaxMs; i++)
        {
            bound *= 2;
        }

        if (bound > MaxMs)
        {
            bound = MaxMs;
        }

        int half = (int)(bound / 2);
        return (int)bound - half + (int)(NextRandom() % (uint)(half + 1));
    }

    private uint NextRandom()
    {
        uint x = _state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        _state = x;
        return x;
    }
}
