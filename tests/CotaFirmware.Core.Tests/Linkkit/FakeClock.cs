using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>A clock the test sets by hand.</summary>
public sealed class FakeClock : IClock
{
    /// <inheritdoc/>
    public long MonotonicMs { get; set; } = 1000;

    /// <inheritdoc/>
    public long UnixTimeMs { get; set; } = 1700000000000;
}
