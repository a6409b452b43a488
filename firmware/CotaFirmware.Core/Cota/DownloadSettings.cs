namespace CotaFirmware.Cota;

/// <summary>The board's choices for config downloads: buffer size, retries and timeouts (the size limit is the config store's).</summary>
public sealed class DownloadSettings
{
    /// <summary>Bytes moved per step (the one body buffer).</summary>
    public int BufferSize = 1024;

    /// <summary>Attempts allowed in a row without progress, counted across reboots.</summary>
    public int MaxAttempts = 5;

    /// <summary>The wait bound after the first failed attempt; it doubles per further failure (<see cref="Timing.Backoff"/>).</summary>
    public int BackoffMinMs = 1000;

    /// <summary>The largest wait bound between attempts.</summary>
    public int BackoffMaxMs = 60000;

    /// <summary>How long a request may wait for its response headers, and how long the body may stay silent (ms).</summary>
    public int TimeoutMs = 10000;

    /// <summary>How long one step waits for body bytes before it returns to the loop (ms), so MQTT is serviced during a slow download.</summary>
    public int ReadSliceMs = 100;

    /// <summary>Allows <c>http://</c> URLs (local test platforms only). Default false: HTTPS only.</summary>
    public bool AllowPlainHttp;
}
