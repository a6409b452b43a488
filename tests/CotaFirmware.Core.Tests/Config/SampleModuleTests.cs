using CotaFirmware.Config;
using CotaFirmware.Config.Modules;
using CotaFirmware.Json;

namespace CotaFirmware.Tests.Config;

[TestClass]
public class SampleModuleTests
{
    private sealed class Device
    {
        public readonly MemoryStorage Storage = new MemoryStorage();
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
            Led = new StatusLedPatternModule(StatusLedPattern.Heartbeat);
            Wifi = new WifiCredentialsModule("home", "first-pass");
            ModuleRegistry registry = new ModuleRegistry(3);
            registry.Register(Telemetry);
            registry.Register(Led);
            registry.Register(Wifi);
            Applier = new ConfigApplier(Store, registry, Log, new byte[128], new byte[128], 8);
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

    // The config is refused, and the applier names exactly these errors.
    private static void Refused(Device device, string id, string json, string errors)
    {
        Assert.IsFalse(device.Offer(id, json), id);
        Assert.AreEqual(errors, Errors(device), id);
    }

    [TestMethod]
    public void AppliedWithoutValidationARefusedValueLeavesItsDefaultAndTheKeysAfterItStillCount()
    {
        // A config already in flash is applied at boot without validation, and may predate the modules' rules.
        TelemetryIntervalModule telemetry = new TelemetryIntervalModule(60);
        Apply(telemetry, "{\"intervalSeconds\":\"ten\"}");
        Assert.AreEqual(60, telemetry.IntervalSeconds);

        StatusLedPatternModule led = new StatusLedPatternModule(StatusLedPattern.Heartbeat);
        Apply(led, "{\"pattern\":\"disco\"}");
        Assert.AreEqual(StatusLedPattern.Heartbeat, led.Pattern);

        WifiCredentialsModule wifi = new WifiCredentialsModule("home", "first-pass");
        Apply(wifi, "{\"ssid\":{\"password\":\"inner-pass\"},\"password\":\"outer-pass\"}");
        Assert.AreEqual("home", wifi.Ssid);
        Assert.AreEqual("outer-pass", wifi.Password);
    }

    // Applies json, one module's section, to module as a boot does: no validation first.
    private static void Apply(IConfigModule module, string json)
    {
        JsonReader section = new JsonReader(null, 8);
        byte[] bytes = ConfigFixture.Ascii(json);
        section.Begin(bytes, 0, bytes.Length);
        Assert.IsTrue(section.Read());
        module.Apply(section);
    }

    [TestMethod]
    public void ModulesStartWithTheirDefaults()
    {
        Device device = new Device();
        Assert.AreEqual(60, device.Telemetry.IntervalSeconds);
        Assert.IsTrue(device.Led.Pattern == StatusLedPattern.Heartbeat);
        Assert.IsTrue(device.Led.IsRunning);
        Assert.AreEqual("home", device.Wifi.Ssid);
        Assert.AreEqual("first-pass", device.Wifi.Password);
    }

    [TestMethod]
    public void TelemetryIntervalIsCheckedAndTakenLive()
    {
        Device device = new Device();
        Refused(device, "t0", "{\"telemetry\":{\"intervalSeconds\":0}}", "telemetry.intervalSeconds:out_of_range");
        Refused(device, "t1", "{\"telemetry\":{\"intervalSeconds\":86401}}", "telemetry.intervalSeconds:out_of_range");
        Refused(device, "t2", "{\"telemetry\":{\"intervalSeconds\":99999999999}}", "telemetry.intervalSeconds:out_of_range");
        Refused(device, "t3", "{\"telemetry\":{\"intervalSeconds\":\"10\",\"rate\":1}}", "telemetry.intervalSeconds:format_not_valid telemetry.rate:key_not_recognized");
        Refused(device, "t4", "{\"telemetry\":{\"intervalSeconds\":1.5}}", "telemetry.intervalSeconds:format_not_valid");
        Refused(device, "t4d", "{\"telemetry\":{\"intervalSeconds\":30,\"intervalSeconds\":40}}", "telemetry.intervalSeconds:duplicate_key");
        Refused(device, "t5", "{\"telemetry\":30}", "telemetry.:format_not_valid");
        Assert.AreEqual(60, device.Telemetry.IntervalSeconds);

        Assert.IsTrue(device.Offer("t6", "{\"telemetry\":{\"intervalSeconds\":86400}}"));
        Assert.AreEqual(86400, device.Telemetry.IntervalSeconds);
        Assert.IsFalse(device.Applier.RebootRequested);
    }

