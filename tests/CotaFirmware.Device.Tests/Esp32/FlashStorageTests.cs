using System.IO;
using CotaFirmware.Esp32;
using CotaFirmware.Platform;
using nanoFramework.TestFramework;

namespace CotaFirmware.Tests.Esp32;

/// <summary>
/// The ESP32's flash storage keeps the promise the core's records rest on: a write or truncation has reached the
/// flash when it returns. On the ESP32's LittleFS a file's new contents are committed only when it is closed
/// (FileStream.Flush is fflush, which LittleFS does not commit), so each returns with its file closed: these tests
/// open it exclusively, which nanoFramework refuses while any FileStream still holds it. Runs on nanoFramework only,
/// on drive I:\.
/// </summary>
[TestClass]
public class FlashStorageTests
{
    private const string Folder = "I:\\flash-tests";

    [TestMethod]
    public void AWriteReturnsWithItsFileClosed()
    {
        FlashStorage storage = Fresh();
        Assert.AreEqual((int)StorageStatus.Ok, (int)storage.Write("record", 0, new byte[] { 1, 2, 3 }, 0, 3));
        Assert.AreEqual((int)StorageStatus.Ok, (int)storage.Write("record", 3, new byte[] { 4 }, 0, 1));

        byte[] stored = ReadExclusively("record");
        Assert.AreEqual(4, stored.Length);
        Assert.AreEqual((byte)1, stored[0]);
        Assert.AreEqual((byte)4, stored[3]);
    }

    [TestMethod]
    public void ATruncationReturnsWithItsFileClosed()
    {
        FlashStorage storage = Fresh();
        Assert.AreEqual((int)StorageStatus.Ok, (int)storage.Write("log", 0, new byte[] { 1, 2, 3 }, 0, 3));
        Assert.AreEqual(3, storage.Read("log", 0, new byte[3], 0, 3), "a read in between");
        Assert.AreEqual((int)StorageStatus.Ok, (int)storage.Truncate("log", 1));
        Assert.AreEqual(1, ReadExclusively("log").Length);

        Assert.AreEqual((int)StorageStatus.Ok, (int)storage.Truncate("empty", 0));
        Assert.AreEqual(0, ReadExclusively("empty").Length);
    }

    private static FlashStorage Fresh()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, true);
        }

        return new FlashStorage(Folder);
    }

    // Throws IOException while another FileStream has the file open.
    private static byte[] ReadExclusively(string area)
    {
        string path = Folder + "\\" + area + ".bin";
        using (FileStream file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None))
        {
            byte[] bytes = new byte[(int)file.Length];
            int done = 0;
            while (done < bytes.Length)
            {
                int n = file.Read(bytes, done, bytes.Length - done);
                Assert.IsTrue(n > 0, "the file ends early");
                done += n;
            }

            return bytes;
        }
    }
}
