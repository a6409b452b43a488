using CotaFirmware.Json;
using CotaFirmware.Text;

namespace CotaFirmware.App;

/// <summary>
/// What is provisioned onto one device and never kept in the repository (its <c>device.json</c>): the LinkKit
/// device triple, the endpoint choice, the dynamic-registration switch and the Wi-Fi credentials.
/// </summary>
/// <remarks>
/// <see cref="Load"/> is strict like <see cref="BoardSettings.Load"/>: an unknown or repeated key, a wrong type or
/// a value too long refuses the whole document, names the key (never a value) in <see cref="ErrorKey"/> and clears
/// every field. Strings are decoded from UTF-8 (an SSID may hold any characters). The values are checked for
/// length only; <c>DeviceIdentity.Validate</c> and <c>LinkkitSettings.Validate</c> check their form.
/// </remarks>
public sealed class DeviceProfile
{
    /// <summary>The longest SSID in bytes (IEEE 802.11).</summary>
    public const int MaxSsidBytes = 32;

    /// <summary>The longest WPA2 passphrase in bytes.</summary>
    public const int MaxPasswordBytes = 64;

    /// <summary>The longest ProductKey, DeviceName or secret in bytes.</summary>
    public const int MaxIdentityBytes = 64;

    /// <summary>The longest region id or custom domain in bytes.</summary>
    public const int MaxDomainBytes = 128;

    private const int KPk = 0, KDn = 1, KDs = 2, KPs = 3, KRegion = 4, KMqtt = 5, KHttp = 6, KDyn = 7, KSsid = 8, KPass = 9, KPort = 10;

    private static readonly string[] KeyNames =
    {
        "productKey", "deviceName", "deviceSecret", "productSecret", "region", "mqttDomain", "httpDomain",
        "dynamicRegistration", "wifiSsid", "wifiPassword", "mqttPort",
    };

    private static readonly int[] MaxBytes =
    {
        MaxIdentityBytes, MaxIdentityBytes, MaxIdentityBytes, MaxIdentityBytes, MaxDomainBytes, MaxDomainBytes,
        MaxDomainBytes, 0, MaxSsidBytes, MaxPasswordBytes, 0,
    };

    private static readonly byte[][] Keys = Ascii(KeyNames);

    private string _productKey;
    private string _deviceName;
    private string _deviceSecret;
    private string _productSecret;
    private string _region;
    private string _mqttDomain;
    private string _httpDomain;
    private bool _dynamicRegistration;
    private int _mqttPort;
    private string _wifiSsid;
    private string _wifiPassword;
    private SettingsError _error;
    private string _errorKey;
    private int _errorOffset = -1;

    /// <summary>The product's key (the first part of the device triple).</summary>
    public string ProductKey => _productKey;

    /// <summary>The device's name within the product.</summary>
    public string DeviceName => _deviceName;

    /// <summary>The device's secret, or null when dynamic registration obtains it.</summary>
    public string DeviceSecret => _deviceSecret;

    /// <summary>The product's secret, needed only for dynamic registration.</summary>
    public string ProductSecret => _productSecret;

    /// <summary>The region id (for example <c>cn-shanghai</c>), or null for the default or a custom domain.</summary>
    public string Region => _region;

    /// <summary>A custom MQTT domain that replaces the region's, or null.</summary>
    public string MqttDomain => _mqttDomain;

    /// <summary>A custom HTTP domain (dynamic registration) that replaces the region's, or null.</summary>
    public string HttpDomain => _httpDomain;

    /// <summary>The MQTT port of <see cref="MqttDomain"/> (a broker of one's own), or 0 for LinkKit's default.</summary>
    public int MqttPort => _mqttPort;

    /// <summary>Whether the device obtains its secret by dynamic registration (IOTX_IOCTL_SET_DYNAMIC_REGISTER).</summary>
    public bool DynamicRegistration => _dynamicRegistration;

    /// <summary>The Wi-Fi network's name.</summary>
    public string WifiSsid => _wifiSsid;

    /// <summary>The Wi-Fi password (never logged).</summary>
    public string WifiPassword => _wifiPassword;

    /// <summary>Why the last <see cref="Load"/> failed, or <see cref="SettingsError.None"/>.</summary>
    public SettingsError Error => _error;

    /// <summary>The key the last error concerns, or null.</summary>
    public string ErrorKey => _errorKey;

    /// <summary>The byte offset where the last error was found, or -1.</summary>
    public int ErrorOffset => _errorOffset;

