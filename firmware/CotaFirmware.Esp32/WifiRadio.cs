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
    // SNTP sets the clock from 1970 to now; any year before this means it has not run yet.
    private const int FirstValidYear = 2024;

    private readonly string _ntpServer1;
    private readonly string _ntpServer2;
    private WifiAdapter _adapter;
    private NetworkInterface _interface;
    // Set from network threads and read by the loop: single-word writes, no volatile (the device mscorlib lacks IsVolatile).
    private RadioStatus _link = RadioStatus.Down;
    private bool _addressKnown;
    private bool _hasAddress;

    /// <summary>Creates the radio; the clock is set from <paramref name="ntpServer1"/> (and <paramref name="ntpServer2"/>) once joined.</summary>
    public WifiRadio(string ntpServer1, string ntpServer2)
    {
        _ntpServer1 = ntpServer1;
        _ntpServer2 = ntpServer2;
        NetworkChange.NetworkAvailabilityChanged += OnAvailabilityChanged;
        NetworkChange.NetworkAddressChanged += OnAddressChanged;
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
                _hasAddress = ReadAddress();
                _addressKnown = true;
            }

            return _hasAddress;
        }
    }

    /// <inheritdoc />
    public bool ClockValid => DateTime.UtcNow.Year >= FirstValidYear;

    /// <inheritdoc />
    public RadioStatus Connect(string ssid, string password)
    {
        try
        {
            if (_adapter == null)
            {
                WifiAdapter[] adapters = WifiAdapter.FindAllAdapters();
                if (adapters.Length == 0)
                {
                    _link = RadioStatus.Failed;
                    return _link;
                }

                _adapter = adapters[0];
            }

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
            if (_adapter != null)
            {
                _adapter.Disconnect();
            }
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

    private NetworkInterface Wireless()
    {
        if (_interface == null)
        {
            NetworkInterface[] all = NetworkInterface.GetAllNetworkInterfaces();
            for (int i = 0; i < all.Length; i++)
            {
                if (all[i].NetworkInterfaceType == NetworkInterfaceType.Wireless80211)
                {
                    _interface = all[i];
                    break;
                }
            }
        }

        return _interface;
    }

    private void OnAvailabilityChanged(object sender, NetworkAvailabilityEventArgs e)
    {
        _addressKnown = false;
        if (!e.IsAvailable && _link == RadioStatus.Ok)
        {
            _link = RadioStatus.Down;
        }
        else if (e.IsAvailable && _link == RadioStatus.Down && _adapter != null)
        {
            // WifiReconnectionKind.Automatic rejoined on its own.
            _link = RadioStatus.Ok;
        }
    }

    private void OnAddressChanged(object sender, EventArgs e) => _addressKnown = false;
}
