using CotaFirmware.Crypto;

namespace CotaFirmware.Tests.Crypto;

[TestClass]
public class Crc32Tests
{
    [TestMethod]
    public void GivesTheCheckValue()
    {
        byte[] check = TestBytes.Ascii("123456789");
        Assert.AreEqual(0xCBF43926u, Crc32.Compute(check, 0, check.Length));
    }

    [TestMethod]
    public void GivesPublishedValues()
    {
        byte[] fox = TestBytes.Ascii("The quick brown fox jumps over the lazy dog");
        Assert.AreEqual(0x414FA339u, Crc32.Compute(fox, 0, fox.Length));
        Assert.AreEqual(0xE8B7BE43u, Crc32.Compute(TestBytes.Ascii("a"), 0, 1));
        Assert.AreEqual(0u, Crc32.Compute(new byte[0], 0, 0));
    }

    [TestMethod]
    public void ReadsOnlyItsView()
    {
        byte[] check = TestBytes.Ascii("xx123456789yy");
        Assert.AreEqual(0xCBF43926u, Crc32.Compute(check, 2, 9));
    }

    [TestMethod]
    public void PiecesFedInTurnGiveTheCrcOfTheWhole()
    {
        byte[] check = TestBytes.Ascii("123456789");
        for (int split = 0; split <= check.Length; split++)
        {
            uint crc = Crc32.Update(Crc32.Initial, check, 0, split);
            crc = Crc32.Update(crc, check, split, check.Length - split);
            Assert.AreEqual(0xCBF43926u, crc);
        }
    }

    [TestMethod]
    public void DetectsASingleFlippedBit()
    {
        byte[] data = TestBytes.Pattern(64, 9);
        uint before = Crc32.Compute(data, 0, data.Length);
        data[17] ^= 0x10;
        Assert.IsFalse(before == Crc32.Compute(data, 0, data.Length));
    }

    [TestMethod]
    public void RejectsViewsOutsideTheBuffer()
    {
        Expect.Throws(typeof(ArgumentNullException), () => Crc32.Compute(null, 0, 0));
        Expect.Throws(typeof(ArgumentOutOfRangeException), () => Crc32.Compute(new byte[3], 1, 3));
    }
}
