using CotaFirmware.Linkkit;

namespace CotaFirmware.Tests.Linkkit;

[TestClass]
public class EndpointAndIdentityTests
{
    [TestMethod]
    public void EveryRegionHasItsMqttHostAndRegistrationUrl()
    {
        CheckRegion(CloudRegion.Shanghai, "cn-shanghai");
        CheckRegion(CloudRegion.Singapore, "ap-southeast-1");
        CheckRegion(CloudRegion.Japan, "ap-northeast-1");
        CheckRegion(CloudRegion.UsWest, "us-west-1");
        CheckRegion(CloudRegion.UsEast, "us-east-1");
        CheckRegion(CloudRegion.Germany, "eu-central-1");
    }

    private static void CheckRegion(CloudRegion region, string id)
    {
        var options = new LinkkitSettings { Region = region };
        Expect.Status(LinkkitStatus.Ok, options.Validate());
        Assert.AreEqual(id, LinkkitEndpoint.RegionId(region));
        Assert.AreEqual("a1B2.iot-as-mqtt." + id + ".aliyuncs.com", LinkkitEndpoint.MqttHost("a1B2", options));
        Assert.AreEqual("https://iot-auth." + id + ".aliyuncs.com/auth/register/device", LinkkitEndpoint.RegistrationUrl(options));
    }

    [TestMethod]
    public void CustomDomainsReplaceTheRegionalOnes()
    {
        var options = new LinkkitSettings
        {
            Region = CloudRegion.Germany,
            MqttDomain = "iot-06z00abc.mqtt.iothub.aliyuncs.com",
            HttpDomain = "iot-06z00abc.auth.iothub.aliyuncs.com",
            Port = 8883,
        };
        Expect.Status(LinkkitStatus.Ok, options.Validate());
        Assert.AreEqual("iot-06z00abc.mqtt.iothub.aliyuncs.com", LinkkitEndpoint.MqttHost("pk1", options));
        Assert.AreEqual("https://iot-06z00abc.auth.iothub.aliyuncs.com/auth/register/device", LinkkitEndpoint.RegistrationUrl(options));

        options.HttpDomain = "https://127.0.0.1:8443";
        Expect.Status(LinkkitStatus.Ok, options.Validate());
        Assert.AreEqual("https://127.0.0.1:8443/auth/register/device", LinkkitEndpoint.RegistrationUrl(options));
    }

    [TestMethod]
    public void PlainHttpRegistrationNeedsPlainTransportAllowed()
    {
        var options = new LinkkitSettings { HttpDomain = "http://127.0.0.1:8080" };
        Expect.Status(LinkkitStatus.PlainTransportNotAllowed, options.Validate());
        options.AllowPlainTransport = true;
        Expect.Status(LinkkitStatus.Ok, options.Validate());
        Assert.AreEqual("http://127.0.0.1:8080/auth/register/device", LinkkitEndpoint.RegistrationUrl(options));
    }

    [TestMethod]
    public void BadDomainsPortsAndSizesAreRefused()
    {
        Expect.Status(LinkkitStatus.BadSettings, new LinkkitSettings { MqttDomain = "" }.Validate());
        Expect.Status(LinkkitStatus.BadSettings, new LinkkitSettings { MqttDomain = "host/path" }.Validate());
        Expect.Status(LinkkitStatus.BadSettings, new LinkkitSettings { HttpDomain = "a b" }.Validate());
        Expect.Status(LinkkitStatus.BadSettings, new LinkkitSettings { HttpDomain = "https://" }.Validate());
        Expect.Status(LinkkitStatus.BadSettings, new LinkkitSettings { Port = 0 }.Validate());
        Expect.Status(LinkkitStatus.BadSettings, new LinkkitSettings { Port = 65536 }.Validate());
        Expect.Status(LinkkitStatus.BadSettings, new LinkkitSettings { MaxPendingRequests = 0 }.Validate());
        Expect.Status(LinkkitStatus.BadSettings, new LinkkitSettings { TxBufferSize = 10 }.Validate());
        Expect.Status(LinkkitStatus.BadSettings, new LinkkitSettings { Region = (CloudRegion)99 }.Validate());
    }

    [TestMethod]
    public void IdentityChecksEachPart()
    {
        Expect.Status(LinkkitStatus.Ok, new DeviceIdentity("a1X2bEnP82z", "dev_1-a@b.c:d", "XZvZ1295n3mzGFYWHUnjy1xkdHb919C8", null).Validate(true));
        Expect.Status(LinkkitStatus.BadProductKey, new DeviceIdentity(null, "dn1", "s", null).Validate(true));
        Expect.Status(LinkkitStatus.BadProductKey, new DeviceIdentity("pk.1", "dn1", "s", null).Validate(true));
        Expect.Status(LinkkitStatus.BadProductKey, new DeviceIdentity("ABCDEFGHIJKLMNOPQRSTU", "dn1", "s", null).Validate(true));
        Expect.Status(LinkkitStatus.BadDeviceName, new DeviceIdentity("pk1", "", "s", null).Validate(true));
        Expect.Status(LinkkitStatus.BadDeviceName, new DeviceIdentity("pk1", "dn/1", "s", null).Validate(true));
        Expect.Status(LinkkitStatus.BadDeviceName, new DeviceIdentity("pk1", "dn+", "s", null).Validate(true));
        Expect.Status(LinkkitStatus.BadDeviceName, new DeviceIdentity("pk1", "abcdefghijklmnopqrstuvwxyz0123456", "s", null).Validate(true));
        Expect.Status(LinkkitStatus.BadDeviceSecret, new DeviceIdentity("pk1", "dn1", null, "ps").Validate(true));
        Expect.Status(LinkkitStatus.Ok, new DeviceIdentity("pk1", "dn1", null, "ps").Validate(false));
        Expect.Status(LinkkitStatus.BadDeviceSecret, new DeviceIdentity("pk1", "dn1", "a b", null).Validate(false));
        Expect.Status(LinkkitStatus.BadProductSecret, new DeviceIdentity("pk1", "dn1", null, "").Validate(false));
    }

    [TestMethod]
    public void IdentityTextNeverShowsSecrets()
    {
        string text = new DeviceIdentity("pk1", "dn1", "devSecretX", "prodSecretY").ToString();
        Assert.AreEqual("pk1.dn1", text);
    }
}
