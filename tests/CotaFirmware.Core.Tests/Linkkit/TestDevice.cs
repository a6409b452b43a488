using CotaFirmware.Linkkit;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>A LinkKit device over fakes: pk1/dn1, the fakes kept at hand.</summary>
public sealed class TestDevice
{
    /// <summary>The device secret used.</summary>
    public const string Secret = "s3cretDeviceKey0123456789abcdef0";

    /// <summary>The fakes and the device.</summary>
    public readonly FakeMqttSession Session = new FakeMqttSession();

    /// <summary>The clock.</summary>
    public readonly FakeClock Clock = new FakeClock();

    /// <summary>The log.</summary>
    public readonly RecordingLog Log = new RecordingLog();

    /// <summary>The HMAC.</summary>
    public readonly RecordingMac Mac = new RecordingMac();

    /// <summary>The options given at open.</summary>
    public readonly LinkkitOptions Options;

    /// <summary>The device.</summary>
    public readonly LinkkitDevice Device;

    /// <summary>Opens a device with default options, or with <paramref name="options"/>.</summary>
    public TestDevice(LinkkitOptions options)
    {
        Options = options ?? new LinkkitOptions();
        Device = LinkkitDevice.Open(new DeviceIdentity("pk1", "dn1", Secret, null), Options, Session, Mac, Clock, Log);
    }

    /// <summary>Opens and connects a device with default options.</summary>
    public static TestDevice Connected()
    {
        var t = new TestDevice(null);
        t.Device.Connect();
        return t;
    }
}
