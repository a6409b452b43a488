namespace CotaFirmware.Platform;

/// <summary>The names of the seams' codes, for log lines and results (the device prints an enum as its number).</summary>
public static class PlatformNames
{
    /// <summary>The name of <paramref name="status"/>, as written in the enum (<c>Full</c>, <c>NotFound</c>, ...).</summary>
    public static string Of(StorageStatus status)
    {
        switch (status)
        {
            case StorageStatus.Ok: return "Ok";
            case StorageStatus.NotFound: return "NotFound";
            case StorageStatus.Full: return "Full";
            case StorageStatus.Failed: return "Failed";
            case StorageStatus.NewerRecord: return "NewerRecord";
            default: return "Unknown";
        }
    }

    /// <summary>The name of <paramref name="status"/>, as written in the enum (<c>Timeout</c>, <c>TlsFailed</c>, ...).</summary>
    public static string Of(HttpStatus status)
    {
        switch (status)
        {
            case HttpStatus.Unreachable: return "Unreachable";
            case HttpStatus.Timeout: return "Timeout";
            case HttpStatus.TlsFailed: return "TlsFailed";
            case HttpStatus.Broken: return "Broken";
            case HttpStatus.BadUrl: return "BadUrl";
            case HttpStatus.OutOfMemory: return "OutOfMemory";
            default: return "Unknown";
        }
    }

    /// <summary>Names what <see cref="IHttpClient.Get"/> returned: <c>HTTP 403</c> for a status code, the <see cref="HttpStatus"/> name for a failure.</summary>
    public static string OfHttp(int status)
    {
        return status >= 0 ? "HTTP " + status.ToString() : Of((HttpStatus)status);
    }

    /// <summary>Names a channel failure for log lines (<c>tls failed</c>, <c>refused</c>, ...).</summary>
    public static string Of(ChannelStatus status)
    {
        switch (status)
        {
            case ChannelStatus.Closed: return "closed";
            case ChannelStatus.Unreachable: return "unreachable";
            case ChannelStatus.Refused: return "refused";
            case ChannelStatus.Timeout: return "timeout";
            case ChannelStatus.TlsFailed: return "tls failed";
            case ChannelStatus.OutOfMemory: return "out of memory";
            default: return "failed";
        }
    }
}
