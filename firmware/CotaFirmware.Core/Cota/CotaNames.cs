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
        if (IsRefusal(reason))
        {
            return "rejected";
        }

        switch (reason)
        {
            case CotaStatus.Ok:
                return "applied";
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

    /// <summary>True when an offer was refused as it came (the push or get_reply itself), before it was ever accepted.</summary>
    public static bool IsRefusal(CotaStatus reason)
    {
        switch (reason)
        {
            case CotaStatus.Malformed:
            case CotaStatus.ConfigIdInvalid:
            case CotaStatus.ConfigSizeInvalid:
            case CotaStatus.GetTypeNotFile:
            case CotaStatus.SignMethodUnsupported:
            case CotaStatus.SignInvalid:
            case CotaStatus.UrlInvalid:
            case CotaStatus.TooLarge:
            case CotaStatus.MessageTooLarge:
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// True when a config (not the active one) whose newest result has <paramref name="reason"/> is taken when offered
    /// again: when it never ended, was applied (another one came since: the console's "roll back to this" offers it
    /// again) or was superseded (it never finished); when <paramref name="retry"/> also when it ended for a reason that
    /// may pass (<see cref="IsTransient"/>). A failure of the config itself (its content refused or rolled back, a hash or
    /// size mismatch, a refused offer) keeps it from being taken again.
    /// </summary>
    /// <remarks>A push the cloud repeats carries the URL the last try failed on, so a transient end is retried when a
    /// get_reply (every connect asks) or a push with another URL (an expired OSS URL renewed) offers it.</remarks>
    public static bool MayTakeAgain(CotaStatus reason, bool retry)
    {
        return reason == CotaStatus.None || reason == CotaStatus.Ok || reason == CotaStatus.Superseded || (retry && IsTransient(reason));
    }

    /// <summary>
    /// True when an offer that ended for <paramref name="reason"/> may be taken again when a get_reply offers it again
    /// (the cause may have passed). An HTTP error answers the URL, not the config: a later offer brings a fresh one
    /// (an expired OSS URL is 403, a moved file 404).
    /// </summary>
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
            case CotaStatus.HttpError:
                return true;
            default:
                return false;
        }
    }
}
