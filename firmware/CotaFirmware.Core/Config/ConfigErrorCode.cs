namespace CotaFirmware.Config;

/// <summary>Why a config was refused, per module and key (the error set of Golioth Settings).</summary>
public enum ConfigErrorCode
{
    /// <summary>The key (or top-level module name) is not one the firmware knows: <c>key_not_recognized</c>.</summary>
    KeyNotRecognized = 0,

    /// <summary>The value has the wrong JSON type or shape, or a required key is missing: <c>format_not_valid</c>.</summary>
    ValueFormatNotValid = 1,

    /// <summary>The value is of the right type but outside the allowed range or set: <c>out_of_range</c>.</summary>
    ValueOutOfRange = 2,

    /// <summary>A string is longer than the module can hold: <c>too_long</c>.</summary>
    StringTooLong = 3,

    /// <summary>Anything else (broken JSON, a storage failure while committing): <c>general_error</c>.</summary>
    GeneralError = 4,

    /// <summary>The key appears twice in one object (which value wins is not defined): <c>duplicate_key</c>.</summary>
    DuplicateKey = 5,
}
