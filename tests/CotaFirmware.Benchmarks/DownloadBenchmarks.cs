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
    private byte[] _file = Array.Empty<byte>();
    private byte[] _expected = Array.Empty<byte>();
    private ConfigOffer _offer = null!;
    private RangeDownload _download = null!;
    private MemoryStorage _storage = null!;
    private PeerStore _peer = null!;

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
        var url = Encoding.ASCII.GetBytes(PeerStore.OfferUrl);
        _offer.Set(id, 0, id.Length, Size, sign, 0, sign.Length, url, 0, url.Length);
        var settings = new DownloadSettings { BufferSize = 4096 };
        _storage = new MemoryStorage { KeepsLog = false };
        var store = new ConfigStore(_storage, new DotNetSha256(), new byte[4096], 2 * 1024 * 1024, 3);
        store.Boot();
        _download = new RangeDownload(new ScriptedHttpClient(_file), store, _storage, new ManualClock(), settings, 1);
        _peer = new PeerStore(Size);
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
        _peer.Store(_file);
        if (!CryptographicOperations.FixedTimeEquals(_peer.Digest, _expected))
        {
            throw new InvalidOperationException("hash");
        }

        return true;
    }
}
