using CotaFirmware.Json;
using CotaFirmware.App;
using CotaFirmware.Tests.Json;

namespace CotaFirmware.Tests.App;

[TestClass]
public class BoardSettingsTests
{
    // The device settings the last Load set.
    private static DeviceSettings _device;

    private static BoardSettings Load(string json, out SettingsError error) => Load(JsonText.Bytes(json), out error);

    private static BoardSettings Load(byte[] b, out SettingsError error)
    {
        BoardSettings settings = new BoardSettings();
        _device = new DeviceSettings(null);
        error = settings.Load(b, 0, b.Length, new JsonReader(null), _device);
        return settings;
    }

    private static void AssertDefaults(BoardSettings s)
    {
        Assert.AreEqual("esp32", s.Board);
        Assert.AreEqual("ESP32_REV0", s.Target);
        Assert.AreEqual(BoardSettings.NoLed, s.StatusLedPin);
        Assert.IsTrue(s.StatusLedActiveHigh);
        Assert.IsTrue(s.MqttTransport == MqttTransport.Core);
        Assert.AreEqual("root-ca.pem", s.RootCaFile);
    }

    [TestMethod]
    public void TheClassicEsp32sFlashPinsAreRefusedForTheLedWhereverTheTargetStands()
    {
        for (int pin = 6; pin <= 11; pin++)
        {
            AssertRefused("{\"statusLedPin\":" + pin.ToString() + "}", SettingsError.FlashPin, "statusLedPin");
        }

        AssertRefused("{\"statusLedPin\":6,\"target\":\"ESP32_PSRAM_REV3\"}", SettingsError.FlashPin, "statusLedPin");
        AssertRefused("{\"target\":\"M5Core2\",\"statusLedPin\":11}", SettingsError.FlashPin, "statusLedPin");
        SettingsError error;
        BoardSettings s = Load("{\"statusLedPin\":7}", out error);
        Assert.AreEqual("SPI flash pin: statusLedPin at byte 16", s.DescribeError());

        // The pins around them, and the same pins on chips whose flash sits elsewhere.
        Assert.AreEqual(5, Load("{\"statusLedPin\":5}", out error).StatusLedPin);
        Assert.IsTrue(error == SettingsError.None);
        Assert.AreEqual(12, Load("{\"statusLedPin\":12,\"target\":\"ESP32_REV3\"}", out error).StatusLedPin);
        Assert.IsTrue(error == SettingsError.None);
        Assert.AreEqual(6, Load("{\"statusLedPin\":6,\"target\":\"ESP32_S3\"}", out error).StatusLedPin);
        Assert.IsTrue(error == SettingsError.None);
        Assert.AreEqual(10, Load("{\"target\":\"ESP32_C3\",\"statusLedPin\":10}", out error).StatusLedPin);
        Assert.IsTrue(error == SettingsError.None);
    }

    [TestMethod]
    public void EveryChipsFlashPinsAreRefusedForTheLedAndItsNeighboursAccepted()
    {
        // Each chip wires its SPI flash elsewhere: driving one of those pins crashes the board, as GPIO6..11 do the
        // classic ESP32 (above). A target of each chip, its flash pins, and the pins either side.
        AssertFlashPins("ESP32_S3", 26, 32);
        AssertFlashPins("AtomS3", 26, 32);
        AssertFlashPins("ESP32_C3", 12, 17);
        AssertFlashPins("XIAO_ESP32C3", 12, 17);
        AssertFlashPins("ESP32_C6_THREAD", 24, 30);
        AssertFlashPins("ESP32_H2_THREAD", 15, 21);
        AssertFlashPins("ESP32_OLIMEX", 6, 11);

        // The host's targets have no flash pins.
        SettingsError error;
        Assert.AreEqual(6, Load("{\"target\":\"nanoclr\",\"statusLedPin\":6}", out error).StatusLedPin);
        Assert.IsTrue(error == SettingsError.None);
    }

