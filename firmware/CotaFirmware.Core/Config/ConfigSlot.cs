namespace CotaFirmware.Config;

/// <summary>Names of the two config slots and the storage areas that hold them and the trial state.</summary>
public static class ConfigSlot
{
    /// <summary>No slot: no config is active, or there is no last good config to fall back to.</summary>
    public const int None = -1;

    /// <summary>Slot A.</summary>
    public const int A = 0;

    /// <summary>Slot B.</summary>
    public const int B = 1;

    /// <summary>The storage area of slot A.</summary>
    public const string AreaA = "cfg-a";

    /// <summary>The storage area of slot B.</summary>
    public const string AreaB = "cfg-b";

    /// <summary>The first copy of the trial state.</summary>
    public const string StateArea0 = "cfg-s0";

    /// <summary>The second copy of the trial state.</summary>
    public const string StateArea1 = "cfg-s1";

    /// <summary>The storage area of <paramref name="slot"/> (<see cref="A"/> or <see cref="B"/>).</summary>
    public static string AreaOf(int slot)
    {
        return slot == B ? AreaB : AreaA;
    }
}
