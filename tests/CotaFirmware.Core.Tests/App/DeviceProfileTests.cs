using CotaFirmware.Json;
using CotaFirmware.App;
using CotaFirmware.Tests.Json;

namespace CotaFirmware.Tests.App;

[TestClass]
public class DeviceProfileTests
{
    private static DeviceProfile Load(byte[] json, out SettingsError error)
    {
        DeviceProfile profile = new DeviceProfile();
        error = profile.Load(json, 0, json.Length, new JsonReader(null));
        return profile;
    }

    private static DeviceProfile Load(string json, out SettingsError error) => Load(JsonText.Bytes(json), out error);

    [TestMethod]
    public void EveryKeyIsRead()
    {
        SettingsError error;
        DeviceProfile p = Load("{\"productKey\":\"a1B2c3D4e5F\",\"deviceName\":\"dev-1\",\"deviceSecret\":\"s3cr3t\","
            + "\"productSecret\":\"ps\",\"region\":\"ap-southeast-1\",\"mqttDomain\":\"mqtt.example.com\",\"httpDomain\":\"iot.example.com\","
            + "\"dynamicRegistration\":true,\"wifiSsid\":\"lab\",\"wifiPassword\":\"pa\\\"ssword\"}", out error);
        Assert.IsTrue(error == SettingsError.None, p.DescribeError());
        Assert.AreEqual("a1B2c3D4e5F", p.ProductKey);
        Assert.AreEqual("dev-1", p.DeviceName);
        Assert.AreEqual("s3cr3t", p.DeviceSecret);
        Assert.AreEqual("ps", p.ProductSecret);
        Assert.AreEqual("ap-southeast-1", p.Region);
        Assert.AreEqual("mqtt.example.com", p.MqttDomain);
        Assert.AreEqual("iot.example.com", p.HttpDomain);
        Assert.IsTrue(p.DynamicRegistration);
        Assert.AreEqual("lab", p.WifiSsid);
        Assert.AreEqual("pa\"ssword", p.WifiPassword);
    }

    [TestMethod]
    public void AnMqttPortIsANumberFrom1To65535AndZeroWhenAbsent()
    {
        SettingsError error;
        DeviceProfile p = Load("{\"mqttDomain\":\"127.0.0.1\",\"mqttPort\":8883}", out error);
        Assert.IsTrue(error == SettingsError.None, p.DescribeError());
        Assert.AreEqual(8883, p.MqttPort);
        Assert.AreEqual(0, Load("{\"mqttDomain\":\"127.0.0.1\"}", out error).MqttPort);
        p = Load("{\"mqttPort\":65536}", out error);
        Assert.IsTrue(error == SettingsError.OutOfRange);
        Assert.AreEqual("mqttPort", p.ErrorKey);
        Assert.AreEqual(0, p.MqttPort);
        Load("{\"mqttPort\":0}", out error);
        Assert.IsTrue(error == SettingsError.OutOfRange);
        p = Load("{\"mqttPort\":\"8883\"}", out error);
        Assert.IsTrue(error == SettingsError.WrongType);
        Assert.AreEqual("mqttPort", p.ErrorKey);
    }

    [TestMethod]
    public void MissingNullAndEmptyValuesAreNull()
    {
        SettingsError error;
        DeviceProfile p = Load("{\"productKey\":\"pk\",\"deviceSecret\":null,\"region\":\"\"}", out error);
        Assert.IsTrue(error == SettingsError.None);
        Assert.AreEqual("pk", p.ProductKey);
        Assert.IsNull(p.DeviceSecret);
        Assert.IsNull(p.Region);
        Assert.IsNull(p.WifiSsid);
        Assert.IsFalse(p.DynamicRegistration);
    }

    [TestMethod]
    public void AnSsidIsDecodedFromUtf8IncludingEscapesAndAstralCharacters()
    {
        // "Café ☕ 😀" as UTF-8 bytes, and the same written with escapes.
        byte[] raw = new byte[] { (byte)'{', (byte)'"', (byte)'w', (byte)'i', (byte)'f', (byte)'i', (byte)'S', (byte)'s', (byte)'i', (byte)'d', (byte)'"', (byte)':', (byte)'"',
            (byte)'C', (byte)'a', (byte)'f', 0xC3, 0xA9, (byte)' ', 0xE2, 0x98, 0x95, (byte)' ', 0xF0, 0x9F, 0x98, 0x80, (byte)'"', (byte)'}' };
        SettingsError error;
        DeviceProfile p = Load(raw, out error);
        Assert.IsTrue(error == SettingsError.None, p.DescribeError());
        string expected = "Caf\u00e9 \u2615 \ud83d\ude00";
        Assert.AreEqual(expected, p.WifiSsid);
        p = Load("{\"wifiSsid\":\"Caf\\u00e9 \\u2615 \\ud83d\\ude00\"}", out error);
        Assert.IsTrue(error == SettingsError.None);
        Assert.AreEqual(expected, p.WifiSsid);
    }

