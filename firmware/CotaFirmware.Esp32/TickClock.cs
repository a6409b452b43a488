using System;
using System.Threading;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>The device's clock as an <see cref="IClock"/>: <see cref="MonotonicTicks"/> over DateTime.UtcNow, the wall clock once SNTP set it, and the thread's sleep.</summary>
/// <remarks>
/// mscorlib 1.17.11 has no Environment.TickCount64 and no Stopwatch, and DateTime.UtcNow jumps when SNTP sets it.
/// The main loop reads the clock every few hundred milliseconds, far below <see cref="MaxStepMs"/>.
/// </remarks>
public sealed class TickClock : IClock
{
    /// <summary>The longest forward step between two reads that counts as elapsed time.</summary>
    public const long MaxStepMs = 10 * 60 * 1000;

    private const long UnixEpochTicks = 621355968000000000L;
    /// <summary>The first year a set clock can show: SNTP sets it from 1970 to now, so an earlier year means it has not run yet.</summary>
    public const int FirstValidYear = 2024;

    private readonly object _gate = new object();
    private readonly MonotonicTicks _ticks;

    /// <summary>Starts the monotonic count at 0.</summary>
    public TickClock()
    {
        _ticks = new MonotonicTicks(DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond, MaxStepMs);
    }

    /// <inheritdoc />
    public long MonotonicMs
    {
        get
        {
            // M2Mqtt's threads may log through code that reads the clock.
            lock (_gate)
            {
                return _ticks.Update(DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond);
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

    /// <inheritdoc />
    public void Wait(int ms)
    {
        Thread.Sleep(ms);
    }
}
