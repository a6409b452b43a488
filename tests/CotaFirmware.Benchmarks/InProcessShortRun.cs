using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CotaFirmware.Benchmarks;

/// <summary>A short job run in-process: no generated project to build, which times out on a busy 2-core machine.</summary>
public sealed class InProcessShortRun : ManualConfig
{
    public InProcessShortRun() => AddJob(Job.ShortRun.WithWarmupCount(5).WithIterationCount(8).WithToolchain(InProcessEmitToolchain.Instance));
}
