using System.IO;
using CotaFirmware.App;
using CotaFirmware.Esp32;
using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Tests.Platform;
using nanoFramework.TestFramework;

namespace CotaFirmware.Tests.Esp32;

/// <summary>The settings files on I:\ say what is wrong with them when they cannot be used. Runs on nanoFramework only.</summary>
[TestClass]
public class BoardFilesTests
{
    [TestMethod]
    public void ABoardJsonOverTheSizeLimitIsNamedAsTooLargeNotAsMissing()
    {
        RecordingLog log = new RecordingLog();
        Load(log);
        Assert.IsTrue(log.Contains("I:\\board.json not found: compiled-in defaults"), log.ToString());

        using (FileStream file = new FileStream(BoardFiles.BoardJson, FileMode.Create, FileAccess.Write))
        {
            byte[] padding = new byte[BoardFiles.MaxFileSize + 1];
            for (int i = 0; i < padding.Length; i++)
            {
                padding[i] = (byte)' ';
            }

            file.Write(padding, 0, padding.Length);
        }

        log = new RecordingLog();
        Load(log);
        File.Delete(BoardFiles.BoardJson);
        Assert.IsTrue(log.Contains("I:\\board.json larger than 4096 bytes: compiled-in defaults"), log.ToString());
    }

    private static void Load(RecordingLog log)
    {
        var device = new DeviceSettings(new DeviceIdentity("a1B2c3D4e5F", "board-files", null, null));
        BoardFiles.LoadBoard(new BoardSettings(), device, new JsonReader(null), log);
    }
}
