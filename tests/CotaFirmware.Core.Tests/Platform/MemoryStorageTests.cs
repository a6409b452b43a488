namespace CotaFirmware.Tests.Platform;

/// <summary>Holds the tests' storage to the IStorage contract: no holes, truncate never extends, missing areas named as such.</summary>
[TestClass]
public sealed class MemoryStorageTests
{
    [TestMethod]
    public void WritesCreateAndExtendButNeverLeaveHoles()
    {
        MemoryStorage storage = new MemoryStorage();
        Assert.AreEqual(-1, storage.Length("a"));
        Expect.Status(StorageStatus.Failed, storage.Write("a", 1, Ascii.Bytes("x"), 0, 1), "a new area starts at 0");
        Expect.Status(StorageStatus.Ok, storage.Write("a", 0, Ascii.Bytes("hello"), 0, 5));
        Expect.Status(StorageStatus.Ok, storage.Write("a", 5, Ascii.Bytes("--world"), 2, 5));
        Expect.Status(StorageStatus.Failed, storage.Write("a", 11, Ascii.Bytes("x"), 0, 1), "past the end is a hole");
        Expect.Status(StorageStatus.Ok, storage.Write("a", 1, Ascii.Bytes("E"), 0, 1), "overwriting inside is fine");
        Assert.AreEqual("hElloworld", storage.Text("a"));
    }

    [TestMethod]
    public void ReadsCountBytesAndEndWithZero()
    {
        MemoryStorage storage = new MemoryStorage();
        storage.Put("a", "abcdef");
        byte[] buffer = new byte[8];
        Assert.AreEqual(4, storage.Read("a", 2, buffer, 1, 10));
        Assert.AreEqual("cdef", Ascii.Text(buffer, 1, 4));
        Assert.AreEqual(0, storage.Read("a", 6, buffer, 0, 8), "0 at the end of the area");
        Expect.Status(StorageStatus.Failed, storage.Read("a", 7, buffer, 0, 8));
        Expect.Status(StorageStatus.NotFound, storage.Read("b", 0, buffer, 0, 8));
    }

    [TestMethod]
    public void TruncateCutsOrCreatesAndDeleteAlwaysSucceeds()
    {
        MemoryStorage storage = new MemoryStorage();
        storage.Put("a", "abcdef");
        Expect.Status(StorageStatus.Failed, storage.Truncate("a", 7), "truncate never extends");
        Expect.Status(StorageStatus.Ok, storage.Truncate("a", 2));
        Assert.AreEqual("ab", storage.Text("a"));
        Expect.Status(StorageStatus.Ok, storage.Truncate("new", 0));
        Assert.AreEqual(0, storage.Length("new"), "truncating a missing area creates it empty");
        Expect.Status(StorageStatus.Ok, storage.Delete("a"));
        Assert.AreEqual(-1, storage.Length("a"));
        Expect.Status(StorageStatus.Ok, storage.Delete("a"), "deleting what is not there succeeds");
    }

    [TestMethod]
    public void ADeletedAreaComesBackEmpty()
    {
        MemoryStorage storage = new MemoryStorage();
        storage.Put("a", "abcdef");
        Expect.Status(StorageStatus.Ok, storage.Delete("a"));
        byte[] buffer = new byte[8];
        Expect.Status(StorageStatus.NotFound, storage.Read("a", 0, buffer, 0, 8));
        Assert.IsNull(storage.Contents("a"));
        Expect.Status(StorageStatus.Failed, storage.Write("a", 1, Ascii.Bytes("x"), 0, 1), "a new life starts at 0");
        Expect.Status(StorageStatus.Ok, storage.Write("a", 0, Ascii.Bytes("xy"), 0, 2));
        Assert.AreEqual("xy", storage.Text("a"), "nothing of the deleted bytes shows");
    }

