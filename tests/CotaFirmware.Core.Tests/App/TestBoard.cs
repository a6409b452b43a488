using CotaFirmware.App;
using CotaFirmware.Linkkit;
using CotaFirmware.Tests.Config;

namespace CotaFirmware.Tests.App;

/// <summary>The App tests' device: a board of the seams' doubles, and settings whose loop neither waits at start nor idles.</summary>
public static class TestBoard
{
    /// <summary>A board of the given doubles, with a recording MAC.</summary>
    public static DeviceBoard Of(ScriptedMqttSession session, ScriptedHttpClient http, MemoryStorage storage, CountingReboot reboot, ManualClock clock, RecordingLog log, int seed)
    {
        DeviceBoard board = new DeviceBoard();
        board.Session = session;
        board.Http = http;
        board.Storage = storage;
        board.Reboot = reboot;
        board.Clock = clock;
        board.Log = log;
        board.Mac = new RecordingMac();
        board.Seed = seed;
        return board;
    }

    /// <summary>Settings for <paramref name="identity"/> with no start jitter and no idle wait, so that a test's steps are all the loop does.</summary>
    public static DeviceSettings Settings(DeviceIdentity identity)
    {
        DeviceSettings settings = new DeviceSettings(identity);
        settings.Cota.StartJitterMs = 0;
        settings.IdleYieldMs = 0;
        return settings;
    }
}
