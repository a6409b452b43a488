using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using CotaFirmware.Benchmarks;
using CotaFirmware.Config;
using CotaFirmware.Cota;
using CotaFirmware.Crypto;
using CotaFirmware.Host.Board;
using CotaFirmware.Host.Cli;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Files;
using CotaFirmware.Host.Cloud.Registry;
using CotaFirmware.Host.Cloud;
using CotaFirmware.HostTests.Linkkit;
using CotaFirmware.Json;
using CotaFirmware.Linkkit;

namespace CotaFirmware.HostTests.Cota;

/// <summary>The COTA service end to end: MQTT over TLS and HTTPS downloads against the local IoT platform, trusting only its CA.</summary>
[TestClass]
public sealed class CotaServiceEndToEndTests
{
    private static LocalPlatform _platform = null!;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => _platform = await LocalPlatform.StartAsync();

    [ClassCleanup]
    public static async Task StopAsync() => await _platform.StopAsync();

    /// <summary>One device: LinkKit over MQTTnet (TLS), the store with an accept-all module, the service, HTTPS through HttpClientSource, storage in a folder.</summary>
    private sealed class Rig : IDisposable
    {
        public readonly string ProductKey;
        public readonly string DeviceName;
        private readonly string _secret;
        public readonly string Folder;
        public readonly FileStorage Storage;
        public readonly DownloadSettings Settings = new()
        {
            BufferSize = 1024, MaxAttempts = 3, BackoffMinMs = 50, BackoffMaxMs = 200, TimeoutMs = 1500,
        };

        private MqttNetSession _session = null!;
        private HttpClientSource _http = null!;
        public LinkkitDevice Device = null!;
        public ConfigStore Store = null!;
        public RangeDownload Download = null!;
        public CotaService Service = null!;

        public Rig(string productKey, string deviceName, string secret, string? folder = null)
        {
            ProductKey = productKey;
            DeviceName = deviceName;
            _secret = secret;
            Folder = folder ?? Directory.CreateTempSubdirectory("cota-e2e").FullName;
            Storage = new FileStorage(Folder);
        }

        public Rig Open(int maxConfigSize = 256 * 1024)
        {
            var ca = X509Certificate2.CreateFromPem(_platform.CaPem);
            _session = new MqttNetSession(ca);
            _http = new HttpClientSource(ca);
            var options = new LinkkitSettings { MqttDomain = _platform.Host, Port = _platform.MqttTlsPort, UseTls = true, ConnectTimeoutMs = 5000 };
            var clock = new HostClock();
            Device = LinkkitDevice.Open(new CotaFirmware.Linkkit.DeviceIdentity(ProductKey, DeviceName, _secret, null), options, _session, new SystemMac(), clock, new RecordingLog(), 1);
            Store = new ConfigStore(Storage, new byte[1024], maxConfigSize, 3);
            var modules = new ModuleRegistry(1);
            modules.Register(new BlobModule());
            var applier = new ConfigApplier(Store, modules, null, new byte[256], new byte[256], 8);
            Download = new RangeDownload(_http, Store, Storage, clock, Settings, 1);
            var settings = new CotaSettings { StartJitterMs = 20, GetTimeoutMs = 5000 };
            Service = new CotaService(Device, Store, applier, Download, Storage, settings, clock, 1, new RecordingLog());
            Service.Start();
            return this;
        }

        public void Connect() => Expect.Status(LinkkitStatus.Ok, Device.Connect());

        /// <summary>Runs the device loop (Yield, Step) until <paramref name="done"/> completes.</summary>
        public T Pump<T>(Task<T> done)
        {
            var deadline = DateTime.UtcNow + Wait;
            while (!done.IsCompleted && DateTime.UtcNow < deadline)
            {
                Device.Yield(5);
                Service.Step();
            }

            return done.GetAwaiter().GetResult();
        }

        /// <summary>Runs the loop until the service is idle again and its results are out.</summary>
        public void PumpIdle()
        {
            var deadline = DateTime.UtcNow + Wait;
            do
            {
                Device.Yield(5);
                Service.Step();
            }
            while ((Service.IsBusy || Service.IsOnTrial || Service.PendingResults > 0) && DateTime.UtcNow < deadline);
        }