    [TestMethod]
    public void WithoutItsLogItStillCountsWrites()
    {
        MemoryStorage storage = new MemoryStorage();
        storage.KeepsLog = false;
        Expect.Status(StorageStatus.Ok, storage.Write("a", 0, Ascii.Bytes("xy"), 0, 2));
        Expect.Status(StorageStatus.Ok, storage.Truncate("a", 1));
        Assert.AreEqual(0, storage.WrittenAreas.Count);
        Assert.AreEqual(1, storage.WriteCount);
        Assert.AreEqual("x", storage.Text("a"));
    }

    [TestMethod]
    public void AFullAreaRefusesOnlyWritesThatGrowAreasItNames()
    {
        MemoryStorage storage = new MemoryStorage();
        storage.Put("cfg-a", "abc");
        storage.FullArea = "cfg-";
        Expect.Status(StorageStatus.Full, storage.Write("cfg-a", 2, Ascii.Bytes("xy"), 0, 2), "growing is refused");
        Expect.Status(StorageStatus.Full, storage.Write("cfg-b", 0, Ascii.Bytes("x"), 0, 1), "every area the prefix names");
        Assert.AreEqual("abc", storage.Text("cfg-a"), "a refused write changes nothing");
        Expect.Status(StorageStatus.Ok, storage.Write("cfg-a", 0, Ascii.Bytes("AB"), 0, 2), "rewriting in place fits");
        Expect.Status(StorageStatus.Ok, storage.Write("log", 0, Ascii.Bytes("x"), 0, 1), "other areas still grow");
        storage.FullArea = null;
        Expect.Status(StorageStatus.Ok, storage.Write("cfg-a", 3, Ascii.Bytes("d"), 0, 1), "room again once cleared");
        Assert.AreEqual("ABcd", storage.Text("cfg-a"));
    }

    [TestMethod]
    public void AnUnreadableAreaFailsOnlyReadsOfAreasItNames()
    {
        MemoryStorage storage = new MemoryStorage { UnreadableArea = "cfg-" };
        storage.Put("cfg-a", "abc");
        byte[] buffer = new byte[3];
        Assert.AreEqual((int)StorageStatus.Failed, storage.Read("cfg-a", 0, buffer, 0, 3));
        storage.UnreadableArea = "log";
        Assert.AreEqual(3, storage.Read("cfg-a", 0, buffer, 0, 3), "other areas read, their bytes as they were");
        Assert.AreEqual((byte)'c', buffer[2]);
    }

    [TestMethod]
    public void AWriteThatFailsAfterWritingLandsWholeAndReportsFailed()
    {
        MemoryStorage storage = new MemoryStorage { FailsAfterWriting = "cfg-" };
        byte[] bytes = { 1, 2, 3 };
        Assert.IsTrue(storage.Write("cfg-a", 0, bytes, 0, 3) == StorageStatus.Failed);
        Assert.AreEqual(3, storage.Length("cfg-a"), "the bytes landed");
        Assert.IsTrue(storage.Write("log", 0, bytes, 0, 3) == StorageStatus.Ok, "other areas write as usual");
    }

    [TestMethod]
    public void LogsEveryMutationAndClonesAnIndependentImage()
    {
        MemoryStorage storage = new MemoryStorage();
        storage.Write("a", 0, Ascii.Bytes("abc"), 0, 3);
        storage.Truncate("a", 1);
        storage.Delete("b");
        Assert.AreEqual(3, storage.WrittenAreas.Count);
        Assert.AreEqual("b", (string)storage.WrittenAreas[2]);
        Assert.AreEqual(3, (int)storage.WrittenCounts[0]);
        Assert.AreEqual(0, (int)storage.WrittenCounts[1]);

        MemoryStorage copy = storage.Clone();
        Assert.AreEqual(0, copy.WrittenAreas.Count, "a clone starts its own log");
        copy.Write("a", 1, Ascii.Bytes("z"), 0, 1);
        Assert.AreEqual("az", copy.Text("a"));
        Assert.AreEqual("a", storage.Text("a"), "the original is untouched");
        storage.ClearLog();
        Assert.AreEqual(0, storage.WrittenCounts.Count);
    }
}