    [TestMethod]
    public void LedPatternIsANameAndTheLedRestartsToTakeIt()
    {
        Device device = new Device();
        Refused(device, "l0", "{\"statusLed\":{\"pattern\":\"disco\"}}", "statusLed.pattern:out_of_range");
        Refused(device, "l1", "{\"statusLed\":{\"pattern\":2}}", "statusLed.pattern:format_not_valid");
        Refused(device, "l1d", "{\"statusLed\":{\"pattern\":\"blink\",\"pattern\":\"off\"}}", "statusLed.pattern:duplicate_key");
        int starts = device.Led.Starts;
        Assert.IsTrue(device.Offer("l2", "{\"statusLed\":{\"pattern\":\"blink\"}}"));
        Assert.IsTrue(device.Led.Pattern == StatusLedPattern.Blink);
        Assert.AreEqual(starts + 1, device.Led.Starts);
        Assert.IsTrue(device.Led.IsRunning);
    }

    [TestMethod]
    public void WifiCredentialsAreCheckedAndTakenAfterAReboot()
    {
        Device device = new Device();
        Refused(device, "w0", "{\"wifi\":{\"ssid\":\"123456789012345678901234567890123\",\"password\":\"1234567\"}}", "wifi.ssid:too_long wifi.password:out_of_range");
        Refused(device, "w1", "{\"wifi\":{\"ssid\":\"\",\"password\":\"1234567890123456789012345678901234567890123456789012345678901234\"}}", "wifi.ssid:out_of_range wifi.password:too_long");
        Refused(device, "w2", "{\"wifi\":{\"ssid\":\"x\"}}", "wifi.password:format_not_valid");
        Refused(device, "w2d", "{\"wifi\":{\"ssid\":\"x\",\"password\":\"12345678\",\"ssid\":\"y\"}}", "wifi.ssid:duplicate_key");
        Assert.IsFalse(device.Log.Contains("1234567"), "passwords stay out of the log");

        // 32 bytes of SSID (multi-byte UTF-8 counts in bytes) and a 63-byte password are the limits.
        Assert.IsTrue(device.Offer("w3", "{\"wifi\":{\"ssid\":\"caf\\u00e9-01234567890123456789012345\",\"password\":\"123456789012345678901234567890123456789012345678901234567890123\"}}"));
        Assert.IsTrue(device.Applier.RebootRequested);
        Assert.AreEqual("home", device.Wifi.Ssid, "taken at the next boot");
        device.PowerOn();
        Assert.AreEqual("caf\u00e9-01234567890123456789012345", device.Wifi.Ssid);
        Assert.AreEqual(63, device.Wifi.Password.Length);
        Expect.Status(ConfigStatus.Ok, device.Applier.Confirm());
        Assert.IsTrue(device.Log.Contains("config w3 confirmed"));
    }

    [TestMethod]
    public void WifiCredentialsHoldingANulAreRefused()
    {
        // The radio takes the SSID and passphrase as C strings: an escaped NUL passes the length check and is cut off
        // after the reboot, so the device joins with credentials nobody sent.
        Device device = new Device();
        Assert.IsFalse(device.Offer("wn0", "{\"wifi\":{\"ssid\":\"lab\",\"password\":\"pass\\u0000word\"}}"), "a NUL in the passphrase was taken");
        Assert.AreEqual("wifi.password", device.Applier.Errors.ErrorPath(0));
        Assert.IsFalse(device.Offer("wn1", "{\"wifi\":{\"ssid\":\"lab\\u0000net\",\"password\":\"password\"}}"), "a NUL in the SSID was taken");
        Assert.AreEqual("wifi.ssid", device.Applier.Errors.ErrorPath(0));
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
