namespace CotaFirmware.Network;

/// <summary>Where Wi-Fi bring-up stands.</summary>
public enum NetworkState
{
    /// <summary>Not started, or stopped: the radio is left alone.</summary>
    Idle,

    /// <summary>Joining the access point.</summary>
    Joining,

    /// <summary>Associated; waiting for the DHCP lease.</summary>
    WaitingForAddress,

    /// <summary>Holding an address; waiting for SNTP to set the wall clock.</summary>
    WaitingForClock,

    /// <summary>Link, address and clock are there: the layers above may connect.</summary>
    Online,

    /// <summary>The last attempt failed or the link was lost; waiting before the next attempt.</summary>
    BackingOff,
}
