using CotaFirmware.Linkkit;

namespace CotaFirmware.Tests.Linkkit;

[TestClass]
public class LinkkitSignerTests
{
    private const long CaptureTimestamp = 2524608000000;

    [TestMethod]
    public void SignsTheDocumentedCaptureFieldsInAlphabeticalOrderKeyedWithTheDeviceSecret()
    {
        var mac = new RecordingMac();
        var signer = new LinkkitSigner(mac);
        var options = new LinkkitSettings { UseTls = false, AllowPlainTransport = true, KeepAliveSeconds = 60 };
        var c = new ConnectionCredentials();

        LinkkitStatus status = signer.SignConnection(new DeviceIdentity("pk1", "dn1", "secret1", null), options, CaptureTimestamp, c);

        Expect.Status(LinkkitStatus.Ok, status);
        Assert.AreEqual("clientIdpk1.dn1deviceNamedn1productKeypk1timestamp2524608000000", mac.LastMessage);
        Assert.AreEqual("secret1", mac.LastKey);
        Assert.IsTrue(mac.LastMethod == MacMethod.HmacSha256);
        Assert.AreEqual("pk1.dn1|securemode=3,signmethod=hmacsha256,timestamp=2524608000000|", c.ClientId);
        Assert.AreEqual("dn1&pk1", c.Username);
        byte[] digest = RecordingMac.DigestFor(MacMethod.HmacSha256, mac.LastMessage.Length, 7);
        Assert.AreEqual(Ascii.Hex(digest, 0, 32), c.Password);
        Assert.AreEqual(64, c.Password.Length);
        Assert.AreEqual(60, c.KeepAliveSeconds);
        Assert.IsFalse(c.CleanSession);
        Assert.IsFalse(c.UseTls);
    }

    [TestMethod]
    public void DefaultsAreTlsOnTheShanghaiHostPort1883WithHmacSha256AndKeepAlive300()
    {
        var c = new ConnectionCredentials();
        LinkkitStatus status = new LinkkitSigner(new RecordingMac()).SignConnection(new DeviceIdentity("a1X2bEnP82z", "example_zc", "k", null),
            new LinkkitSettings(), 1700000000123, c);

        Expect.Status(LinkkitStatus.Ok, status);
        Assert.AreEqual("a1X2bEnP82z.iot-as-mqtt.cn-shanghai.aliyuncs.com", c.Host);
        Assert.AreEqual(1883, c.Port);
        Assert.IsTrue(c.UseTls);
        Assert.AreEqual("a1X2bEnP82z.example_zc|securemode=2,signmethod=hmacsha256,timestamp=1700000000123|", c.ClientId);
        Assert.AreEqual(300, c.KeepAliveSeconds);
    }

    [TestMethod]
    public void HmacSha1GivesFortyLowercaseHexDigitsAndNamesItsMethod()
    {
        var mac = new RecordingMac();
        var c = new ConnectionCredentials();
        LinkkitStatus status = new LinkkitSigner(mac).SignConnection(new DeviceIdentity("pk1", "dn1", "secret1", null),
            new LinkkitSettings { SignMethod = MacMethod.HmacSha1 }, CaptureTimestamp, c);

        Expect.Status(LinkkitStatus.Ok, status);
        Assert.IsTrue(mac.LastMethod == MacMethod.HmacSha1);
        Assert.AreEqual("pk1.dn1|securemode=2,signmethod=hmacsha1,timestamp=2524608000000|", c.ClientId);
        Assert.AreEqual(Ascii.Hex(RecordingMac.DigestFor(MacMethod.HmacSha1, mac.LastMessage.Length, 7), 0, 20).ToLower(), c.Password);
    }

    [TestMethod]
    public void ACustomClientIdIsSignedAndSentAndMayBe64CharactersButNotMore()
    {
        string id64 = "0123456789012345678901234567890123456789012345678901234567890123";
        var mac = new RecordingMac();
        var c = new ConnectionCredentials();
        var signer = new LinkkitSigner(mac);
        var identity = new DeviceIdentity("pk1", "dn1", "secret1", null);

        Expect.Status(LinkkitStatus.Ok, signer.SignConnection(identity, new LinkkitSettings { ClientId = id64 }, 5, c));
        Assert.AreEqual("clientId" + id64 + "deviceNamedn1productKeypk1timestamp5", mac.LastMessage);
        Assert.AreEqual(id64 + "|securemode=2,signmethod=hmacsha256,timestamp=5|", c.ClientId);

        Expect.Status(LinkkitStatus.BadClientId, signer.SignConnection(identity, new LinkkitSettings { ClientId = id64 + "4" }, 5, c));
        Expect.Status(LinkkitStatus.BadClientId, signer.SignConnection(identity, new LinkkitSettings { ClientId = "a|b" }, 5, c));
        Expect.Status(LinkkitStatus.BadClientId, signer.SignConnection(identity, new LinkkitSettings { ClientId = "a,b" }, 5, c));
        Expect.Status(LinkkitStatus.BadClientId, signer.SignConnection(identity, new LinkkitSettings { ClientId = "a b" }, 5, c));
    }

