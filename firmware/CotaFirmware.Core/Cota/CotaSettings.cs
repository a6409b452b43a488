namespace CotaFirmware.Cota;

/// <summary>The board's COTA settings: messages, the download start, the trial and the results (the download has its own <see cref="DownloadSettings"/>).</summary>
public sealed class CotaSettings
{
    /// <summary>The longest url accepted, in bytes; size it like the MQTT receive buffer (OSS urls exceed 800).</summary>
    public int MaxUrlLength = 2048;

    /// <summary>A download starts after a random wait of 0..this many ms, so a fleet does not hit the file server at once.</summary>
    public int StartJitterMs = 5000;

    /// <summary>How long a thing.config.get waits for its get_reply (ms).</summary>
    public int GetTimeoutMs = 10000;

    /// <summary>How long a new config may stay on trial without contact with the cloud before it is rolled back (ms).</summary>
    public int TrialDeadlineMs = 120000;

    /// <summary>The first wait before a contact probe (thing.config.get during a trial) or a result is sent again; it doubles up to <see cref="BackoffMaxMs"/>.</summary>
    public int BackoffMinMs = 2000;

    /// <summary>The longest wait between contact probes or result sends.</summary>
    public int BackoffMaxMs = 30000;

    /// <summary>How many results flash keeps (unsent ones until the cloud has them, sent ones to remember finished configs).</summary>
    public int ResultSlots = 4;

    /// <summary>The thing event that carries config results: <c>thing/event/{id}/post</c>.</summary>
    public string ResultEventIdentifier = "ConfigResult";
}