    [TestMethod]
    public void AByteOrderMarkIsReadPastAndTheOffsetsCountIt()
    {
        // Some Windows editors start a UTF-8 file with EF BB BF.
        SettingsError error;
        BoardSettings s = Load(Marked("{\"board\":\"bench\",\"statusLedPin\":5}", 1), out error);
        Assert.IsTrue(error == SettingsError.None, s.DescribeError());
        Assert.AreEqual(5, s.StatusLedPin);
        Assert.AreEqual("SPI flash pin: statusLedPin at byte 19", Load(Marked("{\"statusLedPin\":7}", 1), out error).DescribeError());
        Assert.AreEqual("malformed JSON at byte 3", Load(Marked("{}", 2), out error).DescribeError());
    }

    // The UTF-8 of json after count byte order marks.
    private static byte[] Marked(string json, int count)
    {
        byte[] text = JsonText.Bytes(json);
        byte[] b = new byte[(3 * count) + text.Length];
        for (int i = 0; i < count; i++)
        {
            b[3 * i] = 0xEF;
            b[(3 * i) + 1] = 0xBB;
            b[(3 * i) + 2] = 0xBF;
        }

        System.Array.Copy(text, 0, b, 3 * count, text.Length);
        return b;
    }

    private static void AssertFlashPins(string target, int first, int last)
    {
        for (int pin = first - 1; pin <= last + 1; pin++)
        {
            string json = "{\"target\":\"" + target + "\",\"statusLedPin\":" + pin.ToString() + "}";
            if (pin < first || pin > last)
            {
                SettingsError error;
                Assert.AreEqual(pin, Load(json, out error).StatusLedPin, json);
                Assert.IsTrue(error == SettingsError.None, json);
            }
            else
            {
                AssertRefused(json, SettingsError.FlashPin, "statusLedPin");
            }
        }
    }

    // Every value a board.json may set is still the layers' default.
    private static void AssertUntouched(DeviceSettings d)
    {
        DeviceSettings fresh = new DeviceSettings(null);
        Assert.AreEqual(fresh.Mqtt.ReceiveBufferSize, d.Mqtt.ReceiveBufferSize);
        Assert.AreEqual(fresh.Mqtt.TransmitBufferSize, d.Mqtt.TransmitBufferSize);
        Assert.AreEqual(fresh.Linkkit.TxBufferSize, d.Linkkit.TxBufferSize);
        Assert.AreEqual(fresh.Download.BufferSize, d.Download.BufferSize);
        Assert.AreEqual(fresh.ConfigWindowSize, d.ConfigWindowSize);
        Assert.AreEqual(fresh.MaxConfigSize, d.MaxConfigSize);
        Assert.AreEqual(fresh.Cota.StartJitterMs, d.Cota.StartJitterMs);
        Assert.AreEqual(fresh.Cota.TrialDeadlineMs, d.Cota.TrialDeadlineMs);
        Assert.AreEqual(fresh.MaxTrialBoots, d.MaxTrialBoots);
        Assert.AreEqual(fresh.Linkkit.KeepAliveSeconds, d.Linkkit.KeepAliveSeconds);
    }

    private static void AssertRefused(string json, SettingsError expected, string key)
    {
        SettingsError error;
        BoardSettings s = Load(json, out error);
        Assert.IsTrue(error == expected, json + " gave " + s.DescribeError());
        Assert.IsTrue(s.Error == expected);
        Assert.AreEqual(key, s.ErrorKey);
        AssertDefaults(s);
        AssertUntouched(_device);
    }

    [TestMethod]
    public void AFreshObjectAndAnEmptyDocumentGiveTheDefaults()
    {
        AssertDefaults(new BoardSettings());
        SettingsError error;
        BoardSettings s = Load(" { } ", out error);
        Assert.IsTrue(error == SettingsError.None);
        AssertDefaults(s);
        AssertUntouched(_device);
        Assert.AreEqual("none", s.DescribeError());
        Assert.IsNull(s.ErrorKey);
    }

