namespace CotaFirmware.Cota;

/// <summary>The names of <see cref="CotaStatus"/> values (for logs and the result's <c>reason</c>) and the result status each one means.</summary>
public static class CotaNames
{
    // Indexed by CotaStatus; the names are the enum's own.
    private static readonly string[] Names =
    {
        "None", "Ok", "Running", "Malformed", "ConfigIdInvalid", "ConfigSizeInvalid", "GetTypeNotFile",
        "SignMethodUnsupported", "SignInvalid", "UrlInvalid", "TooLarge", "NoConfig", "MessageTooLarge", "BadScheme",
        "BadUrl", "HttpError", "SizeMismatch", "RangeMismatch", "HashMismatch", "Timeout", "ConnectionFailed", "Truncated",
        "RetriesExhausted", "StoreFailed", "Rejected", "ModuleFailed", "DeadlineWithoutContact", "BootLoopGuard", "Superseded",
    };

    /// <summary>The name of <paramref name="status"/>, as written in the enum (<c>HashMismatch</c>, <c>Superseded</c>, ...).</summary>
    public static string Of(CotaStatus status)
    {
        int i = (int)status;
        return i >= 0 && i < Names.Length ? Names[i] : "Unknown";
    }

    /// <summary>The result <c>status</c> an offer that ended for <paramref name="reason"/> reports: applied, rejected, rolled_back, superseded or failed.</summary>
    public static string ResultStatus(CotaStatus reason)
    {
        switch (reason)
        {
            case CotaStatus.Ok:
                return "applied";
            case CotaStatus.Malformed:
            case CotaStatus.ConfigIdInvalid:
            case CotaStatus.ConfigSizeInvalid:
            case CotaStatus.GetTypeNotFile:
            case CotaStatus.SignMethodUnsupported:
            case CotaStatus.SignInvalid:
            case CotaStatus.UrlInvalid:
            case CotaStatus.TooLarge:
            case CotaStatus.MessageTooLarge:
            case CotaStatus.BadScheme:
            case CotaStatus.Rejected:
                return "rejected";
            case CotaStatus.ModuleFailed:
            case CotaStatus.DeadlineWithoutContact:
            case CotaStatus.BootLoopGuard:
                return "rolled_back";
            case CotaStatus.Superseded:
                return "superseded";
            default:
                return "failed";
        }
    }

    /// <summary>True when an offer that ended for <paramref name="reason"/> may be taken again when a get_reply offers it again (the cause may have passed).</summary>
    public static bool IsTransient(CotaStatus reason)
    {
        switch (reason)
        {
            case CotaStatus.Timeout:
            case CotaStatus.ConnectionFailed:
            case CotaStatus.Truncated:
            case CotaStatus.RetriesExhausted:
            case CotaStatus.StoreFailed:
                return true;
            default:
                return false;
        }
    }
}
