using System;
using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Platform;

/// <summary>
/// The tests' <see cref="IClock"/>: time stands still until the test advances it, and the monotonic time never goes
/// backwards (as the seam promises); the wall clock is whatever the test sets, 0 meaning "not yet valid". A wait
/// moves the time instead of sleeping, so a test never sleeps.
/// </summary>
public sealed class ManualClock : IClock
{
    private long _monotonicMs;

    /// <summary>A clock at monotonic 0 whose wall clock is not yet valid (a board before SNTP).</summary>
    public ManualClock()
    {
    }

    /// <summary>A clock at <paramref name="monotonicMs"/> whose wall clock reads <paramref name="unixTimeMs"/>.</summary>
    public ManualClock(long monotonicMs, long unixTimeMs)
    {
        if (monotonicMs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(monotonicMs));
        }

        _monotonicMs = monotonicMs;
        UnixTimeMs = unixTimeMs;
    }

    /// <inheritdoc/>
    public long MonotonicMs => _monotonicMs;

    /// <summary>The wall clock; the test sets it (as SNTP would), and it may jump either way without moving <see cref="MonotonicMs"/>.</summary>
    public long UnixTimeMs { get; set; }

    /// <summary>Returns at once, <paramref name="ms"/> later: the time moves by the wait (a negative wait is refused).</summary>
    public void Wait(int ms) => Advance(ms);

    /// <summary>Moves the monotonic time forward by <paramref name="ms"/>; a negative step is refused, as the seam never goes back.</summary>
    public void Advance(long ms)
    {
        if (ms < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ms), "monotonic time never goes backwards");
        }

        _monotonicMs += ms;
    }
}
