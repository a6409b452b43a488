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
    public void HashesOneMillionAFedInChunks()
    {
        Sha1 sha = new Sha1();
        byte[] chunk = TestBytes.Repeat((byte)'a', 1000);
        for (int i = 0; i < 1000; i++)
        {
            sha.Update(chunk, 0, chunk.Length);
        }

        Assert.AreEqual("34aa973cd4c4daa4f61eeb2bdbad27316534016f", TestBytes.Final(sha));
    }

    [TestMethod]
    public void GivesTheSameDigestForEveryChunking()
    {
        Sha1 sha = new Sha1();
        byte[] data = TestBytes.Pattern(300, 11);
        string whole = TestBytes.Digest(sha, data);
        for (int chunk = 1; chunk <= 130; chunk++)
        {
            Assert.AreEqual(whole, TestBytes.DigestInChunks(sha, data, chunk), "chunk " + chunk);
        }
    }

    [TestMethod]
    public void IsReusableAfterFinalAndReset()
    {
        Sha1 sha = new Sha1();
        byte[] abc = TestBytes.Ascii("abc");
        Assert.AreEqual("a9993e364706816aba3e25717850c26c9cd0d89d", TestBytes.Digest(sha, abc));
        Assert.AreEqual("a9993e364706816aba3e25717850c26c9cd0d89d", TestBytes.Digest(sha, abc));
        sha.Update(TestBytes.Pattern(70, 2), 0, 70);
        sha.Reset();
        Assert.AreEqual("a9993e364706816aba3e25717850c26c9cd0d89d", TestBytes.Digest(sha, abc));
    }
}