    [TestMethod]
    public void ValuesBeyondTheirLengthAreRefusedByKeyOnly()
    {
        SettingsError error;
        DeviceProfile p = Load("{\"wifiSsid\":\"" + new string('s', 33) + "\"}", out error);
        Assert.IsTrue(error == SettingsError.OutOfRange);
        Assert.AreEqual("wifiSsid", p.ErrorKey);
        Assert.IsNull(p.WifiSsid);
        p = Load("{\"wifiSsid\":\"" + new string('s', 32) + "\",\"wifiPassword\":\"" + new string('p', 63) + "\"}", out error);
        Assert.IsTrue(error == SettingsError.None);

        // The Wi-Fi module takes a passphrase of 8 to 63 bytes: another is refused here, not at start-up; none is an open network.
        p = Load("{\"wifiPassword\":\"" + new string('p', 64) + "\"}", out error);
        Assert.IsTrue(error == SettingsError.OutOfRange);
        Assert.AreEqual("wifiPassword", p.ErrorKey);
        p = Load("{\"wifiPassword\":\"" + new string('p', 7) + "\"}", out error);
        Assert.IsTrue(error == SettingsError.OutOfRange);
        Assert.AreEqual("out of range: wifiPassword at byte 16", p.DescribeError());
        p = Load("{\"wifiPassword\":\"" + new string('p', 8) + "\"}", out error);
        Assert.IsTrue(error == SettingsError.None);
        p = Load("{\"wifiPassword\":\"\"}", out error);
        Assert.IsTrue(error == SettingsError.None);
        Assert.IsNull(p.WifiPassword);
        p = Load("{\"productKey\":\"pk\",\"deviceSecret\":\"" + new string('x', 65) + "\"}", out error);
        Assert.IsTrue(error == SettingsError.OutOfRange);
        Assert.AreEqual("deviceSecret", p.ErrorKey);
        Assert.IsNull(p.ProductKey);
        Assert.IsTrue(p.DescribeError().IndexOf("xxx") < 0);
    }

    [TestMethod]
    public void TheDocumentIsStrict()
    {
        SettingsError error;
        DeviceProfile p = Load("{\"productkey\":\"pk\"}", out error);
        Assert.IsTrue(error == SettingsError.UnknownKey);
        Assert.AreEqual("productkey", p.ErrorKey);
        p = Load("{\"deviceName\":\"a\",\"deviceName\":\"b\"}", out error);
        Assert.IsTrue(error == SettingsError.DuplicateKey);
        Assert.IsNull(p.DeviceName);
        p = Load("{\"dynamicRegistration\":\"yes\"}", out error);
        Assert.IsTrue(error == SettingsError.WrongType);
        Assert.AreEqual("dynamicRegistration", p.ErrorKey);
        p = Load("{\"wifiPassword\":12345678}", out error);
        Assert.IsTrue(error == SettingsError.WrongType);
        Assert.AreEqual("wrong type: wifiPassword at byte 16", p.DescribeError());
        p = Load("[\"productKey\"]", out error);
        Assert.IsTrue(error == SettingsError.NotAnObject);
        p = Load("{\"productKey\":\"pk\"", out error);
        Assert.IsTrue(error == SettingsError.Malformed);
        Assert.IsNull(p.ProductKey);
    }

    [TestMethod]
    public void AnUnknownRegionIsRefusedByName()
    {
        // The application turns a region id it does not know into cn-shanghai, where the device does not exist: a
        // misspelt region must refuse the file by name, as a misspelt key does, not connect to the wrong region.
        AssertRefused("{\"region\":\"cn-shangai\"}", SettingsError.OutOfRange, "region");
        AssertRefused("{\"region\":\"ap-southeast1\"}", SettingsError.OutOfRange, "region");
        SettingsError error;
        DeviceProfile p = Load("{\"region\":\"eu-central-1\"}", out error);
        Assert.IsTrue(error == SettingsError.None, p.DescribeError());
        Assert.AreEqual("eu-central-1", p.Region);
    }

    [TestMethod]
    public void AnMqttPortOrHttpDomainWithoutAnMqttDomainIsRefused()
    {
        // The application reads mqttPort and httpDomain only beside mqttDomain; alone they would be dropped unsaid and
        // the device would connect to the region's endpoint on its default port.
        AssertRefused("{\"region\":\"cn-shanghai\",\"mqttPort\":8883}", SettingsError.WithoutMqttDomain, "mqttPort");
        AssertRefused("{\"httpDomain\":\"iot.example.com\",\"dynamicRegistration\":true}", SettingsError.WithoutMqttDomain, "httpDomain");
    }

    [TestMethod]
    public void WifiCredentialsHoldingANulAreRefused()
    {
        // The radio takes the SSID and passphrase as C strings: an escaped NUL would cut them short after the check.
        AssertRefused("{\"wifiPassword\":\"pass\\u0000word\"}", SettingsError.OutOfRange, "wifiPassword");
        AssertRefused("{\"wifiSsid\":\"lab\\u0000net\"}", SettingsError.OutOfRange, "wifiSsid");
    }

    // json refuses the whole file with expected, naming key, and keeps nothing (not even a region it read before).
    private static void AssertRefused(string json, SettingsError expected, string key)
    {
        SettingsError error;
        DeviceProfile p = Load(json, out error);
        Assert.IsTrue(error == expected, json + " gave " + p.DescribeError());
        Assert.AreEqual(key, p.ErrorKey, json);
        Assert.IsNull(p.Region, json);
    }
}