        /// <summary>The active config's bytes, or null.</summary>
        public byte[]? Active()
        {
            var reader = new ConfigReader();
            if (Store.OpenActive(reader) != ConfigStatus.Ok)
            {
                return null;
            }

            var bytes = new byte[reader.Length];
            int done = 0;
            while (done < bytes.Length)
            {
                done += reader.Read(bytes, done, bytes.Length - done);
            }

            return bytes;
        }

        public string ActiveId()
        {
            var id = new byte[ConfigStore.MaxConfigIdLength];
            int n = Store.CopyActiveConfigId(id, 0);
            return n < 0 ? "" : System.Text.Encoding.UTF8.GetString(id, 0, n);
        }

        /// <summary>Ends the run like a power cut: the connection and HTTP client go, the storage stays.</summary>
        public void PowerOff()
        {
            _session.Disconnect();
            _session.Dispose();
            _http.Dispose();
        }

        public void Dispose()
        {
            try
            {
                Device?.Close();
                _session?.Dispose();
                _http?.Dispose();
            }
            finally
            {
                Directory.Delete(Folder, true);
            }
        }
    }

    private static Rig NewRig(out Product product, string? folder = null)
    {
        product = _platform.Registry.AddProduct();
        var device = _platform.Registry.AddDevice(product.ProductKey, "dev1");
        return new Rig(product.ProductKey, device.DeviceName, device.DeviceSecret!, folder);
    }

    private static Rig ConnectedRig(out Product product)
    {
        var rig = NewRig(out product).Open();
        rig.Connect();
        return rig;
    }

    private static int Downloads(string configId) => _platform.Files.Requests.Count(r => r.ConfigId == configId && r.Method == "GET");

    private static Task<DeviceMessage> NextResult(Rig rig, long after) =>
        _platform.Cota.WaitForAsync(m => m.ProductKey == rig.ProductKey && m.Kind == DeviceMessageKind.Result, Wait, after);

    // Pushes the product's newest config and turns the device's loop until its next result reaches the platform.
    private static async Task<DeviceMessage> PushForResultAsync(Rig rig)
    {
        long mark = _platform.Cota.LastSequence;
        await _platform.Cota.PushAsync(rig.ProductKey);
        return rig.Pump(NextResult(rig, mark));
    }

    [TestMethod]
    public async Task APushIsAckedDownloadedVerifiedAndReported()
    {
        using var rig = ConnectedRig(out var product);
        byte[] content = BlobModule.Config(20000);
        var config = _platform.Cota.PublishConfig(product.ProductKey, content);
        long mark = _platform.Cota.LastSequence;
        var pushes = await _platform.Cota.PushAsync(product.ProductKey);
        Assert.AreEqual(1, pushes.Count);
        Assert.IsTrue(pushes[0].Url.Length >= 800);
        var ack = rig.Pump(_platform.Cota.WaitForPushReplyAsync(pushes[0], Wait));
        Assert.AreEqual(200, ack.Code);
        Assert.IsTrue(ack.WellFormed);
        var result = rig.Pump(NextResult(rig, mark));
        StringAssert.Contains(result.Payload, "\"params\":{\"configId\":\"" + config.ConfigId + "\",\"status\":\"applied\",\"errors\":[],\"seq\":1}");
        CollectionAssert.AreEqual(content, rig.Active());
        Assert.AreEqual(config.ConfigId, rig.ActiveId());
    }

    [TestMethod]
    public void AConfigPublishedWhileOfflineArrivesByGetOnConnect()
    {
        using var rig = NewRig(out var product).Open();
        byte[] content = BlobModule.Config(5000);
        var config = _platform.Cota.PublishConfig(product.ProductKey, content);
        long mark = _platform.Cota.LastSequence;
        rig.Connect();
        var result = rig.Pump(NextResult(rig, mark));
        StringAssert.Contains(result.Payload, config.ConfigId);
        StringAssert.Contains(result.Payload, "\"status\":\"applied\"");
        CollectionAssert.AreEqual(content, rig.Active());

        Assert.AreEqual(1, Downloads(config.ConfigId));
    }

