namespace CotaFirmware.Linkkit;

/// <summary>How obtaining a DeviceSecret by dynamic registration ended.</summary>
public enum RegistrationResult
{
    /// <summary>The identity already carried a DeviceSecret; nothing was asked or stored.</summary>
    Given,

    /// <summary>The secret stored by an earlier registration was read back.</summary>
    Reused,

    /// <summary>The platform issued a new secret and it was stored (at once, or by a later <see cref="DeviceRegistration.Obtain"/>).</summary>
    Registered,

    /// <summary>The ProductKey, DeviceName or ProductSecret is invalid, or the settings are.</summary>
    BadIdentity,

    /// <summary>No HTTP response: unreachable, timeout, TLS failure or a broken connection.</summary>
    NetworkError,

    /// <summary>The server answered with an HTTP status other than 200.</summary>
    HttpError,

    /// <summary>The platform answered with a <c>code</c> other than 200 (see <see cref="DeviceRegistration.LastCode"/>).</summary>
    Rejected,

    /// <summary>The reply was not valid JSON, too long, or lacked a valid <c>data.deviceSecret</c> for this device.</summary>
    BadReply,

    /// <summary>
    /// Flash holds a newer firmware's copy, or a secret was issued but could not be stored: it is set on the identity,
    /// must not be used to connect (that activates the device, and the next boot could not register again), and the
    /// next <see cref="DeviceRegistration.Obtain"/> stores it again.
    /// </summary>
    StorageFailed,
}
