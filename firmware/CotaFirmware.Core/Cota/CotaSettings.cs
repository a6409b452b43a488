namespace CotaFirmware.Cota;

/// <summary>The board's COTA message settings (the download has its own <see cref="DownloadSettings"/>).</summary>
public sealed class CotaSettings
{
    /// <summary>The longest url accepted, in bytes; size it like the MQTT receive buffer (OSS urls exceed 800).</summary>
    public int MaxUrlLength = 2048;

    /// <summary>A download starts after a random wait of 0..this many ms, so a fleet does not hit the file server at once.</summary>
    public int StartJitterMs = 5000;

    /// <summary>How long a thing.config.get waits for its get_reply (ms).</summary>
    public int GetTimeoutMs = 10000;

    /// <summary>The thing event that carries config results: <c>thing/event/{id}/post</c>.</summary>
    public string ResultEventIdentifier = "ConfigResult";
}
