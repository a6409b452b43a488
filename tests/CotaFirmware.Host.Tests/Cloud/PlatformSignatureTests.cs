using System.Security.Cryptography;
using System.Text;
using CotaFirmware.Host.Cloud.Broker;
using CotaFirmware.Host.Cloud.Files;
using CotaFirmware.Host.Cloud.Registry;

namespace CotaFirmware.HostTests.Cloud;

/// <summary>The platform's signing rules, clientId parsing, topic rights and Range parsing, without servers.</summary>
[TestClass]
public sealed class PlatformSignatureTests
{
    [TestMethod]
    public void SignContentMatchesTheCapturedCSdkConnect()
    {
        // iotkit-embedded 3.0.1, captured: clientId pk1.dn1|timestamp=2524608000000,...|, username dn1&pk1.
        Assert.IsTrue(AliyunClientId.TryParse(
            "pk1.dn1|timestamp=2524608000000,_v=sdk-c-3.0.1,securemode=3,signmethod=hmacsha256,lan=C,gw=0,ext=0|",
            out var id));
        Assert.AreEqual("clientIdpk1.dn1deviceNamedn1productKeypk1timestamp2524608000000",
            DeviceSignature.MqttSignContent(id!.Id, "dn1", "pk1", id.Timestamp));
    }

    [TestMethod]
    public void PasswordIsUppercaseHexHmacOfTheContent()
    {
        var password = DeviceSignature.MqttPassword("hmacsha256", "secret1", "pk1.dn1", "dn1", "pk1", "2524608000000");
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes("secret1"),
            Encoding.UTF8.GetBytes("clientIdpk1.dn1deviceNamedn1productKeypk1timestamp2524608000000"));
        Assert.AreEqual(64, password.Length);
        Assert.AreEqual(Convert.ToHexString(expected), password);
        Assert.IsTrue(DeviceSignature.HexMatches(password.ToLowerInvariant(), expected));
        Assert.IsFalse(DeviceSignature.HexMatches(password[..62], expected));
        Assert.IsFalse(DeviceSignature.HexMatches(new string('z', 64), expected));
    }

    [TestMethod]
    public void ContentLeavesOutAnAbsentTimestamp()
    {
        Assert.AreEqual("clientIdadeviceNamebproductKeyc", DeviceSignature.MqttSignContent("a", "b", "c", null));
    }

    [TestMethod]
    public void RegisterSignIsHmacSha256OfTheFormFields()
    {
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes("ps"),
            Encoding.UTF8.GetBytes("deviceNamednproductKeypkrandom123"));
        Assert.AreEqual(Convert.ToHexString(expected), DeviceSignature.RegisterSign("ps", "pk", "dn", "123"));
    }

    [TestMethod]
    [DataRow("pk.dn|securemode=2,signmethod=hmacsha256,timestamp=1|", true)]
    [DataRow("pk.dn|securemode=3,signmethod=hmacsha1|", true)]
    [DataRow("pk.dn|signmethod=hmacsha1,securemode=3,timestamp=1,_v=x|", true)]
    [DataRow("pk.dn", false)]
    [DataRow("pk.dn|securemode=3,signmethod=hmacsha1", false)]
    [DataRow("|securemode=3,signmethod=hmacsha1|", false)]
    [DataRow("pk.dn|securemode=3|", false)]
    [DataRow("pk.dn|signmethod=hmacsha256|", false)]
    [DataRow("pk.dn|securemode=7,signmethod=hmacsha256|", false)]
    [DataRow("pk.dn|securemode=3,signmethod=hmacsha512|", false)]
    [DataRow("pk.dn|securemode=3,signmethod=hmacsha256,timestamp=12a|", false)]
    [DataRow("pk.dn|securemode=3,securemode=3,signmethod=hmacsha256|", false)]
    [DataRow("pk.dn|securemode=3,signmethod=hmacsha256||", false)]
    [DataRow("pk dn|securemode=3,signmethod=hmacsha256|", false)]
    [DataRow("pk.dn|securemode=3,,signmethod=hmacsha256|", false)]
    [DataRow("", false)]
    public void ClientIdIsParsedStrictly(string raw, bool valid)
    {
        Assert.AreEqual(valid, AliyunClientId.TryParse(raw, out _));
    }

    [TestMethod]
    public void ClientIdBeforeTheBarIsAtMost64Characters()
    {
        Assert.IsTrue(AliyunClientId.TryParse(new string('a', 64) + "|securemode=3,signmethod=hmacsha1|", out _));
        Assert.IsFalse(AliyunClientId.TryParse(new string('a', 65) + "|securemode=3,signmethod=hmacsha1|", out _));
    }

    [TestMethod]
    [DataRow("/sys/pk/dn/thing/config/push", true)]
    [DataRow("/sys/pk/dn/#", true)]
    [DataRow("/sys/pk/dn/thing/config/+", true)]
    [DataRow("/sys/pk/dn", true)]
    [DataRow("/ota/device/upgrade/pk/dn", true)]
    [DataRow("/ota/device/+/pk/dn", true)]
    [DataRow("/pk/dn/user/get", true)]
    [DataRow("/sys/pk/other/thing/config/push", false)]
    [DataRow("/sys/pk/+/thing/config/push", false)]
    [DataRow("/sys/#", false)]
    [DataRow("#", false)]
    [DataRow("/sys/other/dn/thing/config/push", false)]
    [DataRow("/ota/device/upgrade/pk/dn/x", false)]
    [DataRow("/ota/device/#", false)]
    [DataRow("/pk/dn/other", false)]
    [DataRow("/pk/+/user/get", false)]
    public void DeviceMayUseOnlyItsOwnTopics(string topic, bool allowed)
    {
        Assert.AreEqual(allowed, TopicRights.Allows("pk", "dn", topic));
    }

    [TestMethod]
    [DataRow("bytes=0-", 0L, 99L, true, true)]
    [DataRow("bytes=10-", 10L, 99L, true, true)]
    [DataRow("bytes=10-19", 10L, 19L, true, true)]
    [DataRow("bytes=90-500", 90L, 99L, true, true)]
    [DataRow("bytes=-10", 90L, 99L, true, true)]
    [DataRow("bytes=100-", 100L, 99L, true, false)]
    [DataRow("bytes=-0", 100L, 99L, true, false)]
    [DataRow("bytes=5-1", 0L, 99L, false, true)]
    [DataRow("bytes=0-1,5-6", 0L, 99L, false, true)]
    [DataRow("items=0-", 0L, 99L, false, true)]
    [DataRow("bytes=x-", 0L, 99L, false, true)]
    public void RangeHeaderIsParsedAsOneByteRange(string header, long first, long last, bool used, bool satisfiable)
    {
        Assert.AreEqual(used, ConfigFileServer.TryParseRange(header, 100, out var f, out var l, out var s));
        if (used)
        {
            Assert.AreEqual(satisfiable, s);
            if (s)
            {
                Assert.AreEqual(first, f);
                Assert.AreEqual(last, l);
            }
        }
    }
}
