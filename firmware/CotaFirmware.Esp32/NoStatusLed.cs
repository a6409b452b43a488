using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>The status LED of a board that has none (<c>statusLedPin</c> -1).</summary>
public sealed class NoStatusLed : IStatusLed
{
    /// <inheritdoc />
    public void Set(bool on)
    {
    }
}
