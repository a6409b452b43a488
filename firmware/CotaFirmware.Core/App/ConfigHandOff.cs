using CotaFirmware.Config;
using CotaFirmware.Cota;
using CotaFirmware.Linkkit;
using CotaFirmware.Platform;

namespace CotaFirmware.App;

/// <summary>Joins the COTA layer to the Config layer: verified downloads go into the store and the applier, results go out as events.</summary>
/// <remarks>
/// <para>A verified download is copied from the staging area into the store's inactive slot (<see cref="ConfigStore.Begin"/>,
/// <see cref="ConfigStore.Append"/>, <see cref="ConfigStore.Seal"/> against the offer's digest) and handed to
/// <see cref="ConfigApplier.ApplyCandidate"/>.</para>
/// <para>Confirmation: the service reports the first get_reply after each connect (<see cref="OnCloudConfirmed"/>).
/// A config applied without a reboot keeps the same connection, so one more thing.config.get is sent after it; its
/// get_reply proves the device still reaches the cloud with the new config and confirms the trial.</para>
/// </remarks>
public sealed class ConfigHandOff : IConfigCandidateSink, IAppliedConfigId, IConfigResultSink, IConfigOfferListener
{
    private readonly IStorage _storage;
    private readonly ConfigStore _store;
    private readonly IClock _clock;
    private readonly ILog _log;
    private readonly byte[] _chunk;
    private readonly byte[] _id = new byte[ConfigOffer.MaxConfigIdLength];
    private readonly byte[] _digest = new byte[ConfigOffer.DigestLength];
    private ConfigApplier _applier;
    private CotaService _service;
    private bool _awaitingConfirmation;

    /// <summary>Creates the hand-off over the board's storage and the device's store; <paramref name="chunkSize"/> bytes are copied at a time.</summary>
    public ConfigHandOff(IStorage storage, ConfigStore store, IClock clock, ILog log, int chunkSize)
    {
        if (storage == null || store == null || clock == null || log == null)
        {
            throw new System.ArgumentNullException();
        }

        _storage = storage;
        _store = store;
        _clock = clock;
        _log = log;
        _chunk = new byte[chunkSize < 64 ? 64 : chunkSize];
    }

    /// <summary>Connects the two ends once both exist (the service needs this object first).</summary>
    public void Attach(ConfigApplier applier, CotaService service)
    {
        _applier = applier;
        _service = service;
    }

    /// <inheritdoc/>
    public int CopyAppliedConfigId(byte[] buffer, int offset)
    {
        int n = _store.CopyActiveConfigId(buffer, offset);
        return n < 0 ? 0 : n;
    }

    /// <inheritdoc/>
    public void OnCandidate(string stagingArea, ConfigOffer offer)
    {
        int idLength = offer.CopyConfigId(_id, 0);
        offer.CopyDigest(_digest, 0);
        int size = (int)offer.Size;
        ConfigStatus status = _store.Begin(_id, 0, idLength, size);
        int position = 0;
        while (status == ConfigStatus.Ok && position < size)
        {
            int want = size - position < _chunk.Length ? size - position : _chunk.Length;
            int read = _storage.Read(stagingArea, position, _chunk, 0, want);
            if (read <= 0)
            {
                status = ConfigStatus.StorageFailed;
                break;
            }

            status = _store.Append(_chunk, 0, read);
            position += read;
        }

        if (status == ConfigStatus.Ok)
        {
            status = _store.Seal(_digest, 0);
        }

        if (status != ConfigStatus.Ok)
        {
            _store.Abort();
            _log.Write(LogLevel.Error, "app", "config not stored: store status " + ((int)status).ToString());
            return;
        }

        _log.Write(LogLevel.Info, "app", "config stored in slot " + _store.CandidateSlot.ToString() + " (" + size.ToString() + " bytes, hash checked)");
        if (_applier.ApplyCandidate(_clock.MonotonicMs) && !_applier.RebootRequested && _applier.IsOnTrial)
        {
            _awaitingConfirmation = true;
            if (_service.RequestConfig() < 0)
            {
                _log.Write(LogLevel.Warning, "app", "cannot ask the cloud to confirm: the trial waits for the next connect");
            }
        }
    }

    /// <inheritdoc/>
    public void OnDownloadFailed(ConfigOffer offer, DownloadOutcome outcome)
    {
    }

    /// <inheritdoc/>
    public void OnCloudConfirmed()
    {
        _awaitingConfirmation = false;
        _applier.CloudConfirmed();
    }

    /// <inheritdoc/>
    public void OnConfigOffered(ConfigMessage message)
    {
        if (_awaitingConfirmation && message.Kind == ConfigMessageKind.GetReply)
        {
            _awaitingConfirmation = false;
            _applier.CloudConfirmed();
        }
    }

    /// <inheritdoc/>
    public void Report(ConfigResult result)
    {
        if (_service == null || _service.SendResult(result) < 0)
        {
            _log.Write(LogLevel.Warning, "app", "cannot send the result of config " + result.ConfigIdText() + " now");
        }
    }
}
