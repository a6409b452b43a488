using CotaFirmware.Platform;
using nanoFramework.Runtime.Native;

namespace CotaFirmware.Esp32;

/// <summary>Restarts the ESP32 (<c>Power.RebootDevice</c>), as an <see cref="IReboot"/>.</summary>
public sealed class PowerReboot : IReboot
{
    /// <inheritdoc />
    public void Reboot() => Power.RebootDevice();
}
