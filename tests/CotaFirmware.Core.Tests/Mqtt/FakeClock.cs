using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Mqtt;

/// <summary>A clock the test moves by hand.</summary>
public sealed class FakeClock : IClock
{
    /// <summary>The current monotonic time.</summary>
    public long Now;

    /// <inheritdoc/>
    public long MonotonicMs => Now;

    /// <inheritdoc/>
    public long UnixTimeMs => 0;
}
