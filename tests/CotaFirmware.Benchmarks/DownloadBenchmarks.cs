using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CotaFirmware.Config;
using CotaFirmware.Cota;
using CotaFirmware.Crypto;
using CotaFirmware.HostTests;
using CotaFirmware.Platform;
using CotaFirmware.Tests;
using CotaFirmware.Tests.Platform;

namespace CotaFirmware.Benchmarks;

/// <summary>
/// A full config download (request, stream through the buffer into the config store's candidate slot, hash it once
/// as stored, seal) through in-memory HTTP and storage, against the .NET peer: Stream.CopyTo into a hashing sink with
/// IncrementalHash. Both hash with the same .NET SHA-256, so the ratio is the cost of the download and the store.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRun))]
public class DownloadBenchmarks
{
    /// <summary>A short run in the host process: generating and building a separate project takes too long on a 2-core VM.</summary>
    private const string Url = "https://bucket.oss-cn-shanghai.aliyuncs.com/config_file/pk1/cfg.json?Expires=1700000000&OSSAccessKeyId=STS.N&Signature=abc";

    private byte[] _file = Array.Empty<byte>();
    private byte[] _expected = Array.Empty<byte>();
    private ConfigOffer _offer = null!;
    private RangeDownload _download = null!;
    private MemoryStorage _storage = null!;
    private MemoryStream _sink = null!;
    private IncrementalHash _hash = null!;
    private readonly byte[] _digest = new byte[32];

    [Params(1024, 1024 * 1024)]
    public int Size;

    [GlobalSetup]
    public void Setup()
    {
        _file = new byte[Size];
        new Random(1).NextBytes(_file);
        _expected = SHA256.HashData(_file);
        _offer = new ConfigOffer(2048);
        var id = Encoding.ASCII.GetBytes("cfg-bench");
        var sign = Encoding.ASCII.GetBytes(Convert.ToHexString(_expected));
        var url = Encoding.ASCII.GetBytes(Url.PadRight(816, 'x'));
        _offer.Set(id, 0, id.Length, Size, sign, 0, sign.Length, url, 0, url.Length);
        var settings = new DownloadSettings { BufferSize = 4096 };
        _storage = new MemoryStorage { KeepsLog = false };
        var store = new ConfigStore(_storage, new DotNetSha256(), new byte[4096], 2 * 1024 * 1024, 3);
        store.Boot();
        _download = new RangeDownload(new ScriptedHttpClient(_file), store, _storage, new ManualClock(), settings, 1);
        _sink = new MemoryStream(Size);
        _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    [Benchmark]
    public CotaStatus RangeDownload()
    {
        _download.Discard();
        _download.Start(_offer);
        CotaStatus r;
        while ((r = _download.Step()) == CotaStatus.Running)
        {
        }

        if (r != CotaStatus.Ok)
        {
            throw new InvalidOperationException(r.ToString());
        }

        return r;
    }

    [Benchmark(Baseline = true)]
    public bool StreamCopyToWithIncrementalHash()
    {
        _sink.Position = 0;
        using var source = new MemoryStream(_file, false);
        source.CopyTo(new HashingSink(_sink, _hash), 4096);
        _hash.GetHashAndReset(_digest);
        if (!CryptographicOperations.FixedTimeEquals(_digest, _expected))
        {
            throw new InvalidOperationException("hash");
        }

        return true;
    }

    /// <summary>Writes through to a stream while feeding a hash: the peer's "store and hash".</summary>
    internal sealed class HashingSink(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            hash.AppendData(buffer, offset, count);
            inner.Write(buffer, offset, count);
        }
    }
}
