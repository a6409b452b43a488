using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CotaFirmware.Config;
using CotaFirmware.Cota;
using CotaFirmware.HostTests;
using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;
using CotaFirmware.Platform;
using CotaFirmware.Tests;
using CotaFirmware.Tests.Config;
using CotaFirmware.Tests.Linkkit;
using CotaFirmware.Tests.Platform;

namespace CotaFirmware.Benchmarks;

/// <summary>
/// A full COTA cycle through in-memory fakes: a push arrives on the MQTT port, is parsed, written to flash as the
/// accepted offer and acked, downloaded into the config store, hashed once as stored and sealed, validated, committed
/// on trial and applied; the next push confirms that trial and records its result. The peer only parses the push with
/// System.Text.Json (JsonDocument, Utf8JsonWriter for the ack) and copies the file into an IncrementalHash sink. Both
/// hash with .NET's SHA-256; each push carries a new configId (its digits changed in place, nothing allocated).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRun))]
public class CotaCycleBenchmarks
{
    private byte[] _file = Array.Empty<byte>();
    private byte[] _push = Array.Empty<byte>();
    private byte[] _pushTopic = Array.Empty<byte>();
    private byte[] _expected = Array.Empty<byte>();
    private ScriptedMqttSession _session = null!;
    private CotaService _service = null!;
    private int _idAt;
    private int _cycles;
    private PeerStore _peerStore = null!;
    private MemoryStream _peerAck = null!;

    [Params(1024, 1024 * 1024)]
    public int Size;

    [GlobalSetup]
    public void Setup()
    {
        _file = BlobModule.Config(Size);
        _expected = SHA256.HashData(_file);
        string url = PeerStore.OfferUrl;
        _push = Encoding.ASCII.GetBytes("{\"id\":\"123\",\"version\":\"1.0\",\"params\":{\"configId\":\"cfg-00000000\",\"configSize\":" + _file.Length
            + ",\"sign\":\"" + Convert.ToHexString(_expected) + "\",\"signMethod\":\"Sha256\",\"url\":\"" + url
            + "\",\"getType\":\"file\"},\"method\":\"thing.config.push\"}");
        _pushTopic = Encoding.ASCII.GetBytes("/sys/pk1/dn1/thing/config/push");
        _idAt = Encoding.ASCII.GetString(_push).IndexOf("cfg-", StringComparison.Ordinal) + 4;

        _session = new ScriptedMqttSession { KeepsPublished = false };
        var options = new LinkkitSettings { MqttDomain = "127.0.0.1", UseTls = false, AllowPlainTransport = true };
        var device = LinkkitDevice.Open(new CotaFirmware.Linkkit.DeviceIdentity("pk1", "dn1", "s3cretDeviceKey0123456789abcdef0", null),
            options, _session, new RecordingMac(), new ManualClock(), new RecordingLog { KeepsLines = false }, 1);
        var storage = new MemoryStorage { KeepsLog = false };
        var clock = new ManualClock();
        var store = new ConfigStore(storage, new DotNetSha256(), new byte[4096], 2 * 1024 * 1024, 3);
        var modules = new ModuleRegistry(1);
        modules.Register(new BlobModule());
        var applier = new ConfigApplier(store, modules, null, new byte[256], new byte[256], 8);
        var download = new RangeDownload(new ScriptedHttpClient(_file), store, storage, clock, new DownloadSettings { BufferSize = 4096 }, 1);
        _service = new CotaService(device, store, applier, download, storage, new CotaSettings { StartJitterMs = 0 }, clock, 1, new RecordingLog { KeepsLines = false });
        _service.Start();
        if (device.Connect() != LinkkitStatus.Ok)
        {
            throw new InvalidOperationException("connect");
        }

        _peerStore = new PeerStore(Size);
        _peerAck = new MemoryStream(256);
    }

    [Benchmark]
    public int CotaService()
    {
        // A new configId in place: cfg-00000001, cfg-00000002, ...
        int n = ++_cycles;
        for (int i = 7; i >= 0; i--, n /= 10)
        {
            _push[_idAt + i] = (byte)('0' + n % 10);
        }

        _session.Deliver(_pushTopic, 0, _pushTopic.Length, _push, 0, _push.Length);
        while (_service.IsBusy)
        {
            _service.Step();
        }

        if (!_service.IsOnTrial || _service.LastAckCode != 200)
        {
            throw new InvalidOperationException(CotaNames.Of(_service.LastResult));
        }

        return _cycles;
    }

    [Benchmark(Baseline = true)]
    public bool SystemTextJsonAndStreamCopy()
    {
        using var doc = JsonDocument.Parse(_push);
        var root = doc.RootElement;
        var p = root.GetProperty("params");
        string configId = p.GetProperty("configId").GetString()!;
        long size = p.GetProperty("configSize").GetInt64();
        string sign = p.GetProperty("sign").GetString()!;
        string url = p.GetProperty("url").GetString()!;
        if (size != _file.Length || configId.Length == 0 || url.Length == 0)
        {
            throw new InvalidOperationException("push");
        }

        _peerAck.Position = 0;
        using (var w = new Utf8JsonWriter(_peerAck))
        {
            w.WriteStartObject();
            w.WritePropertyName("id");
            root.GetProperty("id").WriteTo(w);
            w.WriteNumber("code", 200);
            w.WriteStartObject("data");
            w.WriteEndObject();
            w.WriteEndObject();
        }

        _peerStore.Store(_file);
        return Convert.FromHexString(sign).AsSpan().SequenceEqual(_peerStore.Digest);
    }
}
