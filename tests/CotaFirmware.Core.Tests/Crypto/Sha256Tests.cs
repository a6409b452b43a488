using CotaFirmware.Crypto;

namespace CotaFirmware.Tests.Crypto;

[TestClass]
public class Sha256Tests
{
    private const string TwoBlockMessage = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    private const string LongMessage = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

    [TestMethod]
    public void HashesTheFipsExamples()
    {
        Sha256 sha = new Sha256();
        Assert.AreEqual(32, sha.HashSize);
        Assert.AreEqual(64, sha.BlockSize);
        Assert.AreEqual("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TestBytes.Digest(sha, TestBytes.Ascii("abc")));
        Assert.AreEqual("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", TestBytes.Digest(sha, TestBytes.Ascii(TwoBlockMessage)));
        Assert.AreEqual("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1", TestBytes.Digest(sha, TestBytes.Ascii(LongMessage)));
    }

    [TestMethod]
    public void HashesTheEmptyMessage()
    {
        Sha256 sha = new Sha256();
        Assert.AreEqual("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", TestBytes.Final(sha));
        sha.Update(new byte[0], 0, 0);
        Assert.AreEqual("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", TestBytes.Final(sha));
    }

    [TestMethod]
    public void HashesOneMillionAFedInChunks() =>
        Assert.AreEqual("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", TestBytes.DigestOfAMillionA(new Sha256()));

    [TestMethod]
    public void GivesTheSameDigestForEveryChunking() => TestBytes.AssertSameDigestForEveryChunking(new Sha256());

    [TestMethod]
    public void HashesAViewInsideALargerBuffer()
    {
        Sha256 sha = new Sha256();
        byte[] framed = TestBytes.Ascii("xx" + TwoBlockMessage + "yyy");
        sha.Update(framed, 2, TwoBlockMessage.Length);
        Assert.AreEqual("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", TestBytes.Final(sha));
    }

    [TestMethod]
    public void IsReusableAfterFinalAndReset() =>
        TestBytes.AssertReusableAfterFinalAndReset(new Sha256(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    [TestMethod]
    public void RejectsViewsOutsideTheBuffer()
    {
        Sha256 sha = new Sha256();
        byte[] data = new byte[10];
        Expect.Throws(typeof(ArgumentNullException), () => sha.Update(null, 0, 0));
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => sha.Update(data, 5, 6));
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => sha.Update(data, -1, 2));
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => sha.Update(data, 0, -1));
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => sha.Final(new byte[40], 9));
    }
}
