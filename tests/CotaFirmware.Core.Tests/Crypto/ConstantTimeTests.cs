using CotaFirmware.Crypto;

namespace CotaFirmware.Tests.Crypto;

[TestClass]
public class ConstantTimeTests
{
    [TestMethod]
    public void ComparesViews()
    {
        byte[] left = TestBytes.Ascii("--secret--");
        byte[] right = TestBytes.Ascii("secret");
        Assert.IsTrue(ConstantTime.AreEqual(left, 2, 6, right, 0, 6));
        Assert.IsTrue(ConstantTime.AreEqual(left, 0, 0, right, 6, 0));
        Assert.IsFalse(ConstantTime.AreEqual(left, 2, 5, right, 0, 6));
        for (int i = 0; i < 6; i++)
        {
            right[i] ^= 0x01;
            Assert.IsFalse(ConstantTime.AreEqual(left, 2, 6, right, 0, 6), "byte " + i);
            right[i] ^= 0x01;
        }
    }
}
