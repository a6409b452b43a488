using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Cota;

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock : IClock
{
    /// <summary>The monotonic time in ms.</summary>
    public long Now;

    /// <summary>The monotonic time.</summary>
    public long MonotonicMs
    {
        get { return Now; }
    }

    /// <summary>Not used by downloads.</summary>
    public long UnixTimeMs
    {
        get { return 0; }
    }
}
