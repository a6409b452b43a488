using CotaFirmware.Config;
using CotaFirmware.Host.Board;

namespace CotaFirmware.HostTests.Config;

/// <summary>The host board's flash: the storage contract on files, and the power-cut wrapper.</summary>
[TestClass]
public sealed class FileStorageTests
{
    private readonly TempFolder _flash = new("cota-flash");

    [TestCleanup]
    public void DeleteFolder() => _flash.Dispose();

    private static byte[] Bytes(params int[] values) => values.Select(v => (byte)v).ToArray();

    private static byte[] ReadAll(IStorage storage, string name)
    {
        var data = new byte[storage.Length(name)];
        Assert.AreEqual(data.Length, storage.Read(name, 0, data, 0, data.Length));
        return data;
    }

    [TestMethod]
    public void WritesAreSeenByANewInstanceOverTheSameFolder()
    {
        var first = new FileStorage(_flash.Path);
        Assert.AreEqual(-1, first.Length("cfg-a"));
        Assert.AreEqual(StorageStatus.Ok, first.Write("cfg-a", 0, Bytes(9, 1, 2, 3, 9), 1, 3));
        Assert.AreEqual(StorageStatus.Ok, first.Write("cfg-a", 3, Bytes(4, 5), 0, 2));
        Assert.AreEqual(StorageStatus.Ok, first.Write("cfg-a", 1, Bytes(7), 0, 1));

        var second = new FileStorage(_flash.Path);
        Assert.AreEqual(5, second.Length("cfg-a"));
        CollectionAssert.AreEqual(Bytes(1, 7, 3, 4, 5), ReadAll(second, "cfg-a"));
    }

    [TestMethod]
    public void ReadsStopAtTheEnd()
    {
        var storage = new FileStorage(_flash.Path);
        storage.Write("x", 0, Bytes(1, 2, 3), 0, 3);
        var buffer = new byte[10];
        Assert.AreEqual(2, storage.Read("x", 1, buffer, 4, 6));
        Assert.AreEqual(2, buffer[4]);
        Assert.AreEqual(3, buffer[5]);
        Assert.AreEqual(0, storage.Read("x", 3, buffer, 0, 10));
        Expect.Status(StorageStatus.Failed, storage.Read("x", 4, buffer, 0, 10));
        Expect.Status(StorageStatus.NotFound, storage.Read("missing", 0, buffer, 0, 10));
    }

    [TestMethod]
    public void WritesLeaveNoHoles()
    {
        var storage = new FileStorage(_flash.Path);
        Assert.AreEqual(StorageStatus.Failed, storage.Write("x", 1, Bytes(1), 0, 1));
        Assert.AreEqual(0, storage.Length("x") < 0 ? 0 : storage.Length("x"));
        storage.Write("x", 0, Bytes(1, 2), 0, 2);
        Assert.AreEqual(StorageStatus.Failed, storage.Write("x", 3, Bytes(1), 0, 1));
        Assert.AreEqual(2, storage.Length("x"));
    }

    [TestMethod]
    public void TruncateCutsOrCreatesAndNeverExtends()
    {
        var storage = new FileStorage(_flash.Path);
        Assert.AreEqual(StorageStatus.Ok, storage.Truncate("new", 0));
        Assert.AreEqual(0, storage.Length("new"));
        storage.Write("x", 0, Bytes(1, 2, 3, 4), 0, 4);
        Assert.AreEqual(StorageStatus.Ok, storage.Truncate("x", 2));
        Assert.AreEqual(StorageStatus.Failed, storage.Truncate("x", 3));
        Assert.AreEqual(StorageStatus.Failed, storage.Truncate("x", -1));
        CollectionAssert.AreEqual(Bytes(1, 2), ReadAll(new FileStorage(_flash.Path), "x"));
    }

    [TestMethod]
    public void DeleteRemovesAndIsIdempotent()
    {
        var storage = new FileStorage(_flash.Path);
        storage.Write("x", 0, Bytes(1), 0, 1);
        Assert.AreEqual(StorageStatus.Ok, storage.Delete("x"));
        Assert.AreEqual(-1, storage.Length("x"));
        Assert.AreEqual(StorageStatus.Ok, storage.Delete("x"));
        Assert.AreEqual(-1, new FileStorage(_flash.Path).Length("x"));
    }

