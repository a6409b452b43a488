using System.Security.Cryptography;
using System.Text;
using CotaFirmware.Linkkit;
using CsCheck;

namespace CotaFirmware.HostTests.Linkkit;

[TestClass]
public sealed class LinkkitSigningHostTests
{
    // The capture of iotkit-embedded 3.0.1 (shared/reference/aliyun-cota.md): pk1/dn1, timestamp 2524608000000,
    // password = 64 uppercase hex, HMAC-SHA256 keyed with the device secret over this exact text.
    private const string CaptureSignedText = "clientIdpk1.dn1deviceNamedn1productKeypk1timestamp2524608000000";

    private static string Hex(byte[] b, bool upper) => upper ? Convert.ToHexString(b) : Convert.ToHexStringLower(b);

    [TestMethod]
    public void TheDocumentedCapturesPasswordIsTheHmacSha256OfItsSignedText()
    {
        foreach (string secret in new[] { "secret1", "XZvZ1295n3mzGFYWHUnjy1xkdHb919C8", "a" })
        {
            var c = new ConnectionCredentials();
            var options = new LinkkitSettings { UseTls = false, AllowPlainTransport = true, KeepAliveSeconds = 60 };
            LinkkitStatus status = new LinkkitSigner(new SystemMac()).SignConnection(new DeviceIdentity("pk1", "dn1", secret, null), options, 2524608000000, c);

            Expect.Status(LinkkitStatus.Ok, status);
            string expected = Hex(HMACSHA256.HashData(Encoding.ASCII.GetBytes(secret), Encoding.ASCII.GetBytes(CaptureSignedText)), true);
            Assert.AreEqual(expected, c.Password);
            Assert.AreEqual(64, c.Password.Length);
            Assert.AreEqual("dn1&pk1", c.Username);
            Assert.IsTrue(c.ClientId.StartsWith("pk1.dn1|"));
            StringAssert.Contains(c.ClientId, "securemode=3");
            StringAssert.Contains(c.ClientId, "signmethod=hmacsha256");
            StringAssert.Contains(c.ClientId, "timestamp=2524608000000");
        }
    }

    [TestMethod]
    public void SignaturesMatchDotNetForAnyValidIdentity()
    {
        const string keyChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        const string nameChars = keyChars + "_-@.:";
        static string Pick(Random r, string chars, int min, int max) =>
            new(Enumerable.Range(0, r.Next(min, max + 1)).Select(_ => chars[r.Next(chars.Length)]).ToArray());
        Gen.Int.Sample(seed =>
            {
                var r = new Random(seed);
                string p = Pick(r, keyChars, 1, 20), d = Pick(r, nameChars, 1, 32);
                string s = new(Enumerable.Range(0, r.Next(1, 65)).Select(_ => (char)r.Next('!', '~' + 1)).ToArray());
                long ts = r.NextInt64(0, 99999999999999);
                bool sha1 = r.Next(2) == 0;
                var c = new ConnectionCredentials();
                var options = new LinkkitSettings { SignMethod = sha1 ? MacMethod.HmacSha1 : MacMethod.HmacSha256 };
                Expect.Status(LinkkitStatus.Ok, new LinkkitSigner(new SystemMac()).SignConnection(new DeviceIdentity(p, d, s, null), options, ts, c));
                byte[] text = Encoding.ASCII.GetBytes("clientId" + p + "." + d + "deviceName" + d + "productKey" + p + "timestamp" + ts);
                byte[] key = Encoding.ASCII.GetBytes(s);
                string expected = sha1 ? Hex(HMACSHA1.HashData(key, text), false) : Hex(HMACSHA256.HashData(key, text), true);
                Assert.AreEqual(expected, c.Password);
                Assert.AreEqual(p + "." + d + "|securemode=2,signmethod=" + (sha1 ? "hmacsha1" : "hmacsha256") + ",timestamp=" + ts + "|", c.ClientId);

                string sign = new LinkkitSigner(new SystemMac()).SignRegistration(new DeviceIdentity(p, d, null, s), "r" + ts);
                Assert.AreEqual(Hex(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes("deviceName" + d + "productKey" + p + "random" + "r" + ts)), false), sign);
            }, iter: 300);
    }

    [TestMethod]
    public void WithoutAClockTheClientIdDiffersPerAttemptAndTheLocalPlatformVerifiesIt()
    {
        var identity = new DeviceIdentity("pk1", "dn1", "secret1", null);
        var settings = new LinkkitSettings { UseTls = false, AllowPlainTransport = true };
        var ids = new HashSet<string>();
        foreach (long uptime in new long[] { 0, 1, 4711, 4712, 86_400_000 })
        {
            var c = new ConnectionCredentials();
            Expect.Status(LinkkitStatus.Ok, new LinkkitSigner(new SystemMac()).SignConnectionWithoutClock(identity, settings, uptime, c));
            Assert.IsTrue(CotaFirmware.Host.Cloud.Broker.AliyunClientId.TryParse(c.ClientId, out var parsed) && parsed is not null, c.ClientId);
            StringAssert.StartsWith(parsed.Id, "pk1.dn1_");
            Assert.AreEqual(16, parsed.Id.Length);
            Assert.AreEqual(CotaFirmware.Host.Cloud.Broker.PlatformBroker.NoClockTimestamp, parsed.Timestamp);
            var expected = CotaFirmware.Host.Cloud.Registry.DeviceSignature.Hmac(parsed.SignMethod, "secret1",
                CotaFirmware.Host.Cloud.Registry.DeviceSignature.MqttSignContent(parsed.Id, "dn1", "pk1", parsed.Timestamp))!;
            Assert.IsTrue(CotaFirmware.Host.Cloud.Registry.DeviceSignature.HexMatches(c.Password, expected), "the platform verifies it");
            ids.Add(c.ClientId);
        }

        Assert.AreEqual(5, ids.Count, "one client id per uptime");
    }

    [TestMethod]
    public void SystemMacMatchesRfc4231TestCase2()
    {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
        byte[] output = new byte[40];
        byte[] key = Encoding.ASCII.GetBytes("Jefe");
        byte[] data = Encoding.ASCII.GetBytes("what do ya want for nothing?");
        int n = new SystemMac().Compute(MacMethod.HmacSha256, key, 0, key.Length, data, 0, data.Length, output, 3);
        Assert.AreEqual(32, n);
        Assert.AreEqual("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", Convert.ToHexStringLower(output, 3, 32));
    }
}
