namespace CotaFirmware.DeviceBenchmarks
{
    /// <summary>One operation of a benchmark.</summary>
    /// <returns>A figure of the work done (tokens, bytes, messages), the same on every call; 0 or less when it went wrong.</returns>
    internal delegate int Workload();
}
