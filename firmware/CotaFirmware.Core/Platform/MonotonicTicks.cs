namespace CotaFirmware.Platform;

/// <summary>
/// A monotonic millisecond count built from a wall clock that may jump: what a board without a monotonic timer
/// (nanoFramework's mscorlib 1.17.11 has neither Environment.TickCount64 nor Stopwatch) gives as <see cref="IClock.MonotonicMs"/>.
/// </summary>
/// <remarks>
/// Each <see cref="Update"/> adds the forward step since the previous reading when it is shorter than
/// <see cref="MaxStepMs"/>; a backward step (a correction) or a longer one (SNTP setting the clock from 1970) adds
/// nothing. Read it more often than <see cref="MaxStepMs"/> so real time is never taken for a jump. Not thread-safe.
/// </remarks>
public sealed class MonotonicTicks
{
    private readonly long _maxStepMs;
    private long _lastWallMs;
    private long _count;

    /// <summary>Starts at 0 from the wall clock reading <paramref name="wallMs"/>; steps of <paramref name="maxStepMs"/> or more count as jumps.</summary>
    public MonotonicTicks(long wallMs, long maxStepMs)
    {
        _lastWallMs = wallMs;
        _maxStepMs = maxStepMs;
    }

    /// <summary>The longest forward step that counts as elapsed time.</summary>
    public long MaxStepMs => _maxStepMs;

    /// <summary>The count now, without a new reading.</summary>
    public long Value => _count;

    /// <summary>Takes the wall clock reading <paramref name="wallMs"/> and returns the monotonic count.</summary>
    public long Update(long wallMs)
    {
        long step = wallMs - _lastWallMs;
        _lastWallMs = wallMs;
        if (step > 0 && step < _maxStepMs)
        {
            _count += step;
        }

        return _count;
    }
}
