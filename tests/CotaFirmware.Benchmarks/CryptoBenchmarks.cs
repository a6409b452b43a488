using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CotaFirmware.Crypto;

namespace CotaFirmware.Benchmarks;

/// <summary>
/// SHA-256 and HMAC-SHA256 of the core against .NET's (native, hardware-accelerated where the CPU has SHA
/// extensions) over one message of each size, into a preallocated output. The core is written for the device's
/// interpreter; on the host JIT these figures show its cost relative to the platform and that it allocates nothing.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcess))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CryptoBenchmarks
{
    /// <summary>A short run inside the host process: no generated project to build on a busy 2-core machine.</summary>
    private sealed class ShortInProcess : ManualConfig
    {
        public ShortInProcess() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    }

    private readonly Sha256 _sha256 = new();
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _output = new byte[32];
    private Hmac _hmac = null!;
    private IncrementalHash _dotNetHmac = null!;
    private byte[] _message = null!;

    /// <summary>Message length in bytes.</summary>
    [Params(64, 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _message = new byte[Size];
        random.NextBytes(_message);
        random.NextBytes(_key);
        _hmac = new Hmac(new Sha256(), _key, 0, _key.Length);
        _dotNetHmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
    }

    [GlobalCleanup]
    public void Cleanup() => _dotNetHmac.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("SHA-256")]
    public void DotNetSha256() => SHA256.HashData(_message, _output);

    [Benchmark, BenchmarkCategory("SHA-256")]
    public void CoreSha256()
    {
        _sha256.Update(_message, 0, _message.Length);
        _sha256.Final(_output, 0);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("HMAC-SHA256")]
    public void DotNetHmacSha256() => HMACSHA256.HashData(_key, _message, _output);

    /// <summary>.NET with the key set once, as the core's <see cref="Hmac"/> does.</summary>
    [Benchmark, BenchmarkCategory("HMAC-SHA256")]
    public void DotNetIncrementalHmacSha256()
    {
        _dotNetHmac.AppendData(_message);
        _dotNetHmac.TryGetHashAndReset(_output, out _);
    }

    [Benchmark, BenchmarkCategory("HMAC-SHA256")]
    public void CoreHmacSha256()
    {
        _hmac.Update(_message, 0, _message.Length);
        _hmac.Final(_output, 0);
    }
}