    [TestMethod]
    public void TheDefaultClientIdOfTheLongestKeysStaysWithin64Characters()
    {
        // 20 + 1 + 32 = 53: the default {pk}.{dn} can never break the limit.
        var c = new ConnectionCredentials();
        var identity = new DeviceIdentity("ABCDEFGHIJKLMNOPQRST", "abcdefghijklmnopqrstuvwxyz012345", "k", null);
        Expect.Status(LinkkitStatus.Ok, new LinkkitSigner(new RecordingMac()).SignConnection(identity, new LinkkitSettings(), 1, c));
        Assert.AreEqual(53, c.ClientId.IndexOf('|'));
    }

    [TestMethod]
    public void KeepAliveMustBeWithin30To1200Seconds()
    {
        var signer = new LinkkitSigner(new RecordingMac());
        var identity = new DeviceIdentity("pk1", "dn1", "secret1", null);
        var c = new ConnectionCredentials();
        Expect.Status(LinkkitStatus.BadKeepAlive, signer.SignConnection(identity, new LinkkitSettings { KeepAliveSeconds = 29 }, 1, c));
        Expect.Status(LinkkitStatus.BadKeepAlive, signer.SignConnection(identity, new LinkkitSettings { KeepAliveSeconds = 1201 }, 1, c));
        Expect.Status(LinkkitStatus.Ok, signer.SignConnection(identity, new LinkkitSettings { KeepAliveSeconds = 30 }, 1, c));
        Assert.AreEqual(30, c.KeepAliveSeconds);
        Expect.Status(LinkkitStatus.Ok, signer.SignConnection(identity, new LinkkitSettings { KeepAliveSeconds = 1200 }, 1, c));
        Assert.AreEqual(1200, c.KeepAliveSeconds);
    }

    [TestMethod]
    public void PlainTcpIsRefusedUnlessExplicitlyAllowed()
    {
        var signer = new LinkkitSigner(new RecordingMac());
        var identity = new DeviceIdentity("pk1", "dn1", "secret1", null);
        var c = new ConnectionCredentials();
        Expect.Status(LinkkitStatus.PlainTransportNotAllowed, signer.SignConnection(identity, new LinkkitSettings { UseTls = false }, 1, c));
        Assert.IsNull(c.ClientId);
    }

    [TestMethod]
    public void MissingSecretOrUnsupportedMacAreNamedFailures()
    {
        var mac = new RecordingMac();
        var signer = new LinkkitSigner(mac);
        var c = new ConnectionCredentials();
        Expect.Status(LinkkitStatus.BadDeviceSecret, signer.SignConnection(new DeviceIdentity("pk1", "dn1", null, "ps"), new LinkkitSettings(), 1, c));
        Assert.AreEqual(0, mac.Calls);

        mac.Unsupported = true;
        Expect.Status(LinkkitStatus.SigningFailed, signer.SignConnection(new DeviceIdentity("pk1", "dn1", "secret1", null), new LinkkitSettings(), 1, c));
        Assert.IsNull(c.Password);
    }

    [TestMethod]
    public void RegistrationSignCoversDeviceNameProductKeyRandomKeyedWithTheProductSecret()
    {
        var mac = new RecordingMac();
        string sign = new LinkkitSigner(mac).SignRegistration(new DeviceIdentity("pk1", "dn1", null, "productSecret9"), "abc123");

        Assert.AreEqual("deviceNamedn1productKeypk1randomabc123", mac.LastMessage);
        Assert.AreEqual("productSecret9", mac.LastKey);
        Assert.IsTrue(mac.LastMethod == MacMethod.HmacSha256);
        Assert.AreEqual(Ascii.Hex(RecordingMac.DigestFor(MacMethod.HmacSha256, mac.LastMessage.Length, 14), 0, 32).ToLower(), sign);
        Assert.IsNull(new LinkkitSigner(mac).SignRegistration(new DeviceIdentity("pk1", "dn1", null, null), "abc123"));
    }
}
