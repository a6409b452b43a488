namespace CotaFirmware.Cota;

/// <summary>The names of <see cref="CotaStatus"/> values (for logs and the result's <c>reason</c>) and the result status each one means.</summary>
public static class CotaNames
{
    /// <summary>The name of <paramref name="status"/>, as written in the enum (<c>HashMismatch</c>, <c>Superseded</c>, ...).</summary>
    public static string Of(CotaStatus status)
    {
        switch (status)
        {
            case CotaStatus.None: return "None";
            case CotaStatus.Ok: return "Ok";
            case CotaStatus.Running: return "Running";
            case CotaStatus.Malformed: return "Malformed";
            case CotaStatus.ConfigIdInvalid: return "ConfigIdInvalid";
            case CotaStatus.ConfigSizeInvalid: return "ConfigSizeInvalid";
            case CotaStatus.GetTypeNotFile: return "GetTypeNotFile";
            case CotaStatus.SignMethodUnsupported: return "SignMethodUnsupported";
            case CotaStatus.SignInvalid: return "SignInvalid";
            case CotaStatus.UrlInvalid: return "UrlInvalid";
            case CotaStatus.TooLarge: return "TooLarge";
            case CotaStatus.NoConfig: return "NoConfig";
            case CotaStatus.MessageTooLarge: return "MessageTooLarge";
            case CotaStatus.BadScheme: return "BadScheme";
            case CotaStatus.BadUrl: return "BadUrl";
            case CotaStatus.HttpError: return "HttpError";
            case CotaStatus.SizeMismatch: return "SizeMismatch";
            case CotaStatus.RangeMismatch: return "RangeMismatch";
            case CotaStatus.HashMismatch: return "HashMismatch";
            case CotaStatus.Timeout: return "Timeout";
            case CotaStatus.ConnectionFailed: return "ConnectionFailed";
            case CotaStatus.Truncated: return "Truncated";
            case CotaStatus.RetriesExhausted: return "RetriesExhausted";
            case CotaStatus.StoreFailed: return "StoreFailed";
            case CotaStatus.Rejected: return "Rejected";
            case CotaStatus.ModuleFailed: return "ModuleFailed";
            case CotaStatus.DeadlineWithoutContact: return "DeadlineWithoutContact";
            case CotaStatus.BootLoopGuard: return "BootLoopGuard";
            case CotaStatus.Superseded: return "Superseded";
            case CotaStatus.TlsFailed: return "TlsFailed";
            case CotaStatus.OutOfMemory: return "OutOfMemory";
            default: return "Unknown";
        }
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
            case CotaStatus.TlsFailed:
            case CotaStatus.OutOfMemory:
                return true;
            default:
                return false;
        }
    }
}
