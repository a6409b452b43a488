using CotaFirmware.Linkkit;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>A LinkKit device over the test doubles: pk1/dn1, the doubles kept at hand.</summary>
public sealed class TestDevice
{
    /// <summary>The device secret used.</summary>
    public const string Secret = "s3cretDeviceKey0123456789abcdef0";

    /// <summary>The doubles and the device.</summary>
    public readonly ScriptedMqttSession Session = new ScriptedMqttSession();

    /// <summary>The clock.</summary>
    public readonly ManualClock Clock = new ManualClock(1000, 1700000000000);

    /// <summary>The log.</summary>
    public readonly RecordingLog Log = new RecordingLog();

    /// <summary>The HMAC.</summary>
    public readonly RecordingMac Mac = new RecordingMac();

    /// <summary>The settings given at open.</summary>
    public readonly LinkkitSettings Settings;

    /// <summary>The device.</summary>
    public readonly LinkkitDevice Device;

    /// <summary>Opens a device with default settings, or with <paramref name="settings"/>; the reconnect jitter is seeded.</summary>
    public TestDevice(LinkkitSettings settings)
    {
        Settings = settings ?? new LinkkitSettings();
        Session.Clock = Clock;
        Device = LinkkitDevice.Open(new DeviceIdentity("pk1", "dn1", Secret, null), Settings, Session, Mac, Clock, Log, 7);
    }

    /// <summary>Opens and connects a device with default settings.</summary>
    public static TestDevice Connected()
    {
        var t = new TestDevice(null);
        t.Device.Connect();
        return t;
    }
}