    [TestMethod]
    public void EveryKeyIsAppliedToTheBoardOrToItsOneHomeInTheDeviceSettings()
    {
        SettingsError error;
        BoardSettings s = Load("{\"board\":\"esp32-s3\",\"target\":\"ESP32_S3\",\"notes\":\"WS2812 on GPIO48\",\"statusLedPin\":4,"
            + "\"statusLedActiveHigh\":false,\"mqttTransport\":\"m2mqtt\",\"mqttRxBufferSize\":8192,\"mqttTxBufferSize\":1024,"
            + "\"downloadBufferSize\":4096,\"jsonWindowSize\":256,\"maxConfigSize\":65536,\"downloadJitterMs\":0,"
            + "\"trialDeadlineMs\":60000,\"maxTrialBoots\":5,\"keepAliveSeconds\":1200,\"rootCaFile\":\"ca_2.pem\",\"traceMemory\":true}", out error);
        Assert.IsTrue(error == SettingsError.None, s.DescribeError());
        Assert.IsTrue(s.TraceMemory);
        Assert.AreEqual("esp32-s3", s.Board);
        Assert.AreEqual("ESP32_S3", s.Target);
        Assert.AreEqual(4, s.StatusLedPin);
        Assert.IsFalse(s.StatusLedActiveHigh);
        Assert.IsTrue(s.MqttTransport == MqttTransport.M2Mqtt);
        Assert.AreEqual(8192, _device.Mqtt.ReceiveBufferSize);
        Assert.AreEqual(1024, _device.Mqtt.TransmitBufferSize);
        Assert.AreEqual(1024, _device.Linkkit.TxBufferSize);
        Assert.AreEqual(4096, _device.Download.BufferSize);
        Assert.AreEqual(256, _device.ConfigWindowSize);
        Assert.AreEqual(65536, _device.MaxConfigSize);
        Assert.AreEqual(0, _device.Cota.StartJitterMs);
        Assert.AreEqual(60000, _device.Cota.TrialDeadlineMs);
        Assert.AreEqual(5, _device.MaxTrialBoots);
        Assert.AreEqual(1200, _device.Linkkit.KeepAliveSeconds);
        Assert.AreEqual("ca_2.pem", s.RootCaFile);
    }

    [TestMethod]
    public void KeysLeftOutKeepTheirDefaults()
    {
        SettingsError error;
        BoardSettings s = Load("{\"statusLedPin\":2,\"mqttTransport\":\"core\"}", out error);
        Assert.IsTrue(error == SettingsError.None);
        Assert.AreEqual(2, s.StatusLedPin);
        Assert.IsFalse(s.TraceMemory);
        Assert.IsTrue(s.MqttTransport == MqttTransport.Core);
        Assert.AreEqual("root-ca.pem", s.RootCaFile);
        AssertUntouched(_device);
    }

    [TestMethod]
    public void AFailedLoadAfterAGoodOneRestoresTheDefaults()
    {
        BoardSettings s = new BoardSettings();
        JsonReader reader = new JsonReader(null);
        byte[] good = JsonText.Bytes("{\"statusLedPin\":2,\"board\":\"lab-1\"}");
        Assert.IsTrue(s.Load(good, 0, good.Length, reader, new DeviceSettings(null)) == SettingsError.None);
        Assert.AreEqual("lab-1", s.Board);
        byte[] bad = JsonText.Bytes("{\"mqttRxBufferSize\":8192,\"statusLedPin\":2,\"maxTrialBoots\":0}");
        DeviceSettings device = new DeviceSettings(null);
        Assert.IsTrue(s.Load(bad, 0, bad.Length, reader, device) == SettingsError.OutOfRange);
        AssertDefaults(s);
        AssertUntouched(device);
        Assert.IsTrue(s.Load(good, 0, good.Length, reader, device) == SettingsError.None);
        Assert.IsTrue(s.Error == SettingsError.None);
        Assert.IsNull(s.ErrorKey);
    }

