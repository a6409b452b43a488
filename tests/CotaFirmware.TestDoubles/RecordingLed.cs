using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Network;

/// <summary>A status LED that remembers its level and counts level changes.</summary>
public sealed class RecordingLed : IStatusLed
{
    /// <summary>Whether the LED is lit.</summary>
    public bool On;

    /// <summary>How many times Set was called.</summary>
    public int Sets;

    /// <summary>How many times Set was called with the level the LED already had.</summary>
    public int RedundantSets;

    /// <inheritdoc/>
    public void Set(bool on)
    {
        if (Sets > 0 && on == On)
        {
            RedundantSets++;
        }

        Sets++;
        On = on;
    }
}