    /// <summary>
    /// Reads a device.json held in <paramref name="buffer"/>[<paramref name="offset"/>..+<paramref name="count"/>]
    /// over <paramref name="reader"/> (in place). Keys it lacks stay null (false for the switch).
    /// </summary>
    /// <returns><see cref="SettingsError.None"/>; or the error, with every field cleared.</returns>
    public SettingsError Load(byte[] buffer, int offset, int count, JsonReader reader)
    {
        Clear();
        reader.Begin(buffer, offset, count);
        byte[] scratch = new byte[MaxDomainBytes];
        SettingsError error = Apply(reader, scratch);
        if (error == SettingsError.None && (reader.Read() || reader.Error != JsonError.None))
        {
            error = SettingsError.Malformed;
        }

        if (error == SettingsError.Malformed)
        {
            _errorKey = null;
            _errorOffset = reader.ErrorOffset;
        }

        if (error == SettingsError.None)
        {
            _errorKey = null;
            _errorOffset = -1;
            return error;
        }

        string key = ErrorKey;
        int at = ErrorOffset;
        Clear();
        _error = error;
        _errorKey = key;
        _errorOffset = at;
        return error;
    }

    /// <summary>Describes the last error for a log line (the key and offset, never a value).</summary>
    public string DescribeError()
    {
        if (Error == SettingsError.None)
        {
            return "none";
        }

        string what = Error == SettingsError.Malformed ? "malformed JSON" : Error == SettingsError.NotAnObject ? "not an object"
            : Error == SettingsError.UnknownKey ? "unknown key" : Error == SettingsError.DuplicateKey ? "duplicate key"
            : Error == SettingsError.WrongType ? "wrong type" : "out of range";
        return (ErrorKey == null ? what : what + ": " + ErrorKey) + " at byte " + ErrorOffset.ToString();
    }

    private SettingsError Apply(JsonReader reader, byte[] scratch)
    {
        if (!reader.Read())
        {
            return SettingsError.Malformed;
        }

        if (reader.TokenKind != JsonTokenKind.BeginObject)
        {
            _errorOffset = reader.TokenOffset;
            return SettingsError.NotAnObject;
        }

        int seen = 0;
        while (reader.Read())
        {
            if (reader.TokenKind == JsonTokenKind.EndObject)
            {
                return SettingsError.None;
            }

            _errorOffset = reader.TokenOffset;
            int key = -1;
            for (int i = 0; i < Keys.Length; i++)
            {
                if (reader.ValueEquals(Keys[i]))
                {
                    key = i;
                    break;
                }
            }

            if (key < 0)
            {
                int n = reader.CopyString(scratch, 0, 40);
                _errorKey = n < 0 ? "(long key)" : Utf8.GetString(scratch, 0, n);
                return SettingsError.UnknownKey;
            }

            _errorKey = KeyNames[key];
            if ((seen & (1 << key)) != 0)
            {
                return SettingsError.DuplicateKey;
            }

            seen |= 1 << key;
            if (!reader.Read())
            {
                return SettingsError.Malformed;
            }

            _errorOffset = reader.TokenOffset;
            JsonTokenKind kind = reader.TokenKind;
            if (key == KDyn)
            {
                if (kind != JsonTokenKind.True && kind != JsonTokenKind.False)
                {
                    return SettingsError.WrongType;
                }

                _dynamicRegistration = kind == JsonTokenKind.True;
                continue;
            }

            if (key == KPort)
            {
                if (kind != JsonTokenKind.Number)
                {
                    return SettingsError.WrongType;
                }

                int port;
                if (!reader.TryGetInt32(out port) || port < 1 || port > 65535)
                {
                    return SettingsError.OutOfRange;
                }

                _mqttPort = port;
                continue;
            }

            if (kind == JsonTokenKind.Null)
            {
                continue;
            }

            if (kind != JsonTokenKind.String)
            {
                return SettingsError.WrongType;
            }

            int length = reader.CopyString(scratch, 0, MaxBytes[key]);
            if (length < 0)
            {
                return SettingsError.OutOfRange;
            }

            string value = length == 0 ? null : Utf8.GetString(scratch, 0, length);
            switch (key)
            {
                case KPk: _productKey = value; break;
                case KDn: _deviceName = value; break;
                case KDs: _deviceSecret = value; break;
                case KPs: _productSecret = value; break;
                case KRegion: _region = value; break;
                case KMqtt: _mqttDomain = value; break;
                case KHttp: _httpDomain = value; break;
                case KSsid: _wifiSsid = value; break;
                default: _wifiPassword = value; break;
            }
        }

        return SettingsError.Malformed;
    }

    private static byte[][] Ascii(string[] names)
    {
        byte[][] table = new byte[names.Length][];
        for (int i = 0; i < names.Length; i++)
        {
            table[i] = Utf8.GetBytes(names[i]);
        }

        return table;
    }

    private void Clear()
    {
        _productKey = null;
        _deviceName = null;
        _deviceSecret = null;
        _productSecret = null;
        _region = null;
        _mqttDomain = null;
        _httpDomain = null;
        _dynamicRegistration = false;
        _mqttPort = 0;
        _wifiSsid = null;
        _wifiPassword = null;
        _error = SettingsError.None;
        _errorKey = null;
        _errorOffset = -1;
    }
}