    [TestMethod]
    public void ASliceInsideALargerBufferIsReadInPlace()
    {
        byte[] b = JsonText.Bytes("xx{\"maxTrialBoots\":7}yy");
        BoardSettings s = new BoardSettings();
        DeviceSettings device = new DeviceSettings(null);
        Assert.IsTrue(s.Load(b, 2, b.Length - 4, new JsonReader(null), device) == SettingsError.None);
        Assert.AreEqual(7, device.MaxTrialBoots);
    }

    [TestMethod]
    public void AnUnknownKeyIsRefusedByName()
    {
        AssertRefused("{\"statusLedPin\":2,\"statusLedPinn\":3}", SettingsError.UnknownKey, "statusLedPinn");
        AssertRefused("{\"Board\":\"x\"}", SettingsError.UnknownKey, "Board");
    }

    [TestMethod]
    public void AnUnknownKeyNameIsCutAndNeverCarriesRawBytes()
    {
        SettingsError error;
        BoardSettings s = Load("{\"k\u00e9y\":1}", out error);
        Assert.IsTrue(error == SettingsError.Malformed); // a Latin-1 byte is invalid UTF-8
        s = Load("{\"" + new string('a', 100) + "\":1}", out error);
        Assert.IsTrue(error == SettingsError.UnknownKey);
        Assert.AreEqual(40, s.ErrorKey.Length);
    }

    [TestMethod]
    public void ARepeatedKeyIsRefused()
    {
        AssertRefused("{\"statusLedPin\":2,\"statusLedPin\":2}", SettingsError.DuplicateKey, "statusLedPin");
    }

    [TestMethod]
    public void WrongTypesAreRefusedByName()
    {
        AssertRefused("{\"statusLedPin\":\"2\"}", SettingsError.WrongType, "statusLedPin");
        AssertRefused("{\"mqttRxBufferSize\":4096.5}", SettingsError.WrongType, "mqttRxBufferSize");
        AssertRefused("{\"mqttTxBufferSize\":2e3}", SettingsError.WrongType, "mqttTxBufferSize");
        AssertRefused("{\"statusLedActiveHigh\":1}", SettingsError.WrongType, "statusLedActiveHigh");
        AssertRefused("{\"traceMemory\":\"yes\"}", SettingsError.WrongType, "traceMemory");
        AssertRefused("{\"target\":3}", SettingsError.WrongType, "target");
        AssertRefused("{\"mqttTransport\":null}", SettingsError.WrongType, "mqttTransport");
        AssertRefused("{\"notes\":[\"a\"]}", SettingsError.WrongType, "notes");
        AssertRefused("{\"rootCaFile\":{}}", SettingsError.WrongType, "rootCaFile");
        AssertRefused("{\"board\":true}", SettingsError.WrongType, "board");
    }

