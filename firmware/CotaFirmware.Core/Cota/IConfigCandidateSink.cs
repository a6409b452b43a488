namespace CotaFirmware.Cota;

/// <summary>Takes what COTA produced: a verified config waiting in the staging area, a failed download, the cloud's confirmation.</summary>
/// <remarks>The Config layer implements it (validate with modules, commit on trial, apply, report). Every call comes from <see cref="CotaService.Step"/> or a LinkKit callback, on the device's thread.</remarks>
public interface IConfigCandidateSink
{
    /// <summary>
    /// A download completed and matched its sign: <paramref name="stagingArea"/> holds exactly
    /// <see cref="ConfigOffer.Size"/> bytes whose SHA-256 is the offer's digest (<see cref="ConfigOffer.CopyDigest"/>).
    /// </summary>
    /// <remarks>The staging area is the sink's to read during the call only; the service deletes it afterwards. The
    /// sink reports the config's result itself (<see cref="CotaService.SendResult"/>).</remarks>
    void OnCandidate(string stagingArea, ConfigOffer offer);

    /// <summary>A download ended without a verified config (nothing is staged); the service has already reported the result.</summary>
    void OnDownloadFailed(ConfigOffer offer, DownloadOutcome outcome);

    /// <summary>The cloud answered a thing.config.get after a (re)connect: the connection works, so a config on trial may be confirmed.</summary>
    void OnCloudConfirmed();
}
