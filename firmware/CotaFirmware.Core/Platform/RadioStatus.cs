namespace CotaFirmware.Platform;

/// <summary>Result and link codes of <see cref="IRadio"/>: zero is a working link, positive is in progress, negative is a failure.</summary>
/// <remarks>The failures follow nanoFramework's <c>WifiConnectionStatus</c>, so a board maps them one to one.</remarks>
public enum RadioStatus
{
    /// <summary>Associated with the access point.</summary>
    Ok = 0,

    /// <summary>A join attempt is in progress.</summary>
    Joining = 1,

    /// <summary>No link: it was lost, left, or never started.</summary>
    Down = -1,

    /// <summary>The access point refused the password (<c>InvalidCredential</c>).</summary>
    WrongPassword = -2,

    /// <summary>No access point with that SSID answered (<c>NetworkNotAvailable</c>).</summary>
    NetworkNotFound = -3,

    /// <summary>The access point refused this station (<c>AccessRevoked</c>).</summary>
    Rejected = -4,

    /// <summary>The join did not finish in the radio's own time (<c>Timeout</c>).</summary>
    Timeout = -5,

    /// <summary>The network uses a security mode the radio does not support (<c>UnsupportedAuthenticationProtocol</c>).</summary>
    UnsupportedSecurity = -6,

    /// <summary>Any other radio failure (<c>UnspecifiedFailure</c>, no adapter, a driver exception).</summary>
    Failed = -7,
}
