using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using CotaFirmware.Json;

namespace CotaFirmware.Benchmarks;

/// <summary>
/// Token walk over every token of a 4 KB COTA-like message and a 1 MB config document: <see cref="JsonReader"/>
/// (in memory, and for the config also streamed through a 512-byte window) against System.Text.Json's Utf8JsonReader.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class JsonBenchmarks
{
    private byte[] _cota = Array.Empty<byte>();
    private byte[] _config = Array.Empty<byte>();
    private JsonReader _inMemory = new JsonReader(null);
    private JsonReader _windowed = new JsonReader(new byte[512]);
    private readonly MemorySource _source = new MemorySource();

    [GlobalSetup]
    public void Setup()
    {
        _cota = CotaMessage();
        _config = ConfigDocument(1 << 20);
        _inMemory = new JsonReader(null);
        _windowed = new JsonReader(new byte[512]);
        Console.WriteLine($"// COTA message {_cota.Length} bytes, config {_config.Length} bytes");
    }

    // A config push as the platform sends it: an ~800-character signed URL, plus module status padding to about 4 KB.
    private static byte[] CotaMessage()
    {
        var url = new StringBuilder("https://iotx-config.oss-cn-shanghai.aliyuncs.com/config/a1B2c3D4e5F/device-0001/config.json?Expires=1790000000&OSSAccessKeyId=LTAI5tExample&Signature=");
        while (url.Length < 800)
        {
            url.Append("a%2Bb%2F0123456789ABCDEFabcdef");
        }

        var s = new StringBuilder();
        s.Append("{\"id\":\"123456789\",\"version\":\"1.0\",\"method\":\"thing.config.push\",\"params\":{");
        s.Append("\"configId\":\"c-20261127-0001\",\"configSize\":3822,\"sign\":\"");
        s.Append(string.Concat(Enumerable.Repeat("9f86d081884c7d65", 4)));
        s.Append("\",\"signMethod\":\"Sha256\",\"url\":\"").Append(url).Append("\",\"getType\":\"file\",\"modules\":[");
        for (int i = 0; s.Length < 4000; i++)
        {
            s.Append(i == 0 ? "" : ",").Append("{\"name\":\"module").Append(i).Append("\",\"enabled\":true,\"revision\":").Append(i * 7)
                .Append(",\"note\":\"caf\\u00e9 \\\"ok\\\"\"}");
        }

        s.Append("]}}");
        return Encoding.UTF8.GetBytes(s.ToString());
    }

    // Module sections with nested objects, arrays, escapes, numbers of every shape and raw UTF-8.
    private static byte[] ConfigDocument(int size)
    {
        var s = new StringBuilder("{\"schema\":3,\"modules\":{");
        for (int i = 0; s.Length < size - 400; i++)
        {
            s.Append(i == 0 ? "" : ",").Append("\n  \"module").Append(i).Append("\": {\"enabled\": ").Append(i % 2 == 0 ? "true" : "false")
                .Append(", \"interval\": ").Append(1000 + i).Append(", \"gain\": -").Append(i % 97).Append(".25e-2")
                .Append(", \"label\": \"Zone ").Append(i).Append(" \\u2013 h\u00f6he \\\"A\\\"\\n\"")
                .Append(", \"limits\": [0, 12.5, 100, null], \"tags\": {\"site\": \"plant-").Append(i % 13).Append("\", \"owner\": \"ops\"}}");
        }

        s.Append("\n}}");
        return Encoding.UTF8.GetBytes(s.ToString());
    }

    private static int WalkUtf8JsonReader(byte[] doc)
    {
        var reader = new Utf8JsonReader(doc);
        int n = 0;
        while (reader.Read())
        {
            n++;
        }

        return n;
    }

    private static int Walk(JsonReader reader)
    {
        int n = 0;
        while (reader.Read())
        {
            n++;
        }

        if (reader.Error != JsonError.None)
        {
            throw new InvalidOperationException(reader.DescribeError());
        }

        return n;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Cota4K")]
    public int Cota4K_Utf8JsonReader() => WalkUtf8JsonReader(_cota);

    [Benchmark, BenchmarkCategory("Cota4K")]
    public int Cota4K_JsonReader()
    {
        _inMemory.Begin(_cota, 0, _cota.Length);
        return Walk(_inMemory);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Config1M")]
    public int Config1M_Utf8JsonReader() => WalkUtf8JsonReader(_config);

    [Benchmark, BenchmarkCategory("Config1M")]
    public int Config1M_JsonReader()
    {
        _inMemory.Begin(_config, 0, _config.Length);
        return Walk(_inMemory);
    }

    [Benchmark, BenchmarkCategory("Config1M")]
    public int Config1M_JsonReader_Window512()
    {
        _source.Open(_config);
        _windowed.Begin(_source);
        return Walk(_windowed);
    }

    /// <summary>A document in memory served as flash would: copied into the reader's window on each refill.</summary>
    private sealed class MemorySource : IJsonSource
    {
        private byte[] _doc = Array.Empty<byte>();
        private int _pos;

        public void Open(byte[] doc)
        {
            _doc = doc;
            _pos = 0;
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, _doc.Length - _pos);
            Buffer.BlockCopy(_doc, _pos, buffer, offset, n);
            _pos += n;
            return n;
        }
    }
}
