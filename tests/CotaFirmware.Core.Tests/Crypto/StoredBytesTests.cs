using CotaFirmware.Crypto;

namespace CotaFirmware.Tests.Crypto;

[TestClass]
public class StoredBytesTests
{
    private const uint Magic = 0x31464F43; // "COF1"

    [TestMethod]
    public void SequencesCompareAcrossTheWrap()
    {
        Assert.IsTrue(StoredBytes.IsAfter(0, 0xFFFFFFFF));
        Assert.IsTrue(StoredBytes.IsAfter(3, 0xFFFFFFF0));
        Assert.IsFalse(StoredBytes.IsAfter(0xFFFFFFFF, 0));
        Assert.IsFalse(StoredBytes.IsAfter(0xFFFFFFF0, 3));
        Assert.IsTrue(StoredBytes.IsAfter(2, 1));
        Assert.IsFalse(StoredBytes.IsAfter(7, 7));
    }

    [TestMethod]
    public void TheNewestOfTwoCopiesWinsAcrossTheWrap()
    {
        var storage = new MemoryStorage();
        Put(storage, "c0", 0xFFFFFFFF, 10);
        Put(storage, "c1", 0, 11);
        byte[] record = new byte[16];
        Assert.AreEqual(1, StoredBytes.ReadNewest(storage, "c0", "c1", 0, record, Magic));
        Assert.AreEqual(11u, StoredBytes.ReadUInt32(record, 8));

        Put(storage, "c0", 1, 12);
        Assert.AreEqual(0, StoredBytes.ReadNewest(storage, "c0", "c1", 0, record, Magic));
        Assert.AreEqual(12u, StoredBytes.ReadUInt32(record, 8));
    }

    [TestMethod]
    public void OfTwoCopiesTheValidOneOrTheLaterSequenceIsKept()
    {
        Assert.AreEqual(-1, StoredBytes.Newest(false, 5, false, 6));
        Assert.AreEqual(0, StoredBytes.Newest(true, 5, false, 6));
        Assert.AreEqual(1, StoredBytes.Newest(false, 6, true, 5));
        Assert.AreEqual(1, StoredBytes.Newest(true, 5, true, 6));
        Assert.AreEqual(0, StoredBytes.Newest(true, 6, true, 5));
        Assert.AreEqual(0, StoredBytes.Newest(true, 7, true, 7));
        Assert.AreEqual(1, StoredBytes.Newest(true, 0xFFFFFFFF, true, 0));
        Assert.AreEqual(0, StoredBytes.Newest(true, 0, true, 0xFFFFFFFF));
    }

    [TestMethod]
    public void ARecordOfItsTypeInAHigherVersionIsANewerFirmwares()
    {
        var storage = new MemoryStorage();
        byte[] scratch = new byte[32];
        storage.Put("a", "COF2 of a later release");
        storage.Put("b", "COF1 of this one");
        storage.Put("c", "CRS2 another record");
        storage.Put("d", "CO");
        Assert.IsTrue(StoredBytes.HoldsNewer(storage, "a", 0, scratch, Magic, 3, '1'));
        Assert.IsFalse(StoredBytes.HoldsNewer(storage, "b", 0, scratch, Magic, 3, '1'));
        Assert.IsFalse(StoredBytes.HoldsNewer(storage, "c", 0, scratch, Magic, 3, '1'));
        Assert.IsFalse(StoredBytes.HoldsNewer(storage, "d", 0, scratch, Magic, 3, '1'));
        Assert.IsFalse(StoredBytes.HoldsNewer(storage, "none", 0, scratch, Magic, 3, '1'));

        // Of a record kept in two copies, either one in a higher version makes it a newer firmware's.
        Assert.IsFalse(StoredBytes.EitherHoldsNewer(storage, "b", "none", 0, scratch, Magic, 3, '1'));
        Assert.IsTrue(StoredBytes.EitherHoldsNewer(storage, "a", "b", 0, scratch, Magic, 3, '1'));
        Assert.IsTrue(StoredBytes.EitherHoldsNewer(storage, "b", "a", 0, scratch, Magic, 3, '1'));
        byte[] copy = Ascii.Bytes("COF1 and COF2...");
        storage.Write("pair", 0, copy, 0, copy.Length);
        Assert.IsFalse(StoredBytes.EitherHoldsNewer(storage, "pair", "pair", 0, scratch, Magic, 3, '1'));
        Assert.IsTrue(StoredBytes.EitherHoldsNewer(storage, "pair", "pair", 9, scratch, Magic, 3, '1'));

        // A version byte after a whole magic: the first release's 0 and this one's 1 are not newer.
        byte[] record = new byte[32];
        StoredBytes.WriteUInt32(record, 0, Magic);
        for (int version = 0; version < 3; version++)
        {
            record[24] = (byte)version;
            storage.Write("e", 0, record, 0, record.Length);
            Assert.IsTrue((version > 1) == StoredBytes.HoldsNewer(storage, "e", 0, scratch, Magic, 24, 1));
        }
    }

    [TestMethod]
    public void ARecordThatStorageHandsOutInPiecesReadsWhole()
    {
        var storage = new MemoryStorage();
        Put(storage, "c0", 1, 10);
        Put(storage, "c1", 2, 11);
        storage.MaxReadCount = 3;
        byte[] record = new byte[16];
        Assert.AreEqual(1, StoredBytes.ReadNewest(storage, "c0", "c1", 0, record, Magic));
        Assert.AreEqual(11u, StoredBytes.ReadUInt32(record, 8));

        byte[] field = new byte[6];
        Assert.IsTrue(StoredBytes.ReadFully(storage, "c1", 8, field, 1, 5));
        Assert.AreEqual(11u, StoredBytes.ReadUInt32(field, 1));
        Assert.IsFalse(StoredBytes.ReadFully(storage, "c1", 8, record, 0, 9), "the area ends first");
    }

    private static void Put(MemoryStorage storage, string area, uint sequence, uint value)
    {
        byte[] record = new byte[16];
        StoredBytes.Begin(record, record.Length, Magic, sequence);
        StoredBytes.WriteUInt32(record, 8, value);
        StoredBytes.Seal(record, 12);
        storage.Write(area, 0, record, 0, record.Length);
    }
}
