#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
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

    [TestMethod]
    public void MatchesAHexSignInEitherCase()
    {
        Sha256 sha = new Sha256();
        byte[] digest = new byte[32];
        byte[] abc = TestBytes.Ascii("abc");
        sha.Update(abc, 0, 3);
        sha.Final(digest, 0);

        byte[] lower = TestBytes.Ascii("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        byte[] upper = TestBytes.Ascii("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
        byte[] mixed = TestBytes.Ascii("\"Ba7816bF8f01cfea414140DE5dae2223b00361a396177a9cb410ff61f20015aD\"");
        Assert.IsTrue(ConstantTime.HexMatches(lower, 0, 64, digest, 0, 32));
        Assert.IsTrue(ConstantTime.HexMatches(upper, 0, 64, digest, 0, 32));
        Assert.IsTrue(ConstantTime.HexMatches(mixed, 1, 64, digest, 0, 32));
    }

    [TestMethod]
    public void RejectsAnyWrongOrNonHexDigit()
    {
        byte[] digest = TestBytes.Sequence(0xA0, 16);
        byte[] hex = new byte[32];
        Hex.Encode(digest, 0, 16, hex, 0, false);
        Assert.IsTrue(ConstantTime.HexMatches(hex, 0, 32, digest, 0, 16));
        for (int i = 0; i < 32; i++)
        {
            byte kept = hex[i];
            for (int c = 0; c < 256; c++)
            {
                hex[i] = (byte)c;
                bool same = c == kept || (kept >= 'a' && c == kept - 32);
                Assert.AreEqual(same, ConstantTime.HexMatches(hex, 0, 32, digest, 0, 16), "position " + i + " char " + c);
            }

            hex[i] = kept;
        }
    }

    [TestMethod]
    public void RejectsAWrongLength()
    {
        byte[] digest = TestBytes.Sequence(1, 4);
        byte[] hex = TestBytes.Ascii("0102030400");
        Assert.IsTrue(ConstantTime.HexMatches(hex, 0, 8, digest, 0, 4));
        Assert.IsFalse(ConstantTime.HexMatches(hex, 0, 10, digest, 0, 4));
        Assert.IsFalse(ConstantTime.HexMatches(hex, 0, 6, digest, 0, 4));
        Assert.IsFalse(ConstantTime.HexMatches(hex, 0, 7, digest, 0, 4));
    }
}
