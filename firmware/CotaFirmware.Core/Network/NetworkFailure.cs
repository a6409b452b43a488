namespace CotaFirmware.Network;

/// <summary>Why the last bring-up attempt failed, or why the network was lost.</summary>
public enum NetworkFailure
{
    /// <summary>Nothing has failed yet.</summary>
    None,

    /// <summary>The access point refused the password.</summary>
    WrongPassword,

    /// <summary>No access point with the SSID answered.</summary>
    NetworkNotFound,

    /// <summary>The access point refused this station.</summary>
    Rejected,

    /// <summary>The network uses a security mode the radio does not support.</summary>
    UnsupportedSecurity,

    /// <summary>The join did not finish in time.</summary>
    JoinTimeout,

    /// <summary>Associated, but no DHCP lease arrived in time.</summary>
    NoAddress,

    /// <summary>Holding an address, but SNTP did not set the clock in time.</summary>
    NoClock,

    /// <summary>The link or the address went away.</summary>
    LinkLost,

    /// <summary>Any other radio failure.</summary>
    RadioFailed,
}
