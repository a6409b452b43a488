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
            case ConfigStatus.RolledBack: return "RolledBack";
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

    /// <summary>The wire name of a JSON error that broke a config (for example unexpected_character): the Json layer's name, but a failed source is the config's storage.</summary>
    public static string Of(JsonError error)
    {
        return error == JsonError.SourceFailed ? "storage_failed" : JsonNames.Of(error);
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
