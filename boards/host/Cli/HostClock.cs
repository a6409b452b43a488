using System.Diagnostics;
using CotaFirmware.Platform;

namespace CotaFirmware.Host.Cli;

/// <summary>The host's clock: a monotonic stopwatch, the system's wall clock (always valid on a PC), and the thread's sleep.</summary>
public sealed class HostClock : IClock
{
    private static readonly Stopwatch Since = Stopwatch.StartNew();

    /// <inheritdoc/>
    public long MonotonicMs => Since.ElapsedMilliseconds;

    /// <inheritdoc/>
    public long UnixTimeMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <inheritdoc/>
    public void Wait(int ms) => Thread.Sleep(ms);
}
