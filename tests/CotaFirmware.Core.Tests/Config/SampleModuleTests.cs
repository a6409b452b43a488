using CotaFirmware.Config;
using CotaFirmware.Config.Modules;

namespace CotaFirmware.Tests.Config;

[TestClass]
public class SampleModuleTests
{
    private sealed class Device
    {
        public readonly MemoryStorage Storage = new MemoryStorage();
        public readonly CountingReboot Reboot = new CountingReboot();
        public readonly RecordingLog Log = new RecordingLog();
        public ConfigStore Store;
        public TelemetryIntervalModule Telemetry;
        public StatusLedPatternModule Led;
        public WifiCredentialsModule Wifi;
        public ConfigApplier Applier;

        public Device()
        {
            PowerOn();
        }

        public void PowerOn()
        {
            Store = new ConfigStore(Storage, new byte[256], 4096, 3);
            Telemetry = new TelemetryIntervalModule(60);
            Led = new StatusLedPatternModule(StatusLedPatternModule.Heartbeat);
            Wifi = new WifiCredentialsModule("home", "first-pass");
            ModuleRegistry registry = new ModuleRegistry(3);
            registry.Register(Telemetry);
            registry.Register(Led);
            registry.Register(Wifi);
            Applier = new ConfigApplier(Store, registry, Reboot, Log, new byte[128], new byte[128], 8);
            Applier.Boot();
        }

        public bool Offer(string id, string json)
        {
            ConfigFixture.Stage(Store, id, ConfigFixture.Ascii(json), 64);
            return Applier.ApplyCandidate() == ConfigStatus.Ok;
        }
    }

    private static string Errors(Device device)
    {
        ConfigErrors result = device.Applier.Errors;
        string text = "";
        for (int i = 0; i < result.ErrorCount; i++)
        {
            text = text + (i == 0 ? "" : " ") + result.ErrorModule(i) + "." + result.ErrorKey(i) + ":" + ConfigNames.Of(result.ErrorCode(i));
        }

        return text;
    }

    [TestMethod]
    public void ModulesStartWithTheirDefaults()
    {
        Device device = new Device();
        Assert.AreEqual(60, device.Telemetry.IntervalSeconds);
        Assert.AreEqual(StatusLedPatternModule.Heartbeat, device.Led.Pattern);
        Assert.IsTrue(device.Led.IsRunning);
        Assert.AreEqual("home", device.Wifi.Ssid);
        Assert.AreEqual("first-pass", device.Wifi.Password);
    }

    [TestMethod]
    public void TelemetryIntervalIsCheckedAndTakenLive()
    {
        Device device = new Device();
        Assert.IsFalse(device.Offer("t0", "{\"telemetry\":{\"intervalSeconds\":0}}"));
        Assert.AreEqual("telemetry.intervalSeconds:out_of_range", Errors(device));
        Assert.IsFalse(device.Offer("t1", "{\"telemetry\":{\"intervalSeconds\":86401}}"));
        Assert.AreEqual("telemetry.intervalSeconds:out_of_range", Errors(device));
        Assert.IsFalse(device.Offer("t2", "{\"telemetry\":{\"intervalSeconds\":99999999999}}"));
        Assert.AreEqual("telemetry.intervalSeconds:out_of_range", Errors(device));
        Assert.IsFalse(device.Offer("t3", "{\"telemetry\":{\"intervalSeconds\":\"10\",\"rate\":1}}"));
        Assert.AreEqual("telemetry.intervalSeconds:format_not_valid telemetry.rate:key_not_recognized", Errors(device));
        Assert.IsFalse(device.Offer("t4", "{\"telemetry\":{\"intervalSeconds\":1.5}}"));
        Assert.AreEqual("telemetry.intervalSeconds:format_not_valid", Errors(device));
        Assert.IsFalse(device.Offer("t4d", "{\"telemetry\":{\"intervalSeconds\":30,\"intervalSeconds\":40}}"));
        Assert.AreEqual("telemetry.intervalSeconds:duplicate_key", Errors(device));
        Assert.IsFalse(device.Offer("t5", "{\"telemetry\":30}"));
        Assert.AreEqual("telemetry.:format_not_valid", Errors(device));
        Assert.AreEqual(60, device.Telemetry.IntervalSeconds);

        Assert.IsTrue(device.Offer("t6", "{\"telemetry\":{\"intervalSeconds\":86400}}"));
        Assert.AreEqual(86400, device.Telemetry.IntervalSeconds);
        Assert.AreEqual(0, device.Reboot.Count);
    }

