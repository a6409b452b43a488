using System;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>The device's clock as an <see cref="IClock"/>: a monotonic count built from DateTime.UtcNow, guarded against the jumps SNTP makes.</summary>
/// <remarks>
/// mscorlib 1.17.11 has no Environment.TickCount64 and no Stopwatch, and DateTime.UtcNow jumps when SNTP sets it
/// (from 1970 to now) or corrects it. The monotonic count therefore adds only the forward steps between two reads
/// that are shorter than <see cref="MaxStepMs"/>; a backward step or a longer jump adds nothing. Read it at least
/// every few seconds (the main loop does) so that real time is never taken for a jump.
/// </remarks>
public sealed class TickClock : IClock
{
    /// <summary>The longest forward step between two reads that counts as elapsed time.</summary>
    public const long MaxStepMs = 10 * 60 * 1000;

    private const long UnixEpochTicks = 621355968000000000L;
    private const int FirstValidYear = 2024;

    private readonly object _gate = new object();
    private long _lastWallMs;
    private long _monotonicMs;

    /// <summary>Starts the monotonic count at 0.</summary>
    public TickClock()
    {
        _lastWallMs = DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond;
    }

    /// <inheritdoc />
    public long MonotonicMs
    {
        get
        {
            lock (_gate)
            {
                long now = DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond;
                long step = now - _lastWallMs;
                _lastWallMs = now;
                if (step > 0 && step < MaxStepMs)
                {
                    _monotonicMs += step;
                }

                return _monotonicMs;
            }
        }
    }

    /// <inheritdoc />
    public long UnixTimeMs
    {
        get
        {
            DateTime now = DateTime.UtcNow;
            return now.Year < FirstValidYear ? 0 : (now.Ticks - UnixEpochTicks) / TimeSpan.TicksPerMillisecond;
        }
    }
}
