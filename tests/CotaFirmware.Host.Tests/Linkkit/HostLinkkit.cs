using CotaFirmware.Crypto;
using CotaFirmware.Host.Board;
using CotaFirmware.Host.Cli;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;

namespace CotaFirmware.HostTests.Linkkit;

/// <summary>
/// LinkKit devices in the host tests: opened over the core MQTT client on a host channel with managed HMAC, as the host
/// board opens them, and turned from the test's thread as a board's loop turns them.
/// </summary>
internal static class HostLinkkit
{
    /// <summary>Opens <paramref name="identity"/> over the core client (4 KiB receive buffer) on <paramref name="channel"/>.</summary>
    public static LinkkitDevice Open(DeviceIdentity identity, LinkkitSettings settings, IByteChannel channel, RecordingLog? log = null, int seed = 1) =>
        LinkkitDevice.Open(identity, settings,
            new MqttClientSession(channel, new HostClock(), new MqttClientSettings { ReceiveBufferSize = 4096 }, new RecordingLog()),
            new ManagedMac(), new HostClock(), log ?? new RecordingLog(), seed);

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
