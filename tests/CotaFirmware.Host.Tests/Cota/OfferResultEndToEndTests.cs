using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using CotaFirmware.App;
using CotaFirmware.Host.Board;
using CotaFirmware.Host.Cli;
using CotaFirmware.Host.Cloud;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Registry;
using CotaFirmware.HostTests.Mqtt;

namespace CotaFirmware.HostTests.Cota;

/// <summary>
/// What used to end with the cloud told nothing, end to end: the host board's whole firmware (core MQTT over TLS,
/// HTTPS downloads, flash in a folder, in-process reboots) against the local IoT platform, and against mosquitto.
/// </summary>
[TestClass]
public sealed class OfferResultEndToEndTests
{
    private static LocalPlatform _platform = null!;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => _platform = await LocalPlatform.StartAsync();

    [ClassCleanup]
    public static async Task StopAsync() => await _platform.StopAsync();

    private const string Live1 = "{\"telemetry\":{\"intervalSeconds\":31}}";
    private const string Live2 = "{\"telemetry\":{\"intervalSeconds\":32},\"statusLed\":{\"pattern\":\"blink\"}}";
    private const string Wifi = "{\"wifi\":{\"ssid\":\"lab-net\",\"password\":\"lab-pass-1\"}}";

    /// <summary>One device of the host board, driven from the test's thread (so a test can act between two turns of its loop).</summary>
    private sealed class Board : IDisposable
    {
        private readonly Func<DeviceSettings> _settings;
        private readonly TcpChannel _tcp;
        private readonly HttpClientSource _http;
        private readonly InProcessReboot _reboot = new();
        private readonly string _folder;

        public Board(Func<DeviceSettings> settings, string? rootCaPem, IStorage? flash = null)
        {
            _settings = settings;
            var ca = rootCaPem == null ? null : X509Certificate2.CreateFromPem(rootCaPem);
            _tcp = ca == null ? new TcpChannel() : new TcpChannel(ca);
            _http = new HttpClientSource(ca);
            Wire = new RecordingChannel(_tcp);
            Channel = new SwitchableChannel(Wire);
            _folder = Directory.CreateTempSubdirectory("cota-results").FullName;
            Storage = flash ?? new FileStorage(_folder);
            PowerOn();
        }

        public SwitchableChannel Channel { get; }

        public RecordingChannel Wire { get; }

        public IStorage Storage { get; }

        public RecordingLog Log { get; } = new();

        public CotaDevice Device { get; private set; } = null!;

        /// <summary>True once the firmware called the board's reboot.</summary>
        public bool Rebooting => _reboot.IsRequested;

        /// <summary>Every HTTP request the firmware made (downloads).</summary>
        public DownloadMeter Downloads { get; } = new();

        public int Boots { get; private set; }

        /// <summary>A new firmware instance over the same flash (RAM is lost).</summary>
        public void PowerOn()
        {
            Device?.Close();
            _http.Close();
            _reboot.Acknowledge();
            Boots++;
            var board = new DeviceBoard
            {
                Channel = Channel, Http = Downloads.Wrap(_http), Storage = Storage, Reboot = _reboot, Clock = new HostClock(), Log = Log,
                Mac = new CotaFirmware.Crypto.ManagedMac(), Seed = Boots,
            };
            Device = new CotaDevice(board, _settings());
            Device.Start();
        }

        /// <summary>Turns the loop (rebooting when asked) until <paramref name="done"/> holds.</summary>
        public void RunUntil(Func<bool> done, string what)
        {
            var sw = Stopwatch.StartNew();
            while (!done())
            {
                if (sw.Elapsed > Wait)
                {
                    throw new AssertFailedException("timed out waiting for " + what);
                }

                Device.Step();
                if (_reboot.IsRequested && !done())
                {
                    PowerOn();
                }
            }
        }

        public void Dispose()
        {
            Device.Close();
            _tcp.Dispose();
            _http.Dispose();
            Directory.Delete(_folder, true);
        }
    }

