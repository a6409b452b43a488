using System.Security.Cryptography.X509Certificates;
using CotaFirmware.App;
using CotaFirmware.Json;

namespace CotaFirmware.HostTests.Platform;

/// <summary>Every board definition in boards/ parses with the firmware's own parser and suits its board.</summary>
[TestClass]
public sealed class BoardDefinitionTests
{
    /// <summary>The boards that must exist, with the nanoff target each is flashed with.</summary>
    private static readonly (string Board, string Target, bool Psram)[] Required =
    {
        ("esp32-devkitc", "ESP32_REV0", false),
        ("esp32-wrover", "ESP32_PSRAM_REV0", true),
        ("esp32-s3", "ESP32_S3", false),
        ("esp32-c3", "ESP32_C3", false),
        ("host", "host", true),
    };

    /// <summary>What the firmware's fixed buffers may take on a board without PSRAM: the heap has tens of KB, TLS takes about 33 KB of its own.</summary>
    private const int NoPsramBufferBudget = 16 * 1024;

    private static IEnumerable<string> BoardFolders() =>
        Directory.EnumerateDirectories(Repo.Path("boards")).Where(d => File.Exists(Path.Combine(d, "board.json"))).Order(StringComparer.Ordinal);

    private static BoardSettings Parse(string folder) => Parse(folder, new DeviceSettings(null));

    private static BoardSettings Parse(string folder, DeviceSettings device)
    {
        byte[] json = File.ReadAllBytes(Path.Combine(folder, "board.json"));
        var settings = new BoardSettings();
        var error = settings.Load(json, 0, json.Length, new JsonReader(null), device);
        Assert.AreEqual(SettingsError.None, error, folder + ": " + settings.DescribeError());
        return settings;
    }

    [TestMethod]
    public void EveryRequiredBoardIsDefinedWithItsTarget()
    {
        foreach (var (board, target, _) in Required)
        {
            string folder = Repo.Path("boards", board);
            Assert.IsTrue(File.Exists(Path.Combine(folder, "board.json")), board + " has no board.json");
            var s = Parse(folder);
            Assert.AreEqual(board, s.Board, "the board name should be its folder's");
            Assert.AreEqual(target, s.Target, board);
        }
    }

    [TestMethod]
    public void EveryBoardJsonParsesAndIsWithinSaneBounds()
    {
        var folders = BoardFolders().ToList();
        Assert.IsTrue(folders.Count >= Required.Length);
        foreach (string folder in folders)
        {
            string name = Path.GetFileName(folder);
            var d = new DeviceSettings(null);
            var s = Parse(folder, d);
            Assert.AreEqual(name, s.Board);
            bool psram = Required.Any(r => r.Board == name && r.Psram) || s.Target.Contains("PSRAM", StringComparison.Ordinal);
            int buffers = d.Mqtt.ReceiveBufferSize + d.Mqtt.TransmitBufferSize + d.Download.BufferSize + d.ConfigWindowSize;
            if (!psram)
            {
                Assert.IsTrue(buffers <= NoPsramBufferBudget, name + ": " + buffers + " bytes of buffers on a board without PSRAM");
                Assert.IsTrue(d.MaxConfigSize <= 64 * 1024, name + ": two copies of the largest config must fit a small flash partition");
            }

            // A COTA push (signed URL of 800+ bytes) must fit the receive buffer; a streamed config token must fit the window.
            Assert.IsTrue(d.Mqtt.ReceiveBufferSize >= 2048, name);
            Assert.IsTrue(d.ConfigWindowSize >= 256, name);
            Assert.IsTrue(d.ConfigWindowSize <= d.MaxConfigSize, name);
            Assert.IsTrue(d.Download.BufferSize <= d.MaxConfigSize, name);
            Assert.IsTrue(d.Cota.TrialDeadlineMs >= 3 * d.Linkkit.KeepAliveSeconds * 1000 / 2 || d.Cota.TrialDeadlineMs >= 60000,
                name + ": the trial deadline should outlast a reconnect");
            if (s.Target != BoardSettings.HostTarget)
            {
                Assert.IsTrue(s.StatusLedPin >= 0, name + " should name a status LED pin");
                Assert.IsTrue(d.Cota.StartJitterMs > 0, name + ": a fleet should not download at once");
            }
        }
    }

