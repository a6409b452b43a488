using CotaFirmware.Cota;

namespace CotaFirmware.Tests.Cota;

/// <summary>
/// One download as the download tests drive it: flash in RAM, a manual clock and the test settings (which a test may
/// change before <see cref="Over"/>); a reboot is a new download over the same flash and clock.
/// </summary>
public sealed class DownloadRig
{
    /// <summary>The flash the store and the progress record live in.</summary>
    public readonly MemoryStorage Storage = new MemoryStorage();

    /// <summary>The clock the download's backoff and timeouts read.</summary>
    public readonly ManualClock Clock = new ManualClock();

    /// <summary>The download's settings: small buffers, quick retries.</summary>
    public readonly DownloadSettings Settings = DownloadFixture.Settings();

    /// <summary>The download <see cref="Over"/> made last.</summary>
    public RangeDownload Download;

    /// <summary>A download served by <paramref name="http"/> over this flash and clock, not yet started.</summary>
    public RangeDownload Over(ScriptedHttpClient http)
    {
        Download = DownloadFixture.Create(http, Storage, Clock, Settings);
        return Download;
    }

    /// <summary>Steps the last download to its end.</summary>
    public CotaStatus Run()
    {
        return DownloadFixture.Run(Download, Clock);
    }
}
