using CotaFirmware.Config.Modules;
using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Text;

namespace CotaFirmware.App;

/// <summary>
/// What is provisioned onto one device and never kept in the repository (its <c>device.json</c>): the LinkKit
/// device triple, the endpoint choice, the dynamic-registration switch and the Wi-Fi credentials.
/// </summary>
/// <remarks>
/// <see cref="Load"/> is strict like <see cref="BoardSettings.Load"/>: an unknown or repeated key, a wrong type or
/// a value too long refuses the whole document, names the key (never a value) in <see cref="SettingsDocument.ErrorKey"/> and clears
/// every field. Strings are decoded from UTF-8 (an SSID may hold any character but NUL, which the radio would cut it
/// at). <c>region</c> must be one of <see cref="LinkkitEndpoint.RegionId"/>'s ids, and <c>mqttPort</c> and
/// <c>httpDomain</c> come only with <c>mqttDomain</c> (the endpoint would ignore them: a typo must not connect the
/// device elsewhere). The other values are checked for length only; <c>DeviceIdentity.Validate</c> and
/// <c>LinkkitSettings.Validate</c> check their form.
/// </remarks>
public sealed class DeviceProfile : SettingsDocument
{
    // The longest region id or custom domain in bytes.
    private const int MaxDomainBytes = 128;

    // Indices into KeyNames: the string keys first, each also its value's place in _values.
    private const int KPk = 0, KDn = 1, KDs = 2, KPs = 3, KRegion = 4, KMqtt = 5, KHttp = 6, KSsid = 7, KPass = 8, KDyn = 9, KPort = 10;

    private static readonly string[] KeyNames =
    {
        "productKey", "deviceName", "deviceSecret", "productSecret", "region", "mqttDomain", "httpDomain",
        "wifiSsid", "wifiPassword", "dynamicRegistration", "mqttPort",
    };

    private readonly byte[] _scratch = new byte[MaxDomainBytes];
    private readonly string[] _values = new string[KPass + 1];
    private bool _dynamicRegistration;
    private int _mqttPort;

    // The first key met that means something only beside mqttDomain, and where its value is: refused once the whole
    // document shows no mqttDomain (it may come after them), since the endpoint would silently ignore it.
    private int _domainOnlyKey;
    private int _domainOnlyOffset;

    /// <summary>Creates an empty profile.</summary>
    public DeviceProfile()
        : base(KeyNames)
    {
    }

    /// <summary>The product's key (the first part of the device triple).</summary>
    public string ProductKey => _values[KPk];

    /// <summary>The device's name within the product.</summary>
    public string DeviceName => _values[KDn];

    /// <summary>The device's secret, or null when dynamic registration obtains it.</summary>
    public string DeviceSecret => _values[KDs];

    /// <summary>The product's secret, needed only for dynamic registration.</summary>
    public string ProductSecret => _values[KPs];

    /// <summary>The region id (for example <c>cn-shanghai</c>), or null for the default or a custom domain.</summary>
    public string Region => _values[KRegion];

    /// <summary>A custom MQTT domain that replaces the region's, or null.</summary>
    public string MqttDomain => _values[KMqtt];

    /// <summary>A custom HTTP domain (dynamic registration) that replaces the region's, or null.</summary>
    public string HttpDomain => _values[KHttp];

    /// <summary>The MQTT port of <see cref="MqttDomain"/> (a broker of one's own), or 0 for LinkKit's default.</summary>
    public int MqttPort => _mqttPort;

    /// <summary>Whether the device obtains its secret by dynamic registration (IOTX_IOCTL_SET_DYNAMIC_REGISTER).</summary>
    public bool DynamicRegistration => _dynamicRegistration;

    /// <summary>The Wi-Fi network's name.</summary>
    public string WifiSsid => _values[KSsid];

    /// <summary>The Wi-Fi password (never logged).</summary>
    public string WifiPassword => _values[KPass];

    /// <summary>
    /// Reads a device.json held in <paramref name="buffer"/>[<paramref name="offset"/>..+<paramref name="count"/>]
    /// over <paramref name="reader"/> (in place). Keys it lacks stay null (false for the switch).
    /// </summary>
    /// <returns><see cref="SettingsError.None"/>; or the error, with every field cleared.</returns>
    public SettingsError Load(byte[] buffer, int offset, int count, JsonReader reader)
    {
        Clear();
        SettingsError error = Walk(buffer, offset, count, reader);
        if (error == SettingsError.None && _domainOnlyKey >= 0 && MqttDomain == null)
        {
            error = Refuse(SettingsError.WithoutMqttDomain, _domainOnlyKey, _domainOnlyOffset);
        }

        if (error != SettingsError.None)
        {
            Clear();
        }

        return Error;
    }

    /// <inheritdoc/>
    protected override SettingsError ApplyValue(int key)
    {
        if (key == KDyn)
        {
            return ReadBoolean(out _dynamicRegistration);
        }

        if (key == KPort)
        {
            NoteDomainOnly(key);
            return ReadInt32(1, 65535, out _mqttPort);
        }

        JsonTokenKind kind = Reader.TokenKind;
        if (kind == JsonTokenKind.Null)
        {
            return SettingsError.None;
        }

        if (kind != JsonTokenKind.String)
        {
            return SettingsError.WrongType;
        }

        // Each value's limit is its user's: the identity's longest (its secrets'; DeviceIdentity.Validate checks each
        // field's form and length), the Wi-Fi module's; domains are the profile's own.
        int most = key <= KPs ? DeviceIdentity.MaxSecretLength : key <= KHttp ? MaxDomainBytes
            : key == KSsid ? WifiCredentialsModule.MaxSsidLength : WifiCredentialsModule.MaxPasswordLength;
        int length = Reader.CopyString(_scratch, 0, most);
        if (length < 0 || (key == KPass && length > 0 && length < WifiCredentialsModule.MinPasswordLength)
            || (key >= KSsid && WifiCredentialsModule.HoldsNul(_scratch, 0, length)))
        {
            // A WPA passphrase has 8 to 63 characters; none (empty) is an open network.
            return SettingsError.OutOfRange;
        }

        _values[key] = length == 0 ? null : Utf8.GetString(_scratch, 0, length);
        if (key == KRegion && _values[key] != null && !LinkkitEndpoint.TryRegionOf(_values[key], out _))
        {
            _values[key] = null;
            return SettingsError.OutOfRange;
        }

        if (key == KHttp && length > 0)
        {
            NoteDomainOnly(key);
        }

        return SettingsError.None;
    }

    private void NoteDomainOnly(int key)
    {
        if (_domainOnlyKey < 0)
        {
            _domainOnlyKey = key;
            _domainOnlyOffset = ValueOffset;
        }
    }

    private void Clear()
    {
        // One by one: on nanoCLR, Array.Clear leaves a string array's elements unequal to null.
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] = null;
        }

        _dynamicRegistration = false;
        _mqttPort = 0;
        _domainOnlyKey = -1;
    }
}