    [TestMethod]
    public async Task TheSameConfigIdPushedTwiceIsDownloadedOnce()
    {
        using var rig = ConnectedRig(out var product);
        var config = _platform.Cota.PublishConfig(product.ProductKey, BlobModule.Config(3000));
        var first = await _platform.Cota.PushAsync(product.ProductKey);
        var second = await _platform.Cota.PushAsync(product.ProductKey);
        Assert.AreEqual(200, rig.Pump(_platform.Cota.WaitForPushReplyAsync(first[0], Wait)).Code);
        Assert.AreEqual(200, rig.Pump(_platform.Cota.WaitForPushReplyAsync(second[0], Wait)).Code);
        rig.PumpIdle();
        Assert.AreEqual(config.ConfigId, rig.ActiveId());
        Assert.AreEqual(1, Downloads(config.ConfigId));
    }

    [TestMethod]
    [DataRow("403", "HttpError")]
    [DataRow("404", "HttpError")]
    [DataRow("500", "RetriesExhausted")]
    [DataRow("html", "SizeMismatch")]
    [DataRow("truncate", "SizeMismatch")]
    [DataRow("hang", "RetriesExhausted")]
    public async Task AServerFaultEndsInANamedFailedResultAndNothingChanges(string fault, string code)
    {
        using var rig = ConnectedRig(out var product);
        var config = _platform.Cota.PublishConfig(product.ProductKey, BlobModule.Config(4000));
        _platform.Files.InjectFault(fault switch
        {
            "403" => FileFault.Status(403),
            "404" => FileFault.Status(404),
            "500" => FileFault.Status(500),
            "html" => FileFault.HtmlPage(),
            "truncate" => FileFault.Truncate(1000),
            _ => FileFault.Hang(),
        }, config.ConfigId);
        var result = await PushForResultAsync(rig);
        StringAssert.Contains(result.Payload, "\"status\":\"failed\",\"reason\":\"" + code + "\"");
        StringAssert.Contains(result.Payload, "\"module\":\"download\",\"code\":\"" + code + "\"");
        Assert.IsNull(rig.Active());

        // A failure that may pass keeps the attempt record (no attempts left in it), so the config taken again resumes.
        Assert.AreEqual(code is "HttpError" or "RetriesExhausted", rig.Storage.Length(RangeDownload.ProgressArea) > 0);
    }

    [TestMethod]
    [DataRow(0, "HashMismatch")]
    [DataRow(100, "SizeMismatch")]
    public async Task AFileThatIsNotTheSignedConfigFailsAndIsReported(int extraBytes, string code)
    {
        using var rig = ConnectedRig(out var product);
        var config = _platform.Cota.PublishConfig(product.ProductKey, BlobModule.Config(4000));
        // The stored file changes after publishing: the push still carries the original size and sign.
        byte[] other = BlobModule.Config(4000 + extraBytes);
        other[1] ^= 1;
        File.WriteAllBytes(Path.Combine(_platform.DataFolder, "configs", config.FileName), other);
        var result = await PushForResultAsync(rig);
        StringAssert.Contains(result.Payload, "\"status\":\"failed\",\"reason\":\"" + code + "\"");
        StringAssert.Contains(result.Payload, "\"code\":\"" + code + "\"");
        Assert.IsNull(rig.Active());

        // The same config pushed again is not fetched again (counted once its download is in the server's log).
        await _platform.Files.LoggedAsync(r => r.ConfigId == config.ConfigId && r.Method == "GET");
        int requests = Downloads(config.ConfigId);
        var again = await _platform.Cota.PushAsync(product.ProductKey);
        Assert.AreEqual(200, rig.Pump(_platform.Cota.WaitForPushReplyAsync(again[0], Wait)).Code);
        rig.PumpIdle();
        Assert.AreEqual(requests, Downloads(config.ConfigId));
    }

