using System;
using CotaFirmware.Json;
using CotaFirmware.Text;

namespace CotaFirmware.Config.Modules;

/// <summary>The Wi-Fi network to join: section <c>"wifi": {"ssid": "..", "password": ".."}</c>, taken at the next boot.</summary>
/// <remarks>Both keys are required. The password is never logged nor reported (errors name only the key).</remarks>
public sealed class WifiCredentialsModule : SectionModule
{
    /// <summary>The longest SSID, in bytes (IEEE 802.11).</summary>
    public const int MaxSsidLength = 32;

    /// <summary>The shortest WPA2 passphrase, in bytes.</summary>
    public const int MinPasswordLength = 8;

    /// <summary>The longest WPA2 passphrase, in bytes.</summary>
    public const int MaxPasswordLength = 63;

    private const int SsidKey = 0;

    private readonly byte[] _ssid = new byte[MaxSsidLength];
    private readonly byte[] _password = new byte[MaxPasswordLength];
    private readonly byte[] _check = new byte[MaxPasswordLength];
    private readonly byte[] _defaultSsid;
    private readonly byte[] _defaultPassword;
    private int _ssidLength;
    private int _passwordLength;

    /// <summary>Creates the module with the board's provisioned network, used when the config has no <c>wifi</c> section.</summary>
    public WifiCredentialsModule(string defaultSsid, string defaultPassword)
        : base("wifi", ConfigApplyPolicy.RebootDevice, true, new string[] { "ssid", "password" })
    {
        _defaultSsid = defaultSsid == null ? null : Utf8.GetBytes(defaultSsid);
        _defaultPassword = defaultPassword == null ? null : Utf8.GetBytes(defaultPassword);
        if (_defaultSsid == null || _defaultPassword == null || _defaultSsid.Length > MaxSsidLength || _defaultPassword.Length > MaxPasswordLength)
        {
            throw new ArgumentException();
        }

        ApplyDefaults();
    }

    /// <summary>The SSID in force (a new string: build it once per boot for the radio).</summary>
    public string Ssid => Utf8.GetString(_ssid, 0, _ssidLength);

    /// <summary>The password in force (a new string for the radio; never log it).</summary>
    public string Password => Utf8.GetString(_password, 0, _passwordLength);

    /// <inheritdoc/>
    public override void ApplyDefaults()
    {
        _ssidLength = _defaultSsid.Length;
        _passwordLength = _defaultPassword.Length;
        Array.Copy(_defaultSsid, _ssid, _ssidLength);
        Array.Copy(_defaultPassword, _password, _passwordLength);
    }

    /// <inheritdoc/>
    protected override bool Accepts(int key, JsonReader section, out ConfigErrorCode error)
    {
        error = ConfigErrorCode.ValueFormatNotValid;
        if (section.TokenKind != JsonTokenKind.String)
        {
            return false;
        }

        int length = section.StringLength;
        error = ConfigErrorCode.StringTooLong;
        if (length > (key == SsidKey ? MaxSsidLength : MaxPasswordLength))
        {
            return false;
        }

        error = ConfigErrorCode.ValueOutOfRange;
        if (length < (key == SsidKey ? 1 : MinPasswordLength))
        {
            return false;
        }

        error = ConfigErrorCode.ValueFormatNotValid;
        return !HoldsNul(_check, 0, section.CopyString(_check, 0, MaxPasswordLength));
    }

    /// <summary>True when <paramref name="count"/> bytes of <paramref name="value"/> at <paramref name="offset"/> hold a NUL (JSON's <c>\u0000</c>): the radio takes the SSID and passphrase as C strings and would cut them there.</summary>
    public static bool HoldsNul(byte[] value, int offset, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (value[offset + i] == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    protected override void Take(int key, JsonReader section)
    {
        int n = section.CopyString(key == SsidKey ? _ssid : _password, 0, key == SsidKey ? MaxSsidLength : MaxPasswordLength);
        if (key == SsidKey)
        {
            _ssidLength = n < 0 ? 0 : n;
        }
        else
        {
            _passwordLength = n < 0 ? 0 : n;
        }
    }
}
