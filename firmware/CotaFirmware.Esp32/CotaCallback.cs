using CotaFirmware.Cota;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>
/// The application's COTA callback, the seed's <c>user_cota_event_handler</c>: sees every valid config offer
/// (configId, configSize, getType, sign, signMethod, url) and logs it; the device downloads the config itself.
/// </summary>
/// <remarks>The strings are built only here, once per offer, for the log; the service itself works on byte views.</remarks>
public sealed class CotaCallback : IConfigOfferListener
{
    private readonly ILog _log;
    private readonly bool _traceMemory;

    /// <summary>Creates the callback; with <paramref name="traceMemory"/> each offer is a <see cref="MemoryTrace"/> mark.</summary>
    public CotaCallback(ILog log, bool traceMemory)
    {
        _log = log;
        _traceMemory = traceMemory;
    }

    /// <inheritdoc />
    public void OnConfigOffered(ConfigMessage message)
    {
        _log.Write(LogLevel.Info, "cota", "new config " + message.ConfigIdText() + ", " + message.ConfigSize.ToString()
            + " bytes, from " + (message.Kind == ConfigMessageKind.Push ? "push" : "get") + "; heap " + nanoFramework.Runtime.Native.GC.Run(false).ToString() + " B free");
        if (_traceMemory)
        {
            MemoryTrace.Mark();
        }
    }
}
