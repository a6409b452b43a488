namespace CotaFirmware.Tests.Platform;

/// <summary>Holds the one fault-injecting storage to its promise: mutations counted from 1, the cut one torn as asked, nothing after it lands.</summary>
[TestClass]
public sealed class FaultyStorageTests
{
    [TestMethod]
    public void PowerFailsAtTheChosenMutationAndStaysOff()
    {
        MemoryStorage flash = new MemoryStorage();
        FaultyStorage faulty = new FaultyStorage(flash, 3, 2);
        Expect.Status(StorageStatus.Ok, faulty.Write("x", 0, Ascii.Bytes("abcd"), 0, 4));
        Expect.Status(StorageStatus.Ok, faulty.Truncate("x", 1));
        Assert.IsFalse(faulty.PowerOff);
        Expect.Status(StorageStatus.Failed, faulty.Write("x", 1, Ascii.Bytes("efgh"), 0, 4), "the cut write");
        Assert.IsTrue(faulty.PowerOff);
        Expect.Status(StorageStatus.Failed, faulty.Write("y", 0, Ascii.Bytes("z"), 0, 1));
        Expect.Status(StorageStatus.Failed, faulty.Delete("x"));
        Assert.AreEqual(5, faulty.Mutations, "every attempt is counted, after the cut too");
        Assert.AreEqual("aef", flash.Text("x"), "two bytes of the cut write landed, nothing after it");
        Assert.AreEqual(-1, flash.Length("y"));
    }

    [TestMethod]
    public void ACutTruncateOrDeleteLandsOnlyOnACleanCut()
    {
        MemoryStorage flash = new MemoryStorage();
        flash.Put("x", "abc");
        Expect.Status(StorageStatus.Failed, new FaultyStorage(flash, 1, 0).Truncate("x", 1));
        Assert.AreEqual(3, flash.Length("x"));
        Expect.Status(StorageStatus.Failed, new FaultyStorage(flash, 1, 0).Delete("x"));
        Assert.AreEqual(3, flash.Length("x"));
        Expect.Status(StorageStatus.Failed, new FaultyStorage(flash, 1, -1).Truncate("x", 1));
        Assert.AreEqual(1, flash.Length("x"));
        Expect.Status(StorageStatus.Failed, new FaultyStorage(flash, 1, -1).Delete("x"));
        Assert.AreEqual(-1, flash.Length("x"));
    }

    [TestMethod]
    public void ASetThrowingCutStopsTheCallerAndPowerComesBack()
    {
        FaultyStorage faulty = new FaultyStorage();
        faulty.CutAt = 2;
        faulty.TornBytes = 1;
        faulty.Loss = PowerLoss.Throws;
        Expect.Status(StorageStatus.Ok, faulty.Write("x", 0, Ascii.Bytes("ab"), 0, 2));
        Expect.Throws(typeof(PowerCutException), () => faulty.Write("x", 2, Ascii.Bytes("cd"), 0, 2));
        faulty.PowerOn();
        Assert.IsFalse(faulty.PowerOff);
        Expect.Status(StorageStatus.Ok, faulty.Write("x", 3, Ascii.Bytes("e"), 0, 1), "the next boot writes again");
        Assert.AreEqual("abce", ((MemoryStorage)faulty.Backing).Text("x"));
    }
}
