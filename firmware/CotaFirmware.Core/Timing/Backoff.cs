using System;

namespace CotaFirmware.Timing;

/// <summary>The one retry policy of the firmware: how long to wait after a run of failures.</summary>
/// <remarks>
/// The bound doubles from <see cref="MinMs"/> with each consecutive failure, up to <see cref="MaxMs"/>; the wait is drawn
/// at random from the upper half of the bound ("equal jitter"), so devices rebooted together do not retry in step and a
/// wait is never shorter than half its bound. The caller keeps the failure count (in RAM, or in flash where retries must
/// survive a reboot); this class keeps only the bounds and the device's seeded random source.
/// </remarks>
public sealed class Backoff
{
    private readonly Random _random;

    /// <summary>Creates a policy from <paramref name="minMs"/> to <paramref name="maxMs"/> that draws from <paramref name="random"/>.</summary>
    /// <param name="minMs">The bound after the first failure; at least 1.</param>
    /// <param name="maxMs">The largest bound; at least <paramref name="minMs"/>.</param>
    /// <param name="random">The device's random source, seeded per device (for example from its MAC address or name).</param>
    /// <exception cref="ArgumentOutOfRangeException">The bounds are not positive or not in order.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    public Backoff(int minMs, int maxMs, Random random)
    {
        if (minMs < 1 || maxMs < minMs)
        {
            throw new ArgumentOutOfRangeException(minMs < 1 ? "minMs" : "maxMs");
        }

        if (random == null)
        {
            throw new ArgumentNullException("random");
        }

        MinMs = minMs;
        MaxMs = maxMs;
        _random = random;
    }

    /// <summary>The bound after the first failure.</summary>
    public int MinMs { get; }

    /// <summary>The largest bound.</summary>
    public int MaxMs { get; }

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
        return (int)bound - half + _random.Next(half + 1);
    }
}
