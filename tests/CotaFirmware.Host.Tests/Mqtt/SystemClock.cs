using System.Diagnostics;
using CotaFirmware.Platform;

namespace CotaFirmware.HostTests.Mqtt;

/// <summary>The real clock for integration tests.</summary>
public sealed class SystemClock : IClock
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    public long MonotonicMs => _watch.ElapsedMilliseconds;

    public long UnixTimeMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
