namespace CotaFirmware.Network;

/// <summary>What the status LED shows.</summary>
public enum LedPattern
{
    /// <summary>Dark: idle.</summary>
    Off,

    /// <summary>Fast even blink: bringing the network up.</summary>
    Connecting,

    /// <summary>Steady on: online.</summary>
    Online,

    /// <summary>Double flash, then a pause: the last attempt failed, waiting to retry.</summary>
    Error,
}
