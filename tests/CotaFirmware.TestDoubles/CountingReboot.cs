using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Config;

/// <summary>A reboot that only counts: the test boots the firmware again itself.</summary>
public sealed class CountingReboot : IReboot
{
    /// <summary>How many reboots were asked for.</summary>
    public int Count;

    /// <inheritdoc/>
    public void Reboot()
    {
        Count++;
    }
}
