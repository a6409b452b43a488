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

    private readonly SettingsDocument _document = new SettingsDocument(KeyNames);

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
    public SettingsError Error => _document.Error;

    /// <summary>The key the last error concerns, or null.</summary>
    public string ErrorKey => _document.ErrorKey;

    /// <summary>The byte offset where the last error was found, or -1.</summary>
    public int ErrorOffset => _document.ErrorOffset;

    /// <summary>
    /// Reads a device.json held in <paramref name="buffer"/>[<paramref name="offset"/>..+<paramref name="count"/>]
    /// over <paramref name="reader"/> (in place). Keys it lacks stay null (false for the switch).
    /// </summary>
    /// <returns><see cref="SettingsError.None"/>; or the error, with every field cleared.</returns>
    public SettingsError Load(byte[] buffer, int offset, int count, JsonReader reader)
    {
        Clear();
        _document.Begin(buffer, offset, count, reader);
        byte[] scratch = new byte[MaxDomainBytes];
        for (int key = _document.NextKey(); key >= 0; key = _document.NextKey())
        {
            SettingsError error = ApplyValue(key, reader, scratch);
            if (error != SettingsError.None)
            {
                _document.Refuse(error);
                break;
            }
        }

        if (_document.End() != SettingsError.None)
        {
            Clear();
        }

        return Error;
    }

    /// <summary>Describes the last error for a log line (the key and offset, never a value).</summary>
    public string DescribeError() => _document.DescribeError();

    private SettingsError ApplyValue(int key, JsonReader reader, byte[] scratch)
    {
        if (key == KDyn)
        {
            return _document.ReadBoolean(out _dynamicRegistration);
        }

        if (key == KPort)
        {
            return _document.ReadInt32(1, 65535, out _mqttPort);
        }

        JsonTokenKind kind = reader.TokenKind;
        if (kind == JsonTokenKind.Null)
        {
            return SettingsError.None;
        }

        if (kind != JsonTokenKind.String)
        {
            return SettingsError.WrongType;
        }

        int most = key <= KPs ? MaxIdentityBytes : key <= KHttp ? MaxDomainBytes : key == KSsid ? MaxSsidBytes : MaxPasswordBytes;
        int length = reader.CopyString(scratch, 0, most);
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

        return SettingsError.None;
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
    }
}