    [TestMethod]
    public void AreaNamesCannotLeaveTheFolder()
    {
        var storage = new FileStorage(_flash.Path);
        Assert.ThrowsExactly<ArgumentException>(() => storage.Length("../x"));
        Assert.ThrowsExactly<ArgumentException>(() => storage.Length(""));
        Assert.ThrowsExactly<ArgumentException>(() => storage.Length(".hidden"));
    }

    [TestMethod]
    public void FaultyStorageCutsPowerAtTheChosenWrite()
    {
        var backing = new FileStorage(_flash.Path);
        var faulty = new FaultyStorage(backing, cutAt: 3, tornBytes: 2);
        Assert.AreEqual(StorageStatus.Ok, faulty.Write("x", 0, Bytes(1, 2, 3, 4), 0, 4));
        Assert.AreEqual(StorageStatus.Ok, faulty.Truncate("x", 1));
        Assert.IsFalse(faulty.PowerOff);
        Assert.AreEqual(StorageStatus.Failed, faulty.Write("x", 1, Bytes(5, 6, 7, 8), 0, 4));
        Assert.IsTrue(faulty.PowerOff);
        Assert.AreEqual(StorageStatus.Failed, faulty.Write("y", 0, Bytes(1), 0, 1));
        Assert.AreEqual(StorageStatus.Failed, faulty.Truncate("x", 0));
        Assert.AreEqual(StorageStatus.Failed, faulty.Delete("x"));
        Assert.AreEqual(6, faulty.Mutations);

        // After the reboot: the torn write's prefix landed, nothing after it did.
        var rebooted = new FileStorage(_flash.Path);
        CollectionAssert.AreEqual(Bytes(1, 5, 6), ReadAll(rebooted, "x"));
        Assert.AreEqual(-1, rebooted.Length("y"));
    }

    [TestMethod]
    public void ConfigStoreSurvivesCutsOnRealFiles()
    {
        // The in-memory loops prove the store at every cut; this runs the same idea on files, so the board's flash is in the proof too.
        var content = new byte[2500];
        new Random(7).NextBytes(content);
        var old = new byte[900];
        new Random(8).NextBytes(old);
        int cuts = 0;
        for (int n = 1; ; n++)
        {
            string folder = Path.Combine(_flash.Path, "run" + n);
            var flash = new FileStorage(folder);
            var seed = NewStore(flash);
            Assert.AreEqual(ConfigStatus.Ok, CommitAll(seed, old, false));

            var faulty = new FaultyStorage(flash, n, n % 3 == 0 ? -1 : 17 * n % 128);
            CommitAll(NewStore(faulty), content, true);
            var rebooted = NewStore(new FileStorage(folder));
            var reader = new ConfigReader();
            Assert.AreEqual(ConfigStatus.Ok, rebooted.OpenActive(reader));
            var active = new byte[reader.Length];
            for (int done = 0, read; (read = reader.Read(active, done, active.Length - done)) > 0;)
            {
                done += read;
            }

            bool isNew = active.AsSpan().SequenceEqual(content);
            Assert.IsTrue(isNew || active.AsSpan().SequenceEqual(old), "cut at write " + n);
            Assert.AreEqual(isNew, rebooted.IsOnTrial);
            if (!faulty.PowerOff)
            {
                break;
            }

            cuts++;
        }

        Console.WriteLine($"config store on files: {cuts} cut points exercised");
        Assert.IsTrue(cuts >= 8);
    }

    private static ConfigStore NewStore(IStorage storage)
    {
        var store = new ConfigStore(storage, new byte[512], 1 << 20, 3);
        store.Boot();
        return store;
    }

    private static ConfigStatus CommitAll(ConfigStore store, byte[] content, bool onTrial)
    {
        var status = store.Begin(Bytes(1, 2), 0, 2, content.Length);
        for (int done = 0; status == ConfigStatus.Ok && done < content.Length; done += 500)
        {
            status = store.Append(content, done, Math.Min(500, content.Length - done));
        }

        while (status == ConfigStatus.Ok && (status = store.Seal(null, 0)) == ConfigStatus.InProgress)
        {
            status = ConfigStatus.Ok;
        }

        return status == ConfigStatus.Ok ? store.Commit(onTrial) : status;
    }
}
