namespace CotaFirmware.Network;

/// <summary>Which network to join, and the time limits and retry bounds of bring-up.</summary>
public sealed class WifiSettings
{
    private readonly string _ssid;
    private readonly string _password;

    /// <summary>Creates settings for <paramref name="ssid"/> with the default time limits.</summary>
    public WifiSettings(string ssid, string password)
    {
        _ssid = ssid;
        _password = password;
    }

    /// <summary>The network's name.</summary>
    public string Ssid => _ssid;

    /// <summary>The network's password (never logged).</summary>
    public string Password => _password;

    /// <summary>How long a join may take before it counts as failed.</summary>
    public int JoinTimeoutMs = 15000;

    /// <summary>How long to wait for the DHCP lease after joining.</summary>
    public int AddressTimeoutMs = 20000;

    /// <summary>How long to wait for SNTP to set the clock once an address is there.</summary>
    public int ClockTimeoutMs = 30000;

    /// <summary>Whether the network counts as ready only with a valid clock (TLS needs one).</summary>
    public bool RequireClock = true;

    /// <summary>The wait after the first failure; it doubles with each further failure.</summary>
    public int BackoffMinMs = 1000;

    /// <summary>The longest wait between attempts.</summary>
    public int BackoffMaxMs = 60000;
}