    [TestMethod]
    public void LedPatternIsANameAndTheLedRestartsToTakeIt()
    {
        Device device = new Device();
        Assert.IsFalse(device.Offer("l0", "{\"statusLed\":{\"pattern\":\"disco\"}}"));
        Assert.AreEqual("statusLed.pattern:out_of_range", Errors(device));
        Assert.IsFalse(device.Offer("l1", "{\"statusLed\":{\"pattern\":2}}"));
        Assert.AreEqual("statusLed.pattern:format_not_valid", Errors(device));
        Assert.IsFalse(device.Offer("l1d", "{\"statusLed\":{\"pattern\":\"blink\",\"pattern\":\"off\"}}"));
        Assert.AreEqual("statusLed.pattern:duplicate_key", Errors(device));
        int starts = device.Led.Starts;
        Assert.IsTrue(device.Offer("l2", "{\"statusLed\":{\"pattern\":\"blink\"}}"));
        Assert.AreEqual(StatusLedPatternModule.Blink, device.Led.Pattern);
        Assert.AreEqual(starts + 1, device.Led.Starts);
        Assert.IsTrue(device.Led.IsRunning);
    }

    [TestMethod]
    public void WifiCredentialsAreCheckedAndTakenAfterAReboot()
    {
        Device device = new Device();
        Assert.IsFalse(device.Offer("w0", "{\"wifi\":{\"ssid\":\"123456789012345678901234567890123\",\"password\":\"1234567\"}}"));
        Assert.AreEqual("wifi.ssid:too_long wifi.password:out_of_range", Errors(device));
        Assert.IsFalse(device.Offer("w1", "{\"wifi\":{\"ssid\":\"\",\"password\":\"1234567890123456789012345678901234567890123456789012345678901234\"}}"));
        Assert.AreEqual("wifi.ssid:out_of_range wifi.password:too_long", Errors(device));
        Assert.IsFalse(device.Offer("w2", "{\"wifi\":{\"ssid\":\"x\"}}"));
        Assert.AreEqual("wifi.password:format_not_valid", Errors(device));
        Assert.IsFalse(device.Offer("w2d", "{\"wifi\":{\"ssid\":\"x\",\"password\":\"12345678\",\"ssid\":\"y\"}}"));
        Assert.AreEqual("wifi.ssid:duplicate_key", Errors(device));
        Assert.IsFalse(device.Log.Contains("1234567"), "passwords stay out of the log");

        // 32 bytes of SSID (multi-byte UTF-8 counts in bytes) and a 63-byte password are the limits.
        Assert.IsTrue(device.Offer("w3", "{\"wifi\":{\"ssid\":\"caf\\u00e9-01234567890123456789012345\",\"password\":\"123456789012345678901234567890123456789012345678901234567890123\"}}"));
        Assert.AreEqual(1, device.Reboot.Count);
        Assert.AreEqual("home", device.Wifi.Ssid, "taken at the next boot");
        device.PowerOn();
        Assert.AreEqual("caf\u00e9-01234567890123456789012345", device.Wifi.Ssid);
        Assert.AreEqual(63, device.Wifi.Password.Length);
        Expect.Status(ConfigStatus.Ok, device.Applier.Confirm());
        Assert.IsTrue(device.Log.Contains("config w3 confirmed"));
    }

    [TestMethod]
    public void WifiCredentialsOutsideTheBmpRoundTrip()
    {
        // An emoji and a rare CJK ideograph need surrogate pairs in a string and four bytes each in UTF-8.
        WifiCredentialsModule provisioned = new WifiCredentialsModule("caf\u00e9 \ud83d\ude00", "p\ud840\udc00ss-word");
        Assert.AreEqual("caf\u00e9 \ud83d\ude00", provisioned.Ssid);
        Assert.AreEqual("p\ud840\udc00ss-word", provisioned.Password);

        Device device = new Device();
        Assert.IsTrue(device.Offer("w4", "{\"wifi\":{\"ssid\":\"x\\ud83d\\ude00y\",\"password\":\"\\ud840\\udc00-12345678\"}}"));
        device.PowerOn();
        Assert.AreEqual("x\ud83d\ude00y", device.Wifi.Ssid);
        Assert.AreEqual("\ud840\udc00-12345678", device.Wifi.Password);
    }
}
