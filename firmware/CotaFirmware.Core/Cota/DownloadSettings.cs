namespace CotaFirmware.Cota;

/// <summary>The board's choices for config downloads: buffer size, limits, retries, timeouts and storage area names.</summary>
public sealed class DownloadSettings
{
    /// <summary>Bytes moved per step (the one body buffer). Default 1024.</summary>
    public int BufferSize = 1024;

    /// <summary>The largest config accepted, in bytes; larger offers are refused before any request. Default 64 KB.</summary>
    public int MaxConfigSize = 64 * 1024;

    /// <summary>Progress is persisted each time this many new bytes are staged (and at the end). Default 8 KB.</summary>
    public int PersistEveryBytes = 8 * 1024;

    /// <summary>Attempts allowed in a row without persisted progress, counted across reboots. Default 5.</summary>
    public int MaxAttempts = 5;

    /// <summary>The wait after the first failed attempt; it doubles per further failure. Default 1 s.</summary>
    public int BackoffBaseMs = 1000;

    /// <summary>The longest wait between attempts. Default 60 s.</summary>
    public int BackoffMaxMs = 60000;

    /// <summary>How long a request or one body read may wait. A step can block this long. Default 10 s.</summary>
    public int TimeoutMs = 10000;

    /// <summary>Allows <c>http://</c> URLs (local test platforms only). Default false: HTTPS only.</summary>
    public bool AllowPlainHttp;

    /// <summary>The storage area that receives the config bytes.</summary>
    public string StagingArea = "cota.stage";

    /// <summary>The storage area that holds the download's progress record.</summary>
    public string ProgressArea = "cota.prog";
}
