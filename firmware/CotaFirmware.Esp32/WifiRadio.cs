using System;
using System.Device.Wifi;
using System.Net.NetworkInformation;
using CotaFirmware.Platform;
using nanoFramework.Networking;

namespace CotaFirmware.Esp32;

/// <summary>The ESP32's Wi-Fi station as an <see cref="IRadio"/>: WifiAdapter for the join, NetworkInterface for the lease, SNTP for the clock.</summary>
/// <remarks>
/// <c>WifiAdapter.Connect</c> names why a join failed (WifiNetworkHelper.ConnectDhcp only shows a timeout). The
/// link and address are tracked from NetworkChange events, so polling allocates nothing.
/// </remarks>
public sealed class WifiRadio : IRadio
{
    private readonly string _ntpServer1;
    private readonly string _ntpServer2;
    private readonly WifiAdapter _adapter;
    // Set from network threads and read by the loop: single-word writes, no volatile (the device mscorlib lacks IsVolatile).
    private RadioStatus _link = RadioStatus.Down;
    private bool _addressKnown;
    private bool _hasAddress;

    private WifiRadio(WifiAdapter adapter, string ntpServer1, string ntpServer2)
    {
        _adapter = adapter;
        _ntpServer1 = ntpServer1;
        _ntpServer2 = ntpServer2;
        NetworkChange.NetworkAvailabilityChanged += OnAvailabilityChanged;
        NetworkChange.NetworkAddressChanged += OnAddressChanged;
    }

    /// <summary>
    /// The board's Wi-Fi station, whose clock is set from <paramref name="ntpServer1"/> (and <paramref name="ntpServer2"/>)
    /// once joined; or null, logged, where the runtime has no Wi-Fi adapter (nanoCLR on a PC, a wired board): the
    /// network interface that is up is then used as it is.
    /// </summary>
    public static WifiRadio Open(string ntpServer1, string ntpServer2, ILog log)
    {
        string why;
        try
        {
            WifiAdapter[] adapters = WifiAdapter.FindAllAdapters();
            if (adapters.Length > 0)
            {
                return new WifiRadio(adapters[0], ntpServer1, ntpServer2);
            }

            why = "no adapter";
        }
        catch (Exception e)
        {
            // nanoCLR has no Wi-Fi natives: NotSupportedException.
            why = e.GetType().Name;
        }

        log.Write(LogLevel.Info, "wifi", "no Wi-Fi on this runtime (" + why + "): the network that is up is used as it is");
        return null;
    }

    /// <inheritdoc />
    public RadioStatus Link => _link;

    /// <inheritdoc />
    public bool HasIpAddress
    {
        get
        {
            if (!_addressKnown)
            {
                // Marked known before the read: a NetworkChange event (on the runtime's event thread) that lands
                // during the read clears the mark again, so the next call reads anew instead of keeping a stale answer.
                _addressKnown = true;
                _hasAddress = ReadAddress();
            }

            return _hasAddress;
        }
    }

    /// <inheritdoc />
    public bool ClockValid => DateTime.UtcNow.Year >= TickClock.FirstValidYear;

    /// <inheritdoc />
    public RadioStatus Connect(string ssid, string password)
    {
        try
        {
            _link = RadioStatus.Joining;
            _addressKnown = false;
            WifiConnectionResult result = _adapter.Connect(ssid, WifiReconnectionKind.Automatic, password);
            _link = Map(result.ConnectionStatus);
            if (_link == RadioStatus.Ok)
            {
                EnsureDhcpAndSntp();
            }
        }
        catch (Exception)
        {
            _link = RadioStatus.Failed;
        }

        return _link;
    }

    /// <inheritdoc />
    public void Disconnect()
    {
        try
        {
            _adapter.Disconnect();
        }
        catch (Exception)
        {
            // Leaving a network that is already gone is not a failure.
        }

        _link = RadioStatus.Down;
        _addressKnown = false;
    }

    /// <summary>Maps nanoFramework's join result one to one onto <see cref="RadioStatus"/>.</summary>
    public static RadioStatus Map(WifiConnectionStatus status)
    {
        switch (status)
        {
            case WifiConnectionStatus.Success: return RadioStatus.Ok;
            case WifiConnectionStatus.InvalidCredential: return RadioStatus.WrongPassword;
            case WifiConnectionStatus.NetworkNotAvailable: return RadioStatus.NetworkNotFound;
            case WifiConnectionStatus.AccessRevoked: return RadioStatus.Rejected;
            case WifiConnectionStatus.Timeout: return RadioStatus.Timeout;
            case WifiConnectionStatus.UnsupportedAuthenticationProtocol: return RadioStatus.UnsupportedSecurity;
            default: return RadioStatus.Failed;
        }
    }

    private void EnsureDhcpAndSntp()
    {
        NetworkInterface ni = Wireless();
        if (ni != null && !ni.IsDhcpEnabled)
        {
            ni.EnableDhcp();
        }

        if (!Sntp.IsStarted)
        {
            Sntp.Server1 = _ntpServer1;
            Sntp.Server2 = _ntpServer2;
            Sntp.Start();
        }
    }

    private bool ReadAddress()
    {
        try
        {
            NetworkInterface ni = Wireless();
            string ip = ni == null ? null : ni.IPv4Address;
            return ip != null && ip.Length > 0 && ip != "0.0.0.0";
        }
        catch (Exception)
        {
            return false;
        }
    }

    // Fetched anew on every call: a NetworkInterface's IPv4Address is a copy taken when the object is made, and the
    // join returns before DHCP has given an address, so a kept object would report 0.0.0.0 for ever. Called only
    // after a join or a NetworkChange event, so the allocation is rare.
    private static NetworkInterface Wireless()
    {
        NetworkInterface[] all = NetworkInterface.GetAllNetworkInterfaces();
        for (int i = 0; i < all.Length; i++)
        {
            if (all[i].NetworkInterfaceType == NetworkInterfaceType.Wireless80211)
            {
                return all[i];
            }
        }

        return null;
    }

    private void OnAvailabilityChanged(object sender, NetworkAvailabilityEventArgs e)
    {
        _addressKnown = false;
        if (!e.IsAvailable && _link == RadioStatus.Ok)
        {
            _link = RadioStatus.Down;
        }
        else if (e.IsAvailable && _link == RadioStatus.Down)
        {
            // WifiReconnectionKind.Automatic rejoined on its own.
            _link = RadioStatus.Ok;
        }
    }

    private void OnAddressChanged(object sender, EventArgs e) => _addressKnown = false;
}
