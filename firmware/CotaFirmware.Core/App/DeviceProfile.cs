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

    private const int KPk = 0, KDn = 1, KDs = 2, KPs = 3, KRegion = 4, KMqtt = 5, KHttp = 6, KDyn = 7, KSsid = 8, KPass = 9;

    private static readonly string[] KeyNames =
    {
        "productKey", "deviceName", "deviceSecret", "productSecret", "region", "mqttDomain", "httpDomain",
        "dynamicRegistration", "wifiSsid", "wifiPassword",
    };

    private static readonly int[] MaxBytes =
    {
        MaxIdentityBytes, MaxIdentityBytes, MaxIdentityBytes, MaxIdentityBytes, MaxDomainBytes, MaxDomainBytes,
        MaxDomainBytes, 0, MaxSsidBytes, MaxPasswordBytes,
    };

    private static readonly byte[][] Keys = Ascii(KeyNames);

    /// <summary>The product's key (the first part of the device triple).</summary>
    public string ProductKey { get; private set; }

    /// <summary>The device's name within the product.</summary>
    public string DeviceName { get; private set; }

    /// <summary>The device's secret, or null when dynamic registration obtains it.</summary>
    public string DeviceSecret { get; private set; }

    /// <summary>The product's secret, needed only for dynamic registration.</summary>
    public string ProductSecret { get; private set; }

    /// <summary>The region id (for example <c>cn-shanghai</c>), or null for the default or a custom domain.</summary>
    public string Region { get; private set; }

    /// <summary>A custom MQTT domain that replaces the region's, or null.</summary>
    public string MqttDomain { get; private set; }

    /// <summary>A custom HTTP domain (dynamic registration) that replaces the region's, or null.</summary>
    public string HttpDomain { get; private set; }

    /// <summary>Whether the device obtains its secret by dynamic registration (IOTX_IOCTL_SET_DYNAMIC_REGISTER).</summary>
    public bool DynamicRegistration { get; private set; }

    /// <summary>The Wi-Fi network's name.</summary>
    public string WifiSsid { get; private set; }

    /// <summary>The Wi-Fi password (never logged).</summary>
    public string WifiPassword { get; private set; }

    /// <summary>Why the last <see cref="Load"/> failed, or <see cref="SettingsError.None"/>.</summary>
    public SettingsError Error { get; private set; }

    /// <summary>The key the last error concerns, or null.</summary>
    public string ErrorKey { get; private set; }

    /// <summary>The byte offset where the last error was found, or -1.</summary>
    public int ErrorOffset { get; private set; } = -1;

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
            ErrorKey = null;
            ErrorOffset = reader.ErrorOffset;
        }

        if (error == SettingsError.None)
        {
            ErrorKey = null;
            ErrorOffset = -1;
            return error;
        }

        string key = ErrorKey;
        int at = ErrorOffset;
        Clear();
        Error = error;
        ErrorKey = key;
        ErrorOffset = at;
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
            ErrorOffset = reader.TokenOffset;
            return SettingsError.NotAnObject;
        }

        int seen = 0;
        while (reader.Read())
        {
            if (reader.TokenKind == JsonTokenKind.EndObject)
            {
                return SettingsError.None;
            }

            ErrorOffset = reader.TokenOffset;
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
                ErrorKey = n < 0 ? "(long key)" : Utf8.GetString(scratch, 0, n);
                return SettingsError.UnknownKey;
            }

            ErrorKey = KeyNames[key];
            if ((seen & (1 << key)) != 0)
            {
                return SettingsError.DuplicateKey;
            }

            seen |= 1 << key;
            if (!reader.Read())
            {
                return SettingsError.Malformed;
            }

            ErrorOffset = reader.TokenOffset;
            JsonTokenKind kind = reader.TokenKind;
            if (key == KDyn)
            {
                if (kind != JsonTokenKind.True && kind != JsonTokenKind.False)
                {
                    return SettingsError.WrongType;
                }

                DynamicRegistration = kind == JsonTokenKind.True;
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
                case KPk: ProductKey = value; break;
                case KDn: DeviceName = value; break;
                case KDs: DeviceSecret = value; break;
                case KPs: ProductSecret = value; break;
                case KRegion: Region = value; break;
                case KMqtt: MqttDomain = value; break;
                case KHttp: HttpDomain = value; break;
                case KSsid: WifiSsid = value; break;
                default: WifiPassword = value; break;
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
        ProductKey = null;
        DeviceName = null;
        DeviceSecret = null;
        ProductSecret = null;
        Region = null;
        MqttDomain = null;
        HttpDomain = null;
        DynamicRegistration = false;
        WifiSsid = null;
        WifiPassword = null;
        Error = SettingsError.None;
        ErrorKey = null;
        ErrorOffset = -1;
    }
}
