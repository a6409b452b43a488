namespace CotaFirmware.Platform;

/// <summary>Result and link codes of <see cref="IRadio"/>: zero is a working link, positive is in progress, negative is a failure.</summary>
/// <remarks>The failures follow nanoFramework's <c>WifiConnectionStatus</c>, so a board maps them one to one.</remarks>
public static class RadioStatus
{
    /// <summary>Associated with the access point.</summary>
    public const int Ok = 0;

    /// <summary>A join attempt is in progress.</summary>
    public const int Joining = 1;

    /// <summary>No link: it was lost, left, or never started.</summary>
    public const int Down = -1;

    /// <summary>The access point refused the password (<c>InvalidCredential</c>).</summary>
    public const int WrongPassword = -2;

    /// <summary>No access point with that SSID answered (<c>NetworkNotAvailable</c>).</summary>
    public const int NetworkNotFound = -3;

    /// <summary>The access point refused this station (<c>AccessRevoked</c>).</summary>
    public const int Rejected = -4;

    /// <summary>The join did not finish in the radio's own time (<c>Timeout</c>).</summary>
    public const int Timeout = -5;

    /// <summary>The network uses a security mode the radio does not support (<c>UnsupportedAuthenticationProtocol</c>).</summary>
    public const int UnsupportedSecurity = -6;

    /// <summary>Any other radio failure (<c>UnspecifiedFailure</c>, no adapter, a driver exception).</summary>
    public const int Failed = -7;

    /// <summary>Names a code for log lines.</summary>
    public static string Name(int status)
    {
        switch (status)
        {
            case Ok: return "ok";
            case Joining: return "joining";
            case Down: return "down";
            case WrongPassword: return "wrong password";
            case NetworkNotFound: return "network not found";
            case Rejected: return "rejected";
            case Timeout: return "timeout";
            case UnsupportedSecurity: return "unsupported security";
            case Failed: return "failed";
            default: return "unknown";
        }
    }
}
