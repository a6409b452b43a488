using CotaFirmware.Platform;

namespace CotaFirmware.HostTests.Cota;

/// <summary>A monotonic clock that moves only when the test says so.</summary>
public sealed class TestClock : IClock
{
    public long Now { get; set; }

    public long MonotonicMs => Now;

    public long UnixTimeMs => 0;
}
