using CotaFirmware.Cota;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>
/// The application's COTA callback, the seed's <c>user_cota_event_handler</c>: sees every valid config offer
/// (configId, configSize, getType, sign, signMethod, url) and passes it on to the device's own listener.
/// </summary>
/// <remarks>The strings are built only here, once per offer, for the log; the service itself works on byte views.</remarks>
public sealed class CotaCallback : IConfigOfferListener
{
    private readonly IConfigOfferListener _next;
    private readonly ILog _log;
    private readonly bool _traceMemory;

    /// <summary>Creates the callback in front of <paramref name="next"/> (may be null); with <paramref name="traceMemory"/> each offer is a <see cref="MemoryTrace"/> mark.</summary>
    public CotaCallback(IConfigOfferListener next, ILog log, bool traceMemory)
    {
        _next = next;
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

        if (_next != null)
        {
            _next.OnConfigOffered(message);
        }
    }
}
