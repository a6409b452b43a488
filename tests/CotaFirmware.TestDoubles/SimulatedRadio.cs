using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Network;

/// <summary>A Wi-Fi station whose access point, DHCP server and SNTP server the test scripts.</summary>
public sealed class SimulatedRadio : IRadio
{
    /// <summary>What <see cref="Connect"/> leads to: <see cref="RadioStatus.Ok"/>, <see cref="RadioStatus.Joining"/> (stays joining), or a failure.</summary>
    public RadioStatus JoinOutcome = RadioStatus.Ok;

    /// <summary>Whether Connect returns the outcome at once (a blocking radio) or only reports it through <see cref="Link"/>.</summary>
    public bool ReportsThroughLink;

    /// <summary>Whether the DHCP server answers after a successful join.</summary>
    public bool DhcpAnswers = true;

    /// <summary>Whether the SNTP server answers once an address is there.</summary>
    public bool SntpAnswers = true;

    /// <summary>When set, the one network in range: Connect to another SSID finds no network.</summary>
    public string AccessPointSsid;

    /// <summary>When set, the one password the access point lets in: any other is refused as wrong.</summary>
    public string AccessPointPassword;

    /// <summary>How many times Connect was called.</summary>
    public int Connects;

    /// <summary>How many joins ended in a failure (neither joined nor still joining).</summary>
    public int Refusals;

    /// <summary>How many times Disconnect was called.</summary>
    public int Disconnects;

    /// <summary>The SSID and password of the last Connect.</summary>
    public string LastSsid;

    /// <summary>The password of the last Connect.</summary>
    public string LastPassword;

    private RadioStatus _link = RadioStatus.Down;
    private bool _address;
    private bool _clock;

    /// <inheritdoc/>
    public RadioStatus Link => _link;

    /// <inheritdoc/>
    public bool HasIpAddress => _address;

    /// <inheritdoc/>
    public bool ClockValid => _clock;

    /// <inheritdoc/>
    public RadioStatus Connect(string ssid, string password)
    {
        Connects++;
        LastSsid = ssid;
        LastPassword = password;
        _link = JoinOutcome;
        if (AccessPointSsid != null && ssid != AccessPointSsid)
        {
            _link = RadioStatus.NetworkNotFound;
        }
        else if (AccessPointPassword != null && password != AccessPointPassword)
        {
            _link = RadioStatus.WrongPassword;
        }

        if (_link != RadioStatus.Ok && _link != RadioStatus.Joining)
        {
            Refusals++;
        }

        _address = _link == RadioStatus.Ok && DhcpAnswers;
        if (_address && SntpAnswers)
        {
            _clock = true;
        }

        return ReportsThroughLink ? RadioStatus.Joining : _link;
    }

    /// <inheritdoc/>
    public void Disconnect()
    {
        Disconnects++;
        _link = RadioStatus.Down;
        _address = false;
    }

    /// <summary>The access point disappears: link and address go away (the clock stays set).</summary>
    public void DropLink()
    {
        _link = RadioStatus.Down;
        _address = false;
    }

    /// <summary>The DHCP lease is lost while the link stays.</summary>
    public void DropAddress() => _address = false;

    /// <summary>A late DHCP answer arrives (and SNTP follows when it answers).</summary>
    public void GiveAddress()
    {
        _address = true;
        if (SntpAnswers)
        {
            _clock = true;
        }
    }

    /// <summary>A late SNTP answer arrives.</summary>
    public void GiveClock() => _clock = true;

    /// <summary>The background join finishes with <paramref name="status"/>.</summary>
    public void FinishJoin(RadioStatus status)
    {
        _link = status;
        _address = status == RadioStatus.Ok && DhcpAnswers;
        if (_address && SntpAnswers)
        {
            _clock = true;
        }
    }
}