    [TestMethod]
    public void EveryBoardShipsItsRootCaAsAValidPem()
    {
        foreach (string folder in BoardFolders())
        {
            var s = Parse(folder);
            string path = Path.Combine(folder, s.RootCaFile);
            Assert.IsTrue(File.Exists(path), path);
            using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(path));
            Assert.AreEqual(ca.Subject, ca.Issuer, path + " should be a self-signed root");
            StringAssert.Contains(ca.Subject, "CN=GlobalSign Root CA", path);
            Assert.AreEqual(new DateTime(2028, 1, 28, 12, 0, 0, DateTimeKind.Utc), ca.NotAfter.ToUniversalTime(), "docs/esp32.md states this expiry");
        }
    }

    [TestMethod]
    public void EveryEsp32BoardHasAFileDeploymentThatPutsItsFilesWhereTheAppReadsThem()
    {
        // The host and nanoCLR boards are not flashed with nanoff.
        foreach (string folder in BoardFolders().Where(f => Path.GetFileName(f) is not ("host" or "nanoclr")))
        {
            string path = Path.Combine(folder, "deploy.json");
            Assert.IsTrue(File.Exists(path), path);
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
            var files = doc.RootElement.GetProperty("files").EnumerateArray()
                .ToDictionary(f => f.GetProperty("DestinationFilePath").GetString()!, f => f.GetProperty("SourceFilePath").GetString()!);
            var s = Parse(folder);
            CollectionAssert.AreEquivalent(new[] { @"I:\board.json", @"I:\device.json", @"I:\" + s.RootCaFile }, files.Keys.ToList(), path);
            Assert.IsTrue(files.Keys.All(k => !Path.GetFileName(k.Replace('\\', '/')).StartsWith("con_", StringComparison.OrdinalIgnoreCase)), path);
            foreach (var (destination, source) in files.Where(f => f.Key != @"I:\device.json"))
            {
                Assert.IsTrue(File.Exists(Repo.Path(source.Split('\\'))), path + ": " + source + " (relative to the repository root)");
            }
        }
    }

    [TestMethod]
    public void TheDeviceJsonExampleParsesAndNamesAValidIdentity()
    {
        byte[] json = File.ReadAllBytes(Repo.Path("boards", "device.example.json"));
        var profile = new DeviceProfile();
        Assert.AreEqual(SettingsError.None, profile.Load(json, 0, json.Length, new JsonReader(null)), profile.DescribeError());
        var identity = new CotaFirmware.Linkkit.DeviceIdentity(profile.ProductKey, profile.DeviceName, profile.DeviceSecret, profile.ProductSecret);
        Expect.Status(CotaFirmware.Linkkit.LinkkitStatus.Ok, identity.Validate(true));
        Assert.AreEqual("cn-shanghai", profile.Region);
        Assert.IsNotNull(profile.WifiSsid);
    }

    [TestMethod]
    public void LoadingAllocatesNothingWhenTheStringsAreTheDefaults()
    {
        byte[] json = File.ReadAllBytes(Repo.Path("boards", "esp32-devkitc", "board.json"));
        string text = System.Text.Encoding.UTF8.GetString(json).Replace("\"esp32-devkitc\"", "\"esp32\"");
        json = System.Text.Encoding.UTF8.GetBytes(text);
        var settings = new BoardSettings();
        var device = new DeviceSettings(null);
        var reader = new JsonReader(null);
        Assert.AreEqual(SettingsError.None, settings.Load(json, 0, json.Length, reader, device));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            settings.Load(json, 0, json.Length, reader, device);
        }

        Assert.AreEqual(0L, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.AreEqual(2, settings.StatusLedPin);
    }
}
