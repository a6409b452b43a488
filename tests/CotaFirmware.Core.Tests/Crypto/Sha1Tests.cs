using CotaFirmware.Crypto;

namespace CotaFirmware.Tests.Crypto;

[TestClass]
public class Sha1Tests
{
    [TestMethod]
    public void HashesTheFipsExamples()
    {
        Sha1 sha = new Sha1();
        Assert.AreEqual(20, sha.HashSize);
        Assert.AreEqual(64, sha.BlockSize);
        Assert.AreEqual("a9993e364706816aba3e25717850c26c9cd0d89d", TestBytes.Digest(sha, TestBytes.Ascii("abc")));
        Assert.AreEqual("84983e441c3bd26ebaae4aa1f95129e5e54670f1", TestBytes.Digest(sha, TestBytes.Ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")));
        Assert.AreEqual("a49b2446a02c645bf419f995b67091253a04a259", TestBytes.Digest(sha, TestBytes.Ascii("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")));
        Assert.AreEqual("da39a3ee5e6b4b0d3255bfef95601890afd80709", TestBytes.Final(sha));
    }

    [TestMethod]
    public void HashesOneMillionAFedInChunks() =>
        Assert.AreEqual("34aa973cd4c4daa4f61eeb2bdbad27316534016f", TestBytes.DigestOfAMillionA(new Sha1()));

    [TestMethod]
    public void GivesTheSameDigestForEveryChunking() => TestBytes.AssertSameDigestForEveryChunking(new Sha1());

    [TestMethod]
    public void IsReusableAfterFinalAndReset() =>
        TestBytes.AssertReusableAfterFinalAndReset(new Sha1(), "a9993e364706816aba3e25717850c26c9cd0d89d");
}
