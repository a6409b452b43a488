using NativeGC = nanoFramework.Runtime.Native.GC;

namespace CotaFirmware.Esp32;

/// <summary>
/// The memory figures a board with <c>"traceMemory": true</c> prints: the runtime's GC lines, and a mark at every
/// download chunk and offer, at which nanoCLR (NANOCLR_ALLOC_STATS=1) prints its allocation counters.
/// </summary>
public static class MemoryTrace
{
    /// <summary>Turns the runtime's GC lines on.</summary>
    public static void Start() => NativeGC.EnableGCMessages(true);

    /// <summary>A mark: nanoCLR prints its counters (those between two marks are what happened in between).</summary>
    public static void Mark() => NativeGC.EnableGCMessages(true);

    /// <summary>A download chunk arrived: one mark.</summary>
    public static void OnChunk(long received, long total) => Mark();
}
