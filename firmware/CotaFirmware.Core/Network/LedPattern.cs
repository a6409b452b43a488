namespace CotaFirmware.Network;

/// <summary>What the status LED shows.</summary>
public enum LedPattern
{
    /// <summary>Dark: idle.</summary>
    Off,

    /// <summary>Fast even blink: bringing the network up.</summary>
    Connecting,

    /// <summary>Online: steady on, or the look <see cref="StatusLed.ShowOnlineAs"/> set.</summary>
    Online,

    /// <summary>Double flash, then a pause: the last attempt failed, waiting to retry.</summary>
    Error,

    /// <summary>One short flash a second (a look for <see cref="Online"/>).</summary>
    Heartbeat,

    /// <summary>Slow even blink (a look for <see cref="Online"/>).</summary>
    Blink,
}
