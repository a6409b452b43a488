using CotaFirmware.Crypto;

namespace CotaFirmware.Tests.Crypto;

[TestClass]
public class HmacTests
{
    private const string LargeKeyData = "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.";

    // Each case runs twice: over the core's hash (keyed by state snapshots) and over a hash that cannot snapshot
    // (keyed by replaying the padded key blocks).
    private static void AssertSha256(string expected, byte[] key, byte[] data)
    {
        Assert.AreEqual(expected, TestBytes.Digest(new Hmac(new Sha256(), key, 0, key.Length), data));
        Assert.AreEqual(expected, TestBytes.Digest(new Hmac(new ForwardingHash(new Sha256()), key, 0, key.Length), data));
    }

    private static void AssertSha1(string expected, byte[] key, byte[] data)
    {
        Assert.AreEqual(expected, TestBytes.Digest(new Hmac(new Sha1(), key, 0, key.Length), data));
        Assert.AreEqual(expected, TestBytes.Digest(new Hmac(new ForwardingHash(new Sha1()), key, 0, key.Length), data));
    }

    [TestMethod]
    public void Rfc4231Case1To4()
    {
        AssertSha256("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", TestBytes.Repeat(0x0b, 20), TestBytes.Ascii("Hi There"));
        AssertSha256("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", TestBytes.Ascii("Jefe"), TestBytes.Ascii("what do ya want for nothing?"));
        AssertSha256("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", TestBytes.Repeat(0xaa, 20), TestBytes.Repeat(0xdd, 50));
        AssertSha256("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", TestBytes.Sequence(1, 25), TestBytes.Repeat(0xcd, 50));
    }

    [TestMethod]
    public void Rfc4231Case5IsCheckedOnItsTruncatedPrefix()
    {
        byte[] key = TestBytes.Repeat(0x0c, 20);
        string mac = TestBytes.Digest(new Hmac(new Sha256(), key, 0, key.Length), TestBytes.Ascii("Test With Truncation"));
        Assert.AreEqual("a3b6167473100ee06e0c796c2955552b", mac.Substring(0, 32));
    }

    [TestMethod]
    public void Rfc4231Case6And7HashAKeyLongerThanTheBlock()
    {
        byte[] key = TestBytes.Repeat(0xaa, 131);
        AssertSha256("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", key, TestBytes.Ascii("Test Using Larger Than Block-Size Key - Hash Key First"));
        AssertSha256("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", key, TestBytes.Ascii(LargeKeyData));
    }

    [TestMethod]
    public void Rfc2202HmacSha1()
    {
        AssertSha1("b617318655057264e28bc0b6fb378c8ef146be00", TestBytes.Repeat(0x0b, 20), TestBytes.Ascii("Hi There"));
        AssertSha1("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", TestBytes.Ascii("Jefe"), TestBytes.Ascii("what do ya want for nothing?"));
        AssertSha1("125d7342b9ac11cd91a39af48aa17b4f63f175d3", TestBytes.Repeat(0xaa, 20), TestBytes.Repeat(0xdd, 50));
        AssertSha1("4c9007f4026250c6bc8414f9bf50c86c2d7235da", TestBytes.Sequence(1, 25), TestBytes.Repeat(0xcd, 50));
        AssertSha1("4c1a03424b55e07fe7f27be1d58bb9324a9a5a04", TestBytes.Repeat(0x0c, 20), TestBytes.Ascii("Test With Truncation"));
        AssertSha1("aa4ae5e15272d00e95705637ce8a3b55ed402112", TestBytes.Repeat(0xaa, 80), TestBytes.Ascii("Test Using Larger Than Block-Size Key - Hash Key First"));
        AssertSha1("e8e99d0f45237d786d6bbaa7965c7808bbff1a91", TestBytes.Repeat(0xaa, 80), TestBytes.Ascii("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"));
    }

    [TestMethod]
    public void TakesTheKeyAsAViewAndDoesNotKeepIt()
    {
        byte[] framed = TestBytes.Ascii("--Jefe--");
        Hmac hmac = new Hmac(new Sha256(), framed, 2, 4);
        framed[2] = 0;
        Assert.AreEqual("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", TestBytes.Digest(hmac, TestBytes.Ascii("what do ya want for nothing?")));
    }

    [TestMethod]
    public void IsReusableAfterFinalAndReset()
    {
        byte[] key = TestBytes.Ascii("Jefe");
        byte[] data = TestBytes.Ascii("what do ya want for nothing?");
        Hmac hmac = new Hmac(new Sha256(), key, 0, key.Length);
        Assert.AreEqual("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", TestBytes.Digest(hmac, data));
        Assert.AreEqual("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", TestBytes.DigestInChunks(hmac, data, 5));
        hmac.Update(TestBytes.Pattern(90, 3), 0, 90);
        hmac.Reset();
        Assert.AreEqual("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", TestBytes.Digest(hmac, data));
    }

    [TestMethod]
    public void AcceptsAnEmptyKey()
    {
        byte[] key = new byte[0];
        // HMAC-SHA256 with an empty key over an empty message, as every HMAC implementation gives it.
        Assert.AreEqual("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad", TestBytes.Final(new Hmac(new Sha256(), key, 0, 0)));
    }

    [TestMethod]
    public void RejectsAMissingHashOrKey()
    {
        byte[] key = new byte[4];
        Expect.Throws(typeof(ArgumentNullException), () => new Hmac(null, key, 0, 4));
        Expect.Throws(typeof(ArgumentNullException), () => new Hmac(new Sha256(), null, 0, 0));
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => new Hmac(new Sha256(), key, 2, 3));
    }
}
