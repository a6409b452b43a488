using System;
using CotaFirmware.Crypto;
using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Linkkit;

/// <summary>Signs what the platform authenticates: the MQTT connection and the dynamic registration request.</summary>
/// <remarks>
/// The signed text is built in a fixed buffer and handed to the board's <see cref="IMac"/>; the buffers are wiped
/// after each signature so no secret stays in them. Signing happens once per connection or registration, so the
/// resulting strings are the only allocations.
/// </remarks>
public sealed class LinkkitSigner
{
    // clientId(64) + deviceName(32) + productKey(20) + timestamp(20) + the four field names, with room to spare.
    private const int MessageCapacity = 256;

    private readonly IMac _mac;
    private readonly byte[] _message = new byte[MessageCapacity];
    private readonly byte[] _key = new byte[DeviceIdentity.MaxSecretLength];
    private readonly byte[] _digest = new byte[32];
    private int _length;

    /// <summary>Creates a signer over the board's HMAC.</summary>
    public LinkkitSigner(IMac mac)
    {
        if (mac == null)
        {
            throw new ArgumentNullException(nameof(mac));
        }

        _mac = mac;
    }

    /// <summary>The clientId the signature covers: <see cref="LinkkitSettings.ClientId"/>, or <c>{pk}.{dn}</c>.</summary>
    public static string ClientIdOf(DeviceIdentity identity, LinkkitSettings settings) =>
        settings.ClientId ?? identity.ProductKey + "." + identity.DeviceName;

    /// <summary>The signmethod field of the client id for <paramref name="method"/>.</summary>
    public static string SignMethodName(MacMethod method) => method == MacMethod.HmacSha1 ? "hmacsha1" : "hmacsha256";

    /// <summary>
    /// Fills <paramref name="into"/> with the endpoint and the signed client id, username and password for a
    /// connection stamped <paramref name="timestampMs"/> (milliseconds since 1970).
    /// </summary>
    /// <returns><see cref="LinkkitStatus.Ok"/>, a validation code for a bad identity or settings, or <see cref="LinkkitStatus.SigningFailed"/>.</returns>
    public LinkkitStatus SignConnection(DeviceIdentity identity, LinkkitSettings settings, long timestampMs, ConnectionCredentials into) =>
        Sign(identity, settings, timestampMs, -1, into);

    /// <summary>
    /// Fills <paramref name="into"/> as <see cref="SignConnection"/> does for a device whose wall clock is not valid:
    /// stamped <see cref="LinkkitDevice.FallbackTimestampMs"/>, as the C SDK does. The default client id then gets
    /// <c>_</c> and 8 hex digits of an HMAC keyed with the DeviceSecret over <paramref name="uptimeMs"/>, so it is not
    /// a fixed string: it differs between attempts and boots, and no device without the secret can predict it
    /// (at most 53 + 9 characters, within the platform's 64). A client id set in the settings is used as it is.
    /// </summary>
    /// <returns>As <see cref="SignConnection"/>.</returns>
    public LinkkitStatus SignConnectionWithoutClock(DeviceIdentity identity, LinkkitSettings settings, long uptimeMs, ConnectionCredentials into) =>
        Sign(identity, settings, LinkkitDevice.FallbackTimestampMs, uptimeMs < 0 ? 0 : uptimeMs, into);

    // uptimeMs < 0: the client id as configured.
    private LinkkitStatus Sign(DeviceIdentity identity, LinkkitSettings settings, long timestampMs, long uptimeMs, ConnectionCredentials into)
    {
        LinkkitStatus status = identity.Validate(true);
        if (status != LinkkitStatus.Ok)
        {
            return status;
        }

        status = settings.Validate();
        if (status != LinkkitStatus.Ok)
        {
            return status;
        }

        if (timestampMs < 0)
        {
            return LinkkitStatus.BadSettings;
        }

        string clientId = ClientIdOf(identity, settings);
        if (uptimeMs >= 0 && settings.ClientId == null)
        {
            _length = 0;
            Append("clientId");
            Append(clientId);
            Append("uptime");
            Append(uptimeMs.ToString());
            string salt = HexMac(MacMethod.HmacSha256, identity.DeviceSecret, false);
            if (salt == null)
            {
                return LinkkitStatus.SigningFailed;
            }

            clientId = clientId + "_" + salt.Substring(0, 8);
        }

        if (!LinkkitSettings.IsClientId(clientId))
        {
            return LinkkitStatus.BadClientId;
        }

        string timestamp = timestampMs.ToString();
        _length = 0;
        Append("clientId");
        Append(clientId);
        Append("deviceName");
        Append(identity.DeviceName);
        Append("productKey");
        Append(identity.ProductKey);
        Append("timestamp");
        Append(timestamp);
        string password = HexMac(settings.SignMethod, identity.DeviceSecret, settings.SignMethod != MacMethod.HmacSha1);
        if (password == null)
        {
            return LinkkitStatus.SigningFailed;
        }

        into.Host = LinkkitEndpoint.MqttHost(identity.ProductKey, settings);
        into.Port = settings.Port;
        into.UseTls = settings.UseTls;
        into.ClientId = clientId + "|securemode=" + (settings.UseTls ? "2" : "3") + ",signmethod="
            + SignMethodName(settings.SignMethod) + ",timestamp=" + timestamp + "|";
        into.Username = identity.DeviceName + "&" + identity.ProductKey;
        into.Password = password;
        into.KeepAliveSeconds = settings.KeepAliveSeconds;
        into.CleanSession = settings.CleanSession;
        return LinkkitStatus.Ok;
    }

    /// <summary>
    /// The sign of a dynamic registration request: hex HMAC-SHA256 keyed with the ProductSecret over
    /// <c>deviceName{dn}productKey{pk}random{random}</c>.
    /// </summary>
    /// <returns>The lowercase hex signature, or null when the identity lacks a valid ProductSecret or the HMAC failed.</returns>
    public string SignRegistration(DeviceIdentity identity, string random)
    {
        if (identity.Validate(false) != LinkkitStatus.Ok || !DeviceIdentity.IsSecret(identity.ProductSecret)
            || random == null || random.Length == 0 || random.Length > 64)
        {
            return null;
        }

        _length = 0;
        Append("deviceName");
        Append(identity.DeviceName);
        Append("productKey");
        Append(identity.ProductKey);
        Append("random");
        Append(random);
        return HexMac(MacMethod.HmacSha256, identity.ProductSecret, false);
    }

    private void Append(string text)
    {
        // Lengths were validated, so the message always fits; a failure here is a programming error.
        int n = Utf8.Encode(text, _message, _length);
        if (n < 0)
        {
            throw new InvalidOperationException("signature text too long");
        }

        _length += n;
    }

    private string HexMac(MacMethod method, string secret, bool upper)
    {
        int keyLength = Utf8.Encode(secret, _key, 0);
        int n = _mac.Compute(method, _key, 0, keyLength, _message, 0, _length, _digest, 0);
        Array.Clear(_key, 0, _key.Length);
        Array.Clear(_message, 0, _message.Length);
        if (n <= 0 || n > _digest.Length)
        {
            Array.Clear(_digest, 0, _digest.Length);
            return null;
        }

        string text = Hex.EncodeToString(_digest, 0, n, upper);
        Array.Clear(_digest, 0, _digest.Length);
        return text;
    }
}
