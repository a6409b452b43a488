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
    private static readonly byte[] SsidKey = Utf8.GetBytes("ssid");
    private static readonly byte[] PasswordKey = Utf8.GetBytes("password");

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
        if (section.TokenKind != JsonTokenKind.BeginObject)
        {
            errors.AddError(ConfigErrorCode.ValueFormatNotValid);
            return;
        }

        bool ssid = false;
        bool password = false;
        bool ssidSeen = false;
        bool passwordSeen = false;
        while (section.Read() && section.TokenKind == JsonTokenKind.PropertyName)
        {
            bool isSsid = section.ValueEquals(SsidKey);
            bool isPassword = !isSsid && section.ValueEquals(PasswordKey);
            if (!isSsid && !isPassword)
            {
                errors.AddError(ConfigErrorCode.KeyNotRecognized, section);
                section.Skip();
                continue;
            }

            byte[] key = isSsid ? SsidKey : PasswordKey;
            if (isSsid ? ssidSeen : passwordSeen)
            {
                errors.AddError(ConfigErrorCode.DuplicateKey, key);
                section.Skip();
                continue;
            }

            ssidSeen |= isSsid;
            passwordSeen |= isPassword;
            section.Read();
            if (section.TokenKind != JsonTokenKind.String)
            {
                errors.AddError(ConfigErrorCode.ValueFormatNotValid, key);
                section.Skip();
                continue;
            }

            int length = section.StringLength;
            if (isSsid)
            {
                ssid = true;
                if (length > MaxSsidLength)
                {
                    errors.AddError(ConfigErrorCode.StringTooLong, key);
                }
                else if (length == 0)
                {
                    errors.AddError(ConfigErrorCode.ValueOutOfRange, key);
                }
            }
            else
            {
                password = true;
                if (length > MaxPasswordLength)
                {
                    errors.AddError(ConfigErrorCode.StringTooLong, key);
                }
                else if (length < MinPasswordLength)
                {
                    errors.AddError(ConfigErrorCode.ValueOutOfRange, key);
                }
            }
        }

        if (!ssid)
        {
            errors.AddError(ConfigErrorCode.ValueFormatNotValid, SsidKey);
        }

        if (!password)
        {
            errors.AddError(ConfigErrorCode.ValueFormatNotValid, PasswordKey);
        }
    }

    /// <inheritdoc/>
    public void Apply(JsonReader section)
    {
        ApplyDefaults();
        while (section.Read() && section.TokenKind == JsonTokenKind.PropertyName)
        {
            if (section.ValueEquals(SsidKey) && section.Read())
            {
                int n = section.CopyString(_ssid, 0, MaxSsidLength);
                _ssidLength = n < 0 ? 0 : n;
            }
            else if (section.ValueEquals(PasswordKey) && section.Read())
            {
                int n = section.CopyString(_password, 0, MaxPasswordLength);
                _passwordLength = n < 0 ? 0 : n;
            }
            else
            {
                section.Skip();
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
