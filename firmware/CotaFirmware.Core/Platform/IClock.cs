namespace CotaFirmware.Platform;

/// <summary>Time as the firmware needs it: a monotonic tick for timeouts, and wall-clock time for signatures.</summary>
public interface IClock
{
    /// <summary>Milliseconds since an arbitrary start; never goes backwards, even when the wall clock is set.</summary>
    public long MonotonicMs { get; }

    /// <summary>Milliseconds since 1970-01-01 UTC, or 0 when the wall clock is not yet valid (before SNTP).</summary>
    public long UnixTimeMs { get; }
}