    // A device of a fresh product on the host board, connected to the platform.
    private static Board ConnectedDevice(out string productKey, IStorage? flash = null)
    {
        var product = _platform.Registry.AddProduct();
        var device = _platform.Registry.AddDevice(product.ProductKey, "dev1");
        var board = new Board(() =>
        {
            var s = DeviceProfiles.Local(_platform.Host, _platform.MqttTlsPort, product.ProductKey, "dev1", device.DeviceSecret!, 0);
            s.IdleYieldMs = 10;
            return s;
        }, _platform.CaPem, flash);
        try
        {
            board.RunUntil(() => board.Device.IsConnected, "the connect");
        }
        catch
        {
            board.Dispose();
            throw;
        }

        productKey = product.ProductKey;
        return board;
    }

    // Publishes a config on the product and pushes it to the product's devices.
    private static async Task<ConfigFile> PublishAndPushAsync(string productKey, string json)
    {
        var config = _platform.Cota.PublishConfig(productKey, json);
        await _platform.Cota.PushAsync(productKey, config.ConfigId);
        return config;
    }

    private static List<JsonElement> Results(string productKey) =>
        _platform.Cota.Messages.Where(m => m.ProductKey == productKey && m.Kind == DeviceMessageKind.Result)
            .Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("params").Clone()).ToList();

    private static JsonElement? ResultFor(string productKey, string configId) =>
        Results(productKey).Cast<JsonElement?>().LastOrDefault(r => r!.Value.GetProperty("configId").GetString() == configId);

    [TestMethod]
    public async Task AConfigPushedWhileAnotherIsOnTrialIsTakenAndBothAreReported()
    {
        using var board = ConnectedDevice(out var pk);
        var c1 = await PublishAndPushAsync(pk, Live1);
        board.RunUntil(() => board.Device.State.IsOnTrial, "config 1 on trial");

        // Between two turns of the loop, before the trial's get goes out: the next push is the first the device hears.
        var c2 = _platform.Cota.PublishConfig(pk, Live2);
        var push = (await _platform.Cota.PushAsync(pk, c2.ConfigId)).Single();
        board.Wire.AwaitNextBytes((int)Wait.TotalMilliseconds);
        board.RunUntil(() => ResultFor(pk, c2.ConfigId) != null, "the result of config 2");

        Assert.AreEqual(200, (await _platform.Cota.WaitForPushReplyAsync(push, Wait)).Code);
        Assert.AreEqual("applied", ResultFor(pk, c1.ConfigId)!.Value.GetProperty("status").GetString());
        Assert.AreEqual("applied", ResultFor(pk, c2.ConfigId)!.Value.GetProperty("status").GetString());
        Assert.AreEqual(32, board.Device.State.TelemetryIntervalSeconds);
        Assert.IsTrue(board.Log.Contains("config " + c1.ConfigId + " confirmed"));
    }

    [TestMethod]
    public async Task AFullFlashIsAResultThatNamesTheStoreError()
    {
        using var board = ConnectedDevice(out var pk, new MemoryStorage { FullArea = "cfg-" });
        var c1 = _platform.Cota.PublishConfig(pk, Live1);
        var push = (await _platform.Cota.PushAsync(pk, c1.ConfigId)).Single();
        board.RunUntil(() => ResultFor(pk, c1.ConfigId) != null, "the result");
        Assert.AreEqual(200, (await _platform.Cota.WaitForPushReplyAsync(push, Wait)).Code);
        var result = ResultFor(pk, c1.ConfigId)!.Value.GetRawText();
        StringAssert.Contains(result, "\"status\":\"failed\",\"reason\":\"StoreFailed\",\"errors\":[{\"module\":\"store\",\"code\":\"StorageFailed\",\"storage\":\"Full\"}]");
        Assert.IsTrue(board.Log.Contains("StoreFailed"), "the log names it too");
        Assert.IsFalse(board.Log.Contains("store status"), "no raw numbers");
    }

    [TestMethod]
    public async Task ARollbackByTheBootLoopGuardIsReportedAfterTheNextConnect()
    {
        using var board = ConnectedDevice(out var pk);
        var c1 = await PublishAndPushAsync(pk, Wifi);
        board.RunUntil(() => board.Rebooting, "the reboot config 1 asks for");

        // Every boot dies before it reaches the cloud, until the store's boot limit (3) rolls config 1 back.
        board.Channel.Online = false;
        for (int boot = 0; boot < 4; boot++)
        {
            board.PowerOn();
            for (int i = 0; i < 5; i++)
            {
                board.Device.Step();
            }
        }

        Assert.IsFalse(board.Device.State.IsOnTrial);
        Assert.AreNotEqual("lab-net", board.Device.State.WifiSsid, "the old network runs again");
        board.Channel.Online = true;
        board.RunUntil(() => ResultFor(pk, c1.ConfigId) != null, "the result");
        StringAssert.Contains(ResultFor(pk, c1.ConfigId)!.Value.GetRawText(), "\"status\":\"rolled_back\",\"reason\":\"BootLoopGuard\"");
    }

    [TestMethod]
    public void AGetReplyTheDeviceRefusesIsAResult()
    {
        var product = _platform.Registry.AddProduct();
        var c1 = _platform.Cota.PublishConfig(product.ProductKey, Live1);
        var device = _platform.Registry.AddDevice(product.ProductKey, "dev1");
        using var board = new Board(() =>
        {
            var s = DeviceProfiles.Local(_platform.Host, _platform.MqttTlsPort, product.ProductKey, "dev1", device.DeviceSecret!, 0);
            s.Cota.MaxUrlLength = 400; // the platform's signed URLs are over 800 characters
            return s;
        }, _platform.CaPem);
        board.RunUntil(() => ResultFor(product.ProductKey, c1.ConfigId) != null, "the result");
        StringAssert.Contains(ResultFor(product.ProductKey, c1.ConfigId)!.Value.GetRawText(), "\"status\":\"rejected\",\"reason\":\"UrlInvalid\"");
        Assert.AreEqual(0, _platform.Files.Requests.Count(r => r.ConfigId == c1.ConfigId));
    }

    [TestMethod]
    public void OnAPlainBrokerThatAnswersNoGetAConfigIsKeptAndReported()
    {
        using var broker = Mosquitto.Start();
        byte[] file = Encoding.ASCII.GetBytes(Live1);
        using var server = new RangeServer(file);
        using var cloud = Peer.Connect(broker.Port, "console");
        cloud.Subscribe("/sys/pk1/dn1/#", 1);
        using var board = new Board(() =>
        {
            var s = DeviceProfiles.Plain("127.0.0.1", broker.Port, "pk1", "dn1", "s3cretDeviceKey0123456789abcdef0", 0);
            s.Download.AllowPlainHttp = true;
            s.Cota.TrialDeadlineMs = 3000;
            s.Linkkit.RequestTimeoutMs = 1000;
            return s;
        }, null);
        board.RunUntil(() => board.Device.IsConnected, "the connect");
        string push = "{\"id\":\"77\",\"version\":\"1.0\",\"params\":{\"configId\":\"m1\",\"configSize\":" + file.Length + ",\"sign\":\""
            + Convert.ToHexString(SHA256.HashData(file)) + "\",\"signMethod\":\"Sha256\",\"url\":\"" + server.Url() + "\",\"getType\":\"file\"},\"method\":\"thing.config.push\"}";
        cloud.Publish("/sys/pk1/dn1/thing/config/push", Encoding.ASCII.GetBytes(push), 0);

        string? Result() => cloud.Received.Where(m => m.Topic == "/sys/pk1/dn1/thing/event/ConfigResult/post")
            .Select(m => Encoding.UTF8.GetString(m.Payload)).LastOrDefault();
        board.RunUntil(() => Result() != null && board.Device.State.PendingResults == 0, "the result, delivered");

        // Nothing answered the gets: the trial held its connection to the deadline, and the config stays.
        StringAssert.Contains(Result()!, "\"params\":{\"configId\":\"m1\",\"status\":\"applied\",\"errors\":[]");
        Assert.AreEqual(31, board.Device.State.TelemetryIntervalSeconds);
        Assert.IsTrue(cloud.Received.Count(m => m.Topic == "/sys/pk1/dn1/thing/config/get") >= 2, "the trial asked again");
        Assert.IsTrue(cloud.Received.Any(m => m.Topic == "/sys/pk1/dn1/thing/config/push_reply"
            && Encoding.UTF8.GetString(m.Payload) == "{\"id\":\"77\",\"code\":200,\"data\":{}}"));
    }

    [TestMethod]
    public void MessagesLargerThanTheReceiveBufferAreAnsweredNotDropped()
    {
        using var broker = Mosquitto.Start();
        using var cloud = Peer.Connect(broker.Port, "console");
        cloud.Subscribe("/sys/pk1/dn1/#", 1);
        using var board = new Board(() =>
        {
            var s = DeviceProfiles.Plain("127.0.0.1", broker.Port, "pk1", "dn1", "s3cretDeviceKey0123456789abcdef0", 0);
            s.Mqtt.ReceiveBufferSize = 1024;
            s.Linkkit.RequestTimeoutMs = 10000;
            return s;
        }, null);
        board.RunUntil(() => board.Device.IsConnected && cloud.Received.Any(m => m.Topic == "/sys/pk1/dn1/thing/config/get"), "the connect's get");
        string fields = "\"configId\":\"big1\",\"configSize\":100,\"sign\":\"" + new string('a', 64) + "\",\"signMethod\":\"Sha256\",\"url\":\"http://127.0.0.1:9/"
            + new string('u', 2000) + "\",\"getType\":\"file\"";

        // The answer to the device's get, too large for its buffer: a result, not a timeout.
        string get = Encoding.UTF8.GetString(cloud.Received.First(m => m.Topic == "/sys/pk1/dn1/thing/config/get").Payload);
        string getId = JsonDocument.Parse(get).RootElement.GetProperty("id").GetString()!;
        cloud.Publish("/sys/pk1/dn1/thing/config/get_reply", Encoding.ASCII.GetBytes("{\"id\":\"" + getId + "\",\"version\":\"1.0\",\"code\":200,\"data\":{" + fields + "}}"), 0);
        string? Result() => cloud.Received.Where(m => m.Topic == "/sys/pk1/dn1/thing/event/ConfigResult/post")
            .Select(m => Encoding.UTF8.GetString(m.Payload)).LastOrDefault();
        board.RunUntil(() => Result() != null, "the result");
        StringAssert.Contains(Result()!, "\"params\":{\"configId\":\"big1\",\"status\":\"rejected\",\"reason\":\"MessageTooLarge\"");

        // A push that size: its id came first, so it is answered 400.
        cloud.Publish("/sys/pk1/dn1/thing/config/push", Encoding.ASCII.GetBytes("{\"id\":\"78\",\"version\":\"1.0\",\"params\":{" + fields.Replace("big1", "big2")
            + "},\"method\":\"thing.config.push\"}"), 0);
        string? Reply() => cloud.Received.Where(m => m.Topic == "/sys/pk1/dn1/thing/config/push_reply")
            .Select(m => Encoding.UTF8.GetString(m.Payload)).LastOrDefault();
        board.RunUntil(() => Reply() != null, "the push_reply");
        StringAssert.StartsWith(Reply()!, "{\"id\":\"78\",\"code\":400,\"data\":{},\"message\":\"message of ");
        Assert.IsFalse(board.Log.Contains("got no reply in time"), "too large is not a timeout");
        Assert.AreEqual(0, board.Downloads.Requests, "no download requested");
        Assert.IsFalse(board.Device.State.IsDownloading, "no download started, nor waiting to start");
    }
}