    [TestMethod]
    public void ValuesOutsideTheirRangeAreRefusedByName()
    {
        AssertRefused("{\"statusLedPin\":-2}", SettingsError.OutOfRange, "statusLedPin");
        AssertRefused("{\"statusLedPin\":49}", SettingsError.OutOfRange, "statusLedPin");
        AssertRefused("{\"mqttRxBufferSize\":1023}", SettingsError.OutOfRange, "mqttRxBufferSize");
        AssertRefused("{\"mqttRxBufferSize\":65537}", SettingsError.OutOfRange, "mqttRxBufferSize");
        AssertRefused("{\"mqttTxBufferSize\":511}", SettingsError.OutOfRange, "mqttTxBufferSize");
        AssertRefused("{\"downloadBufferSize\":100}", SettingsError.OutOfRange, "downloadBufferSize");
        AssertRefused("{\"jsonWindowSize\":127}", SettingsError.OutOfRange, "jsonWindowSize");
        AssertRefused("{\"jsonWindowSize\":8193}", SettingsError.OutOfRange, "jsonWindowSize");
        AssertRefused("{\"maxConfigSize\":1023}", SettingsError.OutOfRange, "maxConfigSize");
        AssertRefused("{\"maxConfigSize\":16777217}", SettingsError.OutOfRange, "maxConfigSize");
        AssertRefused("{\"downloadJitterMs\":-1}", SettingsError.OutOfRange, "downloadJitterMs");
        AssertRefused("{\"downloadJitterMs\":600001}", SettingsError.OutOfRange, "downloadJitterMs");
        AssertRefused("{\"trialDeadlineMs\":9999}", SettingsError.OutOfRange, "trialDeadlineMs");
        AssertRefused("{\"maxTrialBoots\":11}", SettingsError.OutOfRange, "maxTrialBoots");
        AssertRefused("{\"keepAliveSeconds\":29}", SettingsError.OutOfRange, "keepAliveSeconds");
        AssertRefused("{\"keepAliveSeconds\":1201}", SettingsError.OutOfRange, "keepAliveSeconds");
        AssertRefused("{\"keepAliveSeconds\":99999999999}", SettingsError.OutOfRange, "keepAliveSeconds");
        AssertRefused("{\"target\":\"ESP32_REV9\"}", SettingsError.OutOfRange, "target");
        AssertRefused("{\"target\":\"esp32_rev3\"}", SettingsError.OutOfRange, "target");
        AssertRefused("{\"mqttTransport\":\"paho\"}", SettingsError.OutOfRange, "mqttTransport");
        AssertRefused("{\"rootCaFile\":\"\"}", SettingsError.OutOfRange, "rootCaFile");
        AssertRefused("{\"rootCaFile\":\"..\\\\con_wifi.sys\"}", SettingsError.OutOfRange, "rootCaFile");
        AssertRefused("{\"rootCaFile\":\"a/b.pem\"}", SettingsError.OutOfRange, "rootCaFile");
        AssertRefused("{\"board\":\"" + new string('b', 33) + "\"}", SettingsError.OutOfRange, "board");
    }

    [TestMethod]
    public void RangeLimitsThemselvesAreAccepted()
    {
        SettingsError error;
        BoardSettings s = Load("{\"statusLedPin\":48,\"mqttRxBufferSize\":1024,\"mqttTxBufferSize\":65536,\"jsonWindowSize\":128,"
            + "\"maxConfigSize\":16777216,\"downloadJitterMs\":600000,\"trialDeadlineMs\":3600000,\"maxTrialBoots\":1,\"keepAliveSeconds\":30}", out error);
        Assert.IsTrue(error == SettingsError.None, s.DescribeError());
        Assert.AreEqual(48, s.StatusLedPin);
        Assert.AreEqual(128, _device.ConfigWindowSize);
        Assert.AreEqual(16777216, _device.MaxConfigSize);
        Assert.AreEqual(30, _device.Linkkit.KeepAliveSeconds);
    }

    [TestMethod]
    public void BrokenDocumentsAreMalformedWithAnOffset()
    {
        AssertRefused("", SettingsError.Malformed, null);
        AssertRefused("{\"statusLedPin\":2", SettingsError.Malformed, null);
        AssertRefused("{\"statusLedPin\":2,}", SettingsError.Malformed, null);
        AssertRefused("{\"statusLedPin\":2} {}", SettingsError.Malformed, null);
        AssertRefused("{\"statusLedPin\":2", SettingsError.Malformed, null);
        SettingsError error;
        BoardSettings s = Load("{\"maxTrialBoots\":3,,}", out error);
        Assert.IsTrue(error == SettingsError.Malformed);
        Assert.AreEqual(19, s.ErrorOffset);
    }

    [TestMethod]
    public void ATopLevelThatIsNotAnObjectIsRefused()
    {
        AssertRefused("[]", SettingsError.NotAnObject, null);
        AssertRefused("\"board\"", SettingsError.NotAnObject, null);
        AssertRefused("42", SettingsError.NotAnObject, null);
    }

    [TestMethod]
    public void TheDescriptionNamesTheKindTheKeyAndTheOffset()
    {
        SettingsError error;
        BoardSettings s = Load("{\"keepAliveSeconds\":5}", out error);
        Assert.AreEqual("out of range: keepAliveSeconds at byte 20", s.DescribeError());
        s = Load("{\"colour\":5}", out error);
        Assert.AreEqual("unknown key: colour at byte 1", s.DescribeError());
    }
}
