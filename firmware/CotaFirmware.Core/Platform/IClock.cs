namespace CotaFirmware.Platform;

/// <summary>Time as the firmware needs it: a monotonic tick for timeouts, wall-clock time for signatures, and the one blocking wait.</summary>
public interface IClock
{
    /// <summary>Milliseconds since an arbitrary start; never goes backwards, even when the wall clock is set.</summary>
    public long MonotonicMs { get; }

    /// <summary>Milliseconds since 1970-01-01 UTC, or 0 when the wall clock is not yet valid (before SNTP).</summary>
    public long UnixTimeMs { get; }

    /// <summary>
    /// Blocks the calling thread for about <paramref name="ms"/> milliseconds (0: gives up the rest of its time slice).
    /// The core waits only through here, so a test clock moves its time instead of sleeping.
    /// </summary>
    public void Wait(int ms);
}
