using CotaFirmware.Config;

namespace CotaFirmware.HostTests.Config;

/// <summary>The on-flash CRC32 fields against an independent table-driven CRC-32 (zlib's), written least significant byte first.</summary>
[TestClass]
public sealed class HeaderCrcTests
{
    [TestMethod]
    public void HeaderCrcIsZlibCrc32LittleEndian()
    {
        var flash = new MemoryStorage();
        var store = new ConfigStore(flash, new byte[256], 1 << 16, 3);
        store.Boot();
        byte[] id = "crc-check"u8.ToArray();
        byte[] content = new byte[777];
        new Random(5).NextBytes(content);
        Assert.AreEqual(ConfigStatus.Ok, store.Begin(id, 0, id.Length, content.Length));
        Assert.AreEqual(ConfigStatus.Ok, store.Append(content, 0, content.Length));
        byte[] digest = System.Security.Cryptography.SHA256.HashData(content);
        ConfigStatus sealedStatus;
        while ((sealedStatus = store.Seal(digest, 0)) == ConfigStatus.InProgress)
        {
        }

        Assert.AreEqual(ConfigStatus.Ok, sealedStatus);
        Assert.AreEqual(ConfigStatus.Ok, store.Commit(true));

        var header = new byte[ConfigStore.HeaderSize];
        Assert.AreEqual(header.Length, flash.Read(ConfigSlot.AreaOf(store.ActiveSlot), 0, header, 0, header.Length));
        var reference = new ReferenceCrc32();
        var expected = new byte[4];
        reference.Update(header, 0, 124);
        reference.Final(expected, 0);
        CollectionAssert.AreEqual(expected, header[124..]);

        var record = new byte[32];
        Assert.AreEqual(32, flash.Read(ConfigSlot.StateArea0, 0, record, 0, 32));
        reference.Update(record, 0, 28);
        reference.Final(expected, 0);
        CollectionAssert.AreEqual(expected, record[28..]);
    }
}