    [TestMethod]
    public async Task AConnectionResetMidFileResumesWithARange()
    {
        using var rig = ConnectedRig(out var product);
        byte[] content = BlobModule.Config(50000);
        var config = _platform.Cota.PublishConfig(product.ProductKey, content);
        _platform.Files.InjectFault(FileFault.ResetAfter(20000, times: 1), config.ConfigId);
        var result = await PushForResultAsync(rig);
        StringAssert.Contains(result.Payload, "\"status\":\"applied\"");
        CollectionAssert.AreEqual(content, rig.Active());
        await _platform.Files.LoggedAsync(r => r.ConfigId == config.ConfigId && r.Method == "GET" && r.Range != null);
        var gets = _platform.Files.Requests.Where(r => r.ConfigId == config.ConfigId && r.Method == "GET").ToList();
        Assert.AreEqual(2, gets.Count);
        Assert.IsNotNull(gets[1].Range);
        long from = long.Parse(gets[1].Range!.Substring("bytes=".Length).TrimEnd('-'));
        Assert.IsTrue(from > 0 && from <= 20000, gets[1].Range);
        Assert.AreEqual(206, gets[1].Status);
    }

    [TestMethod]
    public async Task ARebootMidDownloadResumesFromStorage()
    {
        string folder = Directory.CreateTempSubdirectory("cota-e2e").FullName;
        var product = _platform.Registry.AddProduct();
        var device = _platform.Registry.AddDevice(product.ProductKey, "dev1");
        byte[] content = BlobModule.Config(60000);
        var config = _platform.Cota.PublishConfig(product.ProductKey, content);
        _platform.Files.InjectFault(FileFault.ResetAfter(30000, times: 1), config.ConfigId);

        var first = new Rig(product.ProductKey, device.DeviceName, device.DeviceSecret!, folder).Open();
        first.Settings.MaxAttempts = 1;
        first.Connect();
        first.Pump(_platform.Files.LoggedAsync(r => r.ConfigId == config.ConfigId && r.BodyBytes > 0));
        // The power goes mid-body, once part of the file is in the store's slot (each append is durable when it returns).
        while (first.Download.Received < 2 * first.Settings.BufferSize && first.Service.IsBusy)
        {
            first.Device.Yield(5);
            first.Service.Step();
        }

        first.PowerOff();
        _platform.Files.ClearFaults();

        using var second = new Rig(product.ProductKey, device.DeviceName, device.DeviceSecret!, folder).Open();
        long mark = _platform.Cota.LastSequence;
        await OfflineAsync(product.ProductKey, device.DeviceName);
        second.Connect();
        var result = second.Pump(NextResult(second, mark));
        StringAssert.Contains(result.Payload, "\"status\":\"applied\"");
        CollectionAssert.AreEqual(content, second.Active());
        // The first device made one attempt, from byte 0; a ranged GET can only be the restarted device's.
        var resumed = await _platform.Files.LoggedAsync(r => r.ConfigId == config.ConfigId && r.Method == "GET" && r.Range != null);
        Assert.AreEqual(206, resumed.Status);
    }

    [TestMethod]
    public async Task AConfigOverTheLimitIsRejectedBeforeAnyDownload()
    {
        using var rig = NewRig(out var product).Open(maxConfigSize: 1000);
        rig.Connect();
        var config = _platform.Cota.PublishConfig(product.ProductKey, BlobModule.Config(5000));
        long mark = _platform.Cota.LastSequence;
        var pushes = await _platform.Cota.PushAsync(product.ProductKey);
        var ack = rig.Pump(_platform.Cota.WaitForPushReplyAsync(pushes[0], Wait));
        Assert.AreEqual(460, ack.Code);
        var result = rig.Pump(NextResult(rig, mark));
        StringAssert.Contains(result.Payload, "\"status\":\"rejected\",\"reason\":\"TooLarge\"");
        Assert.AreEqual(0, Downloads(config.ConfigId));
    }

    // The platform has seen the device go: the next login is a new session, not a take-over of the old one.
    private static async Task OfflineAsync(string productKey, string deviceName)
    {
        var deadline = DateTime.UtcNow + Wait;
        while ((await _platform.Broker.OnlineDevicesAsync()).Any(d => d.ProductKey == productKey && d.DeviceName == deviceName))
        {
            Assert.IsTrue(DateTime.UtcNow < deadline, deviceName + " still online after its power went");
            await Task.Delay(10);
        }
    }
}
