namespace CotaFirmware.App;

/// <summary>Why a settings document (board.json, device.json) was refused by <see cref="BoardSettings.Load"/> or <see cref="DeviceProfile.Load"/>.</summary>
public enum SettingsError
{
    /// <summary>The document was read and every value applied.</summary>
    None = 0,

    /// <summary>The bytes are not one valid JSON document (see the ErrorOffset of the loader).</summary>
    Malformed,

    /// <summary>The document is valid JSON, but its top level is not an object.</summary>
    NotAnObject,

    /// <summary>A key the settings do not know (a typo would otherwise silently keep a default).</summary>
    UnknownKey,

    /// <summary>A key appears twice.</summary>
    DuplicateKey,

    /// <summary>A value has the wrong JSON type (a string where a number belongs, a fraction for a count, ...).</summary>
    WrongType,

    /// <summary>A value is outside the key's range, or not one of its names.</summary>
    OutOfRange,

    /// <summary>A GPIO that carries the SPI flash of the target's chip (GPIO6..11 on the classic ESP32): driving it crashes the board.</summary>
    FlashPin,

    /// <summary>A key that means something only beside <c>mqttDomain</c> (<c>mqttPort</c>, <c>httpDomain</c>), in a document without one.</summary>
    WithoutMqttDomain,
}
