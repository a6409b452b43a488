using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using CotaFirmware.Config;
using CotaFirmware.Crypto;
using CotaFirmware.HostTests;
using CotaFirmware.Platform;
using CotaFirmware.Tests;

namespace CotaFirmware.Benchmarks;

/// <summary>
/// A verified A/B commit of a config (stream in, read back and hash, write the header) against its floor:
/// .NET's SHA-256 over the same bytes once (the read-back), with no storage at all.
/// Storage is in RAM, so the ratio is the store's own cost over the hashing it cannot avoid.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ConfigStoreBenchmarks
{
    private const int Chunk = 4096;

    [Params(65536)]
    public int Size;

    private byte[] _content = Array.Empty<byte>();
    private readonly byte[] _id = { (byte)'c', (byte)'1' };
    private readonly byte[] _digest = new byte[32];
    private ConfigStore _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        _content = new byte[Size];
        new Random(1).NextBytes(_content);
        _store = new ConfigStore(new MemoryStorage { KeepsLog = false }, new DotNetSha256(), new byte[Chunk], Size, 3);
        _store.Boot();
    }

    [Benchmark(Baseline = true, Description = "SHA-256 once (.NET)")]
    public byte Sha256Once()
    {
        SHA256.HashData(_content, _digest);
        return _digest[0];
    }

    [Benchmark(Description = "ConfigStore commit")]
    public ConfigStatus Commit()
    {
        _store.Begin(_id, 0, _id.Length, _content.Length);
        for (int done = 0; done < _content.Length; done += Chunk)
        {
            _store.Append(_content, done, Math.Min(Chunk, _content.Length - done));
        }

        while (_store.Seal(null, 0) == ConfigStatus.InProgress)
        {
        }

        return _store.Commit(false);
    }
}
