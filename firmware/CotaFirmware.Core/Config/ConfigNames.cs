using CotaFirmware.Json;

namespace CotaFirmware.Config;

/// <summary>The names of the Config layer's values, for log lines and results (the device prints an enum as its number).</summary>
public static class ConfigNames
{
    /// <summary>The name of <paramref name="status"/>, as written in the enum (<c>TrialInProgress</c>, <c>StorageFailed</c>, ...).</summary>
    public static string Of(ConfigStatus status)
    {
        switch (status)
        {
            case ConfigStatus.Ok: return "Ok";
            case ConfigStatus.NoConfig: return "NoConfig";
            case ConfigStatus.WrongStage: return "WrongStage";
            case ConfigStatus.TooLarge: return "TooLarge";
            case ConfigStatus.ConfigIdTooLong: return "ConfigIdTooLong";
            case ConfigStatus.LengthMismatch: return "LengthMismatch";
            case ConfigStatus.DigestMismatch: return "DigestMismatch";
            case ConfigStatus.VerifyFailed: return "VerifyFailed";
            case ConfigStatus.TrialInProgress: return "TrialInProgress";
            case ConfigStatus.NotOnTrial: return "NotOnTrial";
            case ConfigStatus.StorageFailed: return "StorageFailed";
            case ConfigStatus.NothingToResume: return "NothingToResume";
            case ConfigStatus.InProgress: return "InProgress";
            case ConfigStatus.Rejected: return "Rejected";
            case ConfigStatus.ModuleFailed: return "ModuleFailed";
            default: return "Unknown";
        }
    }

    /// <summary>The wire name of <paramref name="code"/>: key_not_recognized, format_not_valid, out_of_range, too_long, duplicate_key, general_error.</summary>
    public static string Of(ConfigErrorCode code)
    {
        switch (code)
        {
            case ConfigErrorCode.KeyNotRecognized: return "key_not_recognized";
            case ConfigErrorCode.ValueFormatNotValid: return "format_not_valid";
            case ConfigErrorCode.ValueOutOfRange: return "out_of_range";
            case ConfigErrorCode.StringTooLong: return "too_long";
            case ConfigErrorCode.DuplicateKey: return "duplicate_key";
            default: return "general_error";
        }
    }

    /// <summary>The wire name of a JSON error that broke a config (for example unexpected_character).</summary>
    public static string Of(JsonError error)
    {
        switch (error)
        {
            case JsonError.None: return "none";
            case JsonError.UnexpectedEnd: return "unexpected_end";
            case JsonError.UnexpectedCharacter: return "unexpected_character";
            case JsonError.TrailingData: return "trailing_data";
            case JsonError.InvalidLiteral: return "invalid_literal";
            case JsonError.InvalidNumber: return "invalid_number";
            case JsonError.LeadingZero: return "leading_zero";
            case JsonError.ControlCharacter: return "control_character";
            case JsonError.InvalidEscape: return "invalid_escape";
            case JsonError.InvalidSurrogate: return "invalid_surrogate";
            case JsonError.InvalidUtf8: return "invalid_utf8";
            case JsonError.DepthExceeded: return "depth_exceeded";
            case JsonError.TokenTooLong: return "token_too_long";
            case JsonError.SourceFailed: return "storage_failed";
            default: return "json_error";
        }
    }

    /// <summary>Names a policy for log lines.</summary>
    public static string Of(ConfigApplyPolicy policy)
    {
        switch (policy)
        {
            case ConfigApplyPolicy.Live: return "live";
            case ConfigApplyPolicy.RestartModule: return "restart";
            case ConfigApplyPolicy.RebootDevice: return "reboot";
            default: return "unknown";
        }
    }
}
