namespace CotaFirmware.Platform;

/// <summary>
/// The Wi-Fi station a board must provide: join one network, and say whether the link, an IP address and a
/// valid wall clock are there.
/// </summary>
/// <remarks>
/// Shaped after what nanoFramework can tell: <c>WifiAdapter.Connect</c> returns a <c>WifiConnectionStatus</c>
/// (mapped to <see cref="RadioStatus"/>), <c>NetworkInterface.IPv4Address</c> shows the DHCP lease, and the clock
/// is valid once SNTP has set it. No member throws and none blocks longer than the radio's own join time;
/// all waiting and retrying belongs to the caller.
/// </remarks>
public interface IRadio
{
    /// <summary>Starts joining <paramref name="ssid"/> with <paramref name="password"/> (DHCP), dropping any previous link.</summary>
    /// <returns>
    /// <see cref="RadioStatus.Ok"/> when the link is up, <see cref="RadioStatus.Joining"/> when the attempt goes on
    /// in the background, or a negative <see cref="RadioStatus"/> code naming why it failed.
    /// </returns>
    public RadioStatus Connect(string ssid, string password);

    /// <summary>
    /// The link now: <see cref="RadioStatus.Ok"/> while associated, <see cref="RadioStatus.Joining"/> while an attempt
    /// goes on, <see cref="RadioStatus.Down"/> when there is no link (lost, or never started), or the negative code
    /// of the attempt that failed.
    /// </summary>
    public RadioStatus Link { get; }

    /// <summary>True while the station holds an IP address (the DHCP lease arrived and was not lost).</summary>
    public bool HasIpAddress { get; }

    /// <summary>True once the wall clock has been set (by SNTP or a real-time clock); TLS needs it.</summary>
    public bool ClockValid { get; }

    /// <summary>Leaves the network. Safe to call when there is no link.</summary>
    public void Disconnect();
}
