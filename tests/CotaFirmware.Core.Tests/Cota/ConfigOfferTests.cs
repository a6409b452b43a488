using CotaFirmware.Cota;

namespace CotaFirmware.Tests.Cota;

[TestClass]
public class ConfigOfferTests
{
    private static bool TrySet(ConfigOffer offer, string id, long size, string sign, string url)
    {
        byte[] i = DownloadFixture.Ascii(id);
        byte[] s = DownloadFixture.Ascii(sign);
        byte[] u = DownloadFixture.Ascii(url);
        return offer.Set(i, 0, i.Length, size, s, 0, s.Length, u, 0, u.Length);
    }

    private const string Sign = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    [TestMethod]
    public void HoldsAnOssLengthUrlAndDecodesTheSignInEitherCase()
    {
        ConfigOffer lower = new ConfigOffer(2048);
        string url = DownloadFixture.Url("https");
        Assert.IsTrue(url.Length > 800);
        Assert.IsTrue(TrySet(lower, "123dagdah", 1234, Sign, url));
        Assert.AreEqual(url, lower.UrlText());
        Assert.AreEqual(1234L, lower.Size);
        Assert.AreEqual(9, lower.ConfigIdLength);

        ConfigOffer upper = new ConfigOffer(2048);
        Assert.IsTrue(TrySet(upper, "123dagdah", 1234, Sign.ToUpper(), url));
        byte[] digest = new byte[32];
        upper.CopyDigest(digest, 0);
        Assert.IsTrue(lower.DigestEquals(digest, 0));
        Assert.AreEqual(0xba, (int)digest[0]);
        Assert.AreEqual(0xad, (int)digest[31]);
        digest[31] ^= 1;
        Assert.IsFalse(lower.DigestEquals(digest, 0));
    }

    [TestMethod]
    public void RefusesBadFieldsAndStaysEmpty()
    {
        ConfigOffer offer = new ConfigOffer(64);
        string url = "https://h/c.json";
        Assert.IsFalse(TrySet(offer, "", 10, Sign, url));
        Assert.IsFalse(TrySet(offer, "id", -1, Sign, url));
        Assert.IsFalse(TrySet(offer, "id", 10, Sign.Substring(2), url));
        Assert.IsFalse(TrySet(offer, "id", 10, Sign.Substring(0, 63) + "g", url));
        Assert.IsFalse(TrySet(offer, "id", 10, Sign.Substring(0, 63) + "G", url));
        Assert.IsFalse(TrySet(offer, "id", 10, Sign.Substring(0, 63) + "\u0011", url));
        Assert.IsFalse(TrySet(offer, "id", 10, Sign.Substring(0, 63) + ":", url));
        Assert.IsFalse(TrySet(offer, "id", 10, Sign, "https://h/a b"));
        Assert.IsFalse(TrySet(offer, "id", 10, Sign, DownloadFixture.Url("https")));
        string longId = "";
        for (int i = 0; i < 65; i++)
        {
            longId += "x";
        }

        Assert.IsFalse(TrySet(offer, longId, 10, Sign, url));
        Assert.IsFalse(offer.IsSet);
        Assert.IsTrue(TrySet(offer, longId.Substring(1), 10, Sign, url));
        Assert.IsTrue(offer.IsSet);
        Assert.AreEqual(url, offer.UrlText());
    }
}
