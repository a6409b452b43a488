using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CotaFirmware.Config;
using CotaFirmware.Cota;
using CotaFirmware.Crypto;
using CotaFirmware.Platform;

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
    private FixedStorage _storage = null!;
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
        _storage = new FixedStorage(2 * 1024 * 1024 + ConfigStore.HeaderSize);
        var store = new ConfigStore(_storage, new NetSha256(), new byte[4096], 2 * 1024 * 1024, 3);
        store.Boot();
        _download = new RangeDownload(new FileHttpClient(_file), store, _storage, new ZeroClock(), settings, 1);
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

    internal sealed class NetSha256 : HashFunction
    {
        private readonly IncrementalHash _h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public override int HashSize => 32;
        public override int BlockSize => 64;

        public override void Reset()
        {
            Span<byte> discard = stackalloc byte[32];
            _h.GetHashAndReset(discard);
        }

        public override void Update(byte[] buffer, int offset, int count) => _h.AppendData(buffer, offset, count);
        public override void Final(byte[] output, int offset) => _h.GetHashAndReset(output.AsSpan(offset, 32));
    }

    internal sealed class ZeroClock : IClock
    {
        public long MonotonicMs => 0;
        public long UnixTimeMs => 0;

        public void Wait(int ms)
        {
            // Time stands still: a benchmark never waits.
        }
    }

    /// <summary>Serves one file, honouring Range, without allocating.</summary>
    internal sealed class FileHttpClient(byte[] file) : IHttpClient
    {
        private int _position;
        public long ContentLength { get; private set; } = -1;
        public long ContentRangeStart { get; private set; } = -1;

        public int Get(string url, long rangeStart, int timeoutMs)
        {
            _position = (int)rangeStart;
            ContentLength = file.Length - rangeStart;
            ContentRangeStart = rangeStart > 0 ? rangeStart : -1;
            return rangeStart > 0 ? 206 : 200;
        }

        public int PostForm(string url, byte[] body, int offset, int count, int timeoutMs) => (int)HttpStatus.Unreachable;

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            int n = Math.Min(count, file.Length - _position);
            Array.Copy(file, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public void Close()
        {
        }
    }

    /// <summary>Storage areas preallocated to a fixed capacity, so writes allocate nothing.</summary>
    internal sealed class FixedStorage(int capacity) : IStorage
    {
        private readonly Dictionary<string, byte[]> _data = new();
        private readonly Dictionary<string, int> _length = new();

        private byte[] Area(string name)
        {
            if (!_data.TryGetValue(name, out var a))
            {
                a = new byte[capacity];
                _data[name] = a;
                _length[name] = -1;
            }

            return a;
        }

        public int Length(string name) => _length.TryGetValue(name, out var n) ? n : -1;

        public int Read(string name, int position, byte[] buffer, int offset, int count)
        {
            int length = Length(name);
            if (length < 0)
            {
                return (int)StorageStatus.NotFound;
            }

            int n = Math.Max(0, Math.Min(count, length - position));
            Array.Copy(Area(name), position, buffer, offset, n);
            return n;
        }

        public StorageStatus Write(string name, int position, byte[] buffer, int offset, int count)
        {
            Array.Copy(buffer, offset, Area(name), position, count);
            _length[name] = Math.Max(Length(name), position + count);
            return StorageStatus.Ok;
        }

        public StorageStatus Truncate(string name, int length)
        {
            Area(name);
            _length[name] = length;
            return StorageStatus.Ok;
        }

        public StorageStatus Delete(string name)
        {
            if (_length.ContainsKey(name))
            {
                _length[name] = -1;
            }

            return StorageStatus.Ok;
        }
    }
}
