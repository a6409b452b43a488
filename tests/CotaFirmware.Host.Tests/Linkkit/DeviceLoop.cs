using CotaFirmware.Linkkit;

namespace CotaFirmware.HostTests.Linkkit;

/// <summary>A LinkKit device's loop turned from the test's thread, as a board's loop turns it, until what a test waits for has happened.</summary>
internal static class DeviceLoop
{
    /// <summary>Yields to <paramref name="device"/> in 20 ms turns until <paramref name="done"/> holds or 10 s have passed; the caller asserts what it waited for.</summary>
    public static void YieldUntil(LinkkitDevice device, Func<bool> done)
    {
        long until = Environment.TickCount64 + 10000;
        while (!done() && Environment.TickCount64 < until)
        {
            device.Yield(20);
        }
    }
}
