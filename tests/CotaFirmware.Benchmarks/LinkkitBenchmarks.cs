using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;
using CotaFirmware.Platform;
using CotaFirmware.Tests.Linkkit;
using CotaFirmware.Tests.Platform;

namespace CotaFirmware.Benchmarks;

/// <summary>
/// LinkKit's per-message work against System.Text.Json doing the same: writing a property-post request, and a
/// whole request round trip (write the request, then take id and code from the reply and hand it over).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob(RuntimeMoniker.Net10_0)]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LinkkitBenchmarks
{
    private static readonly byte[] ReplyTopic = Encoding.ASCII.GetBytes("/sys/a1X2bEnP82z/example_zc/thing/event/property/post_reply");
    private static readonly byte[] ReplyHead = Encoding.ASCII.GetBytes("\"id\":\"");
    private static readonly byte[] ReplyTail = Encoding.ASCII.GetBytes("\",\"code\":200,\"data\":{},\"message\":\"success\",\"method\":\"thing.event.property.post\",\"version\":\"1.0\"}");
    private static readonly byte[] ReplyPayload = Encoding.ASCII.GetBytes("{\"id\":\"1\",\"code\":200,\"data\":{},\"message\":\"success\",\"method\":\"thing.event.property.post\",\"version\":\"1.0\"}");

    private readonly byte[] _buffer = new byte[1024];
    private readonly byte[] _reply = new byte[256];
    private JsonWriter _writer = null!;
    private readonly ArrayBufferWriter<byte> _peerBuffer = new(1024);
    private readonly ScriptedMqttSession _session = new() { KeepsPublished = false };
    private readonly Handler _handler = new();
    private readonly Params _params = new();
    private Utf8JsonWriter _peerWriter = null!;
    private LinkkitDevice _device = null!;

    private sealed class Handler : IReplyHandler
    {
        public int Code;

        public void OnReply(LinkkitDevice device, int requestId, ReplyStatus status, int code, int size, byte[] data, int offset, int count) => Code = code;
    }

    // The property names and the status text as a device keeps them: encoded once, so a message makes no string.
    private static readonly byte[] Temperature = Encoding.UTF8.GetBytes("Temperature");
    private static readonly byte[] Humidity = Encoding.UTF8.GetBytes("Humidity");
    private static readonly byte[] Status = Encoding.UTF8.GetBytes("Status");
    private static readonly byte[] Running = Encoding.UTF8.GetBytes("running \"ok\"");
    private static readonly byte[] Id = Encoding.UTF8.GetBytes("id");
    private static readonly byte[] One = Encoding.UTF8.GetBytes("1");
    private static readonly byte[] Version = Encoding.UTF8.GetBytes("version");
    private static readonly byte[] Version10 = Encoding.UTF8.GetBytes("1.0");
    private static readonly byte[] ParamsName = Encoding.UTF8.GetBytes("params");
    private static readonly byte[] Method = Encoding.UTF8.GetBytes("method");
    private static readonly byte[] PropertyPost = Encoding.UTF8.GetBytes("thing.event.property.post");

    private sealed class Params : IJsonMembers
    {
        public void WriteMembers(JsonWriter writer)
        {
            writer.WriteProperty(Temperature, 23);
            writer.WriteProperty(Humidity, 61);
            writer.WriteProperty(Status, Running);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        _peerWriter = new Utf8JsonWriter(_peerBuffer);
        _writer = new JsonWriter(_buffer, 0, _buffer.Length);
        _device = LinkkitDevice.Open(new DeviceIdentity("a1X2bEnP82z", "example_zc", "secret", null), new LinkkitSettings(), _session, new RecordingMac(), new ManualClock(1, 1700000000000), new RecordingLog { KeepsLines = false }, 1);
        _device.Connect();
    }

    [BenchmarkCategory("write"), Benchmark(Baseline = true, Description = "System.Text.Json: write property post")]
    public int PeerWriteRequest()
    {
        _peerBuffer.ResetWrittenCount();
        WritePeerRequest();
        return _peerBuffer.WrittenCount;
    }

    [BenchmarkCategory("write"), Benchmark(Description = "JsonWriter: write property post")]
    public int WriteRequest()
    {
        var w = _writer;
        w.Reset();
        w.BeginObject();
        w.WriteProperty(Id, One);
        w.WriteProperty(Version, Version10);
        w.WriteName(ParamsName);
        w.BeginObject();
        _params.WriteMembers(w);
        w.EndObject();
        w.WriteProperty(Method, PropertyPost);
        w.EndObject();
        return w.Length;
    }

    [BenchmarkCategory("round trip"), Benchmark(Baseline = true, Description = "System.Text.Json: request + read reply id/code")]
    public int PeerRoundTrip()
    {
        _peerBuffer.ResetWrittenCount();
        WritePeerRequest();
        var reader = new Utf8JsonReader(ReplyPayload);
        int code = -1;
        string? id = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    id = reader.GetString();
                }
                else if (reader.ValueTextEquals("code"u8))
                {
                    reader.Read();
                    code = reader.GetInt32();
                }
            }
        }

        return id == "1" ? code : -1;
    }

    [BenchmarkCategory("round trip"), Benchmark(Description = "LinkkitDevice: Report + route reply by id")]
    public int RoundTrip()
    {
        int id = _device.Report(_params, _handler);

        // The reply echoes the request's id: put its digits into the reply text.
        int n = 0;
        for (int t = id; t != 0; t /= 10)
        {
            n++;
        }

        _reply[0] = (byte)'{';
        ReplyHead.CopyTo(_reply, 1);
        int p = 1 + ReplyHead.Length;
        for (int i = p + n - 1, t = id; i >= p; i--, t /= 10)
        {
            _reply[i] = (byte)('0' + (t % 10));
        }

        p += n;
        ReplyTail.CopyTo(_reply, p);
        p += ReplyTail.Length;
        _session.Deliver(ReplyTopic, 0, ReplyTopic.Length, _reply, 0, p);
        return _handler.Code;
    }

    private void WritePeerRequest()
    {
        var w = _peerWriter;
        w.Reset(_peerBuffer);
        w.WriteStartObject();
        w.WriteString("id"u8, "1"u8);
        w.WriteString("version"u8, "1.0"u8);
        w.WritePropertyName("params"u8);
        w.WriteStartObject();
        w.WriteNumber("Temperature"u8, 23);
        w.WriteNumber("Humidity"u8, 61);
        w.WriteString("Status"u8, "running \"ok\"");
        w.WriteEndObject();
        w.WriteString("method"u8, "thing.event.property.post"u8);
        w.WriteEndObject();
        w.Flush();
    }
}
