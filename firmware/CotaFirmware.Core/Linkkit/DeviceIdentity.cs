namespace CotaFirmware.Linkkit;

/// <summary>Who the device is on the IoT platform: the product and device keys and their secrets.</summary>
/// <remarks>
/// With one-secret-per-device the DeviceSecret is given; with one-secret-per-product (dynamic registration) the
/// ProductSecret is given and <see cref="DeviceRegistration"/> obtains the DeviceSecret. Secrets never appear in
/// <see cref="ToString"/>, log lines or exception messages.
/// </remarks>
public sealed class DeviceIdentity
{
    /// <summary>The longest ProductKey accepted (the C SDK's limit).</summary>
    public const int MaxProductKeyLength = 20;

    /// <summary>The longest DeviceName accepted (the platform's limit).</summary>
    public const int MaxDeviceNameLength = 32;

    /// <summary>The longest DeviceSecret or ProductSecret accepted (the C SDK's limit).</summary>
    public const int MaxSecretLength = 64;

    // The marks a device name and a topic level may hold besides letters and digits.
    internal const string NameMarks = "_-@.:";

    /// <summary>Creates an identity; any part may be null and filled in later.</summary>
    public DeviceIdentity(string productKey, string deviceName, string deviceSecret, string productSecret)
    {
        ProductKey = productKey;
        DeviceName = deviceName;
        DeviceSecret = deviceSecret;
        ProductSecret = productSecret;
    }

    /// <summary>The product's key (letters and digits, for example <c>a1X2bEnP82z</c>).</summary>
    public string ProductKey;

    /// <summary>The device's name within its product.</summary>
    public string DeviceName;

    /// <summary>The device's secret, the key of the connection signature; null until registration when registering dynamically.</summary>
    public string DeviceSecret;

    /// <summary>The product's secret, the key of the dynamic registration signature; null when not registering dynamically.</summary>
    public string ProductSecret;

    /// <summary>Checks the ProductKey and DeviceName, and the DeviceSecret when <paramref name="needDeviceSecret"/> is set.</summary>
    /// <returns><see cref="LinkkitStatus.Ok"/> or the <see cref="LinkkitStatus"/> code naming the first bad part.</returns>
    public LinkkitStatus Validate(bool needDeviceSecret)
    {
        if (!IsProductKey(ProductKey))
        {
            return LinkkitStatus.BadProductKey;
        }

        if (!IsDeviceName(DeviceName))
        {
            return LinkkitStatus.BadDeviceName;
        }

        if ((needDeviceSecret || DeviceSecret != null) && !IsSecret(DeviceSecret))
        {
            return LinkkitStatus.BadDeviceSecret;
        }

        if (ProductSecret != null && !IsSecret(ProductSecret))
        {
            return LinkkitStatus.BadProductSecret;
        }

        return LinkkitStatus.Ok;
    }

    /// <summary>Names the device as <c>{ProductKey}.{DeviceName}</c>, without secrets.</summary>
    public override string ToString() => ProductKey + "." + DeviceName;

    /// <summary>True when <paramref name="value"/> is 1..20 letters and digits.</summary>
    public static bool IsProductKey(string value) => IsText(value, MaxProductKeyLength, "", false);

    /// <summary>True when <paramref name="value"/> is 1..32 characters of <c>A-Z a-z 0-9 _ - @ . :</c>.</summary>
    public static bool IsDeviceName(string value) => IsText(value, MaxDeviceNameLength, NameMarks, false);

    /// <summary>True when <paramref name="value"/> is 1..64 printable ASCII characters without spaces.</summary>
    public static bool IsSecret(string value) => IsText(value, MaxSecretLength, "", true);

    // The platform's one rule for names, keys, secrets, client ids, hosts and methods: 1..maxLength printable ASCII
    // characters without spaces, where each one that is not a letter or digit is one of `marks`, or with `except` set
    // is any but those.
    internal static bool IsText(string value, int maxLength, string marks, bool except)
    {
        char[] chars = value == null ? null : value.ToCharArray();
        if (chars == null || chars.Length == 0 || chars.Length > maxLength)
        {
            return false;
        }

        foreach (char c in chars)
        {
            if (!IsTextChar(c, marks, except))
            {
                return false;
            }
        }

        return true;
    }

    // One character of IsText.
    internal static bool IsTextChar(char c, string marks, bool except)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || (c > ' ' && c <= '~' && (marks.IndexOf(c) >= 0) != except);
    }
}
