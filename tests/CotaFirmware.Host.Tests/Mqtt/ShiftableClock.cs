using System.Diagnostics;

namespace CotaFirmware.HostTests.Mqtt;

/// <summary>A real monotonic clock that a test can move forward, to reach a 30 s keep-alive without waiting for it.</summary>
public sealed class ShiftableClock : IClock
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private long _shift;

    public long MonotonicMs => _watch.ElapsedMilliseconds + Interlocked.Read(ref _shift);

    public long UnixTimeMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public void Wait(int ms) => Thread.Sleep(ms);

    public void Advance(long ms) => Interlocked.Add(ref _shift, ms);
}
