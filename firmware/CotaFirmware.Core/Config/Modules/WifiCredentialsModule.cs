using System;
using CotaFirmware.Json;
using CotaFirmware.Text;

namespace CotaFirmware.Config.Modules;

/// <summary>The Wi-Fi network to join: section <c>"wifi": {"ssid": "..", "password": ".."}</c>, taken at the next boot.</summary>
/// <remarks>Both keys are required. The password is never logged nor reported (errors name only the key).</remarks>
public sealed class WifiCredentialsModule : IConfigModule
{
    /// <summary>The longest SSID, in bytes (IEEE 802.11).</summary>
    public const int MaxSsidLength = 32;

    /// <summary>The shortest WPA2 passphrase, in bytes.</summary>
    public const int MinPasswordLength = 8;

    /// <summary>The longest WPA2 passphrase, in bytes.</summary>
    public const int MaxPasswordLength = 63;

    private static readonly byte[] SectionName = Utf8.GetBytes("wifi");
    private const int SsidKey = 0;
    private const int PasswordKey = 1;

    private static readonly byte[][] Keys = new byte[][] { Utf8.GetBytes("ssid"), Utf8.GetBytes("password") };

    private readonly byte[] _ssid = new byte[MaxSsidLength];
    private readonly byte[] _password = new byte[MaxPasswordLength];
    private readonly byte[] _defaultSsid = new byte[MaxSsidLength];
    private readonly byte[] _defaultPassword = new byte[MaxPasswordLength];
    private readonly int _defaultSsidLength;
    private readonly int _defaultPasswordLength;
    private int _ssidLength;
    private int _passwordLength;

    /// <summary>Creates the module with the board's provisioned network, used when the config has no <c>wifi</c> section.</summary>
    public WifiCredentialsModule(string defaultSsid, string defaultPassword)
    {
        byte[] ssid = defaultSsid == null ? null : Utf8.GetBytes(defaultSsid);
        byte[] password = defaultPassword == null ? null : Utf8.GetBytes(defaultPassword);
        if (ssid == null || password == null || ssid.Length > MaxSsidLength || password.Length > MaxPasswordLength)
        {
            throw new ArgumentException();
        }

        _defaultSsidLength = Copy(ssid, _defaultSsid);
        _defaultPasswordLength = Copy(password, _defaultPassword);
        ApplyDefaults();
    }

    /// <summary>The SSID in force (a new string: build it once per boot for the radio).</summary>
    public string Ssid
    {
        get { return Utf8.GetString(_ssid, 0, _ssidLength); }
    }

    /// <summary>The password in force (a new string for the radio; never log it).</summary>
    public string Password
    {
        get { return Utf8.GetString(_password, 0, _passwordLength); }
    }

    /// <inheritdoc/>
    public byte[] Name
    {
        get { return SectionName; }
    }

    /// <inheritdoc/>
    public ConfigApplyPolicy Policy
    {
        get { return ConfigApplyPolicy.RebootDevice; }
    }

    /// <inheritdoc/>
    public void Validate(JsonReader section, ConfigErrors errors)
    {
        if (!ModuleSection.IsObject(section, errors))
        {
            return;
        }

        int seen = 0;
        int strings = 0;
        int key;
        while ((key = ModuleSection.NextKey(section, Keys, errors, ref seen)) >= 0)
        {
            if (section.TokenKind != JsonTokenKind.String)
            {
                errors.AddError(ConfigErrorCode.ValueFormatNotValid, Keys[key]);
                section.Skip();
                continue;
            }

            strings |= 1 << key;
            int length = section.StringLength;
            if (length > (key == SsidKey ? MaxSsidLength : MaxPasswordLength))
            {
                errors.AddError(ConfigErrorCode.StringTooLong, Keys[key]);
            }
            else if (length < (key == SsidKey ? 1 : MinPasswordLength))
            {
                errors.AddError(ConfigErrorCode.ValueOutOfRange, Keys[key]);
            }
        }

        // Both are required, as strings.
        for (key = SsidKey; key <= PasswordKey; key++)
        {
            if ((strings & (1 << key)) == 0)
            {
                errors.AddError(ConfigErrorCode.ValueFormatNotValid, Keys[key]);
            }
        }
    }

    /// <inheritdoc/>
    public void Apply(JsonReader section)
    {
        ApplyDefaults();
        int seen = 0;
        int key;
        while ((key = ModuleSection.NextKey(section, Keys, null, ref seen)) >= 0)
        {
            if (key == SsidKey)
            {
                int n = section.CopyString(_ssid, 0, MaxSsidLength);
                _ssidLength = n < 0 ? 0 : n;
            }
            else
            {
                int n = section.CopyString(_password, 0, MaxPasswordLength);
                _passwordLength = n < 0 ? 0 : n;
            }
        }
    }

    /// <inheritdoc/>
    public void ApplyDefaults()
    {
        Array.Copy(_defaultSsid, _ssid, MaxSsidLength);
        Array.Copy(_defaultPassword, _password, MaxPasswordLength);
        _ssidLength = _defaultSsidLength;
        _passwordLength = _defaultPasswordLength;
    }

    /// <inheritdoc/>
    public void Stop()
    {
    }

    /// <inheritdoc/>
    public void Start()
    {
    }

    private static int Copy(byte[] source, byte[] target)
    {
        Array.Copy(source, target, source.Length);
        return source.Length;
    }
}
