using CotaFirmware.Config;
using CotaFirmware.Platform;
using CotaFirmware.Timing;

namespace CotaFirmware.Cota;

/// <summary>
/// Downloads one offered config straight into the config store's candidate slot, verified (size, SHA-256 from flash)
/// and resumable across dropped connections and reboots, one bounded step at a time so the caller services MQTT in between.
/// </summary>
/// <remarks>
/// <para>Use: <see cref="Start"/> an offer, then call <see cref="Step"/> from the main loop until it returns something
/// other than <see cref="CotaStatus.Running"/>. <see cref="CotaStatus.Ok"/> means the store holds the offered file,
/// sealed against the offer's sign: <see cref="ConfigApplier.ApplyCandidate"/> takes it from there.</para>
/// <para>A step is one request (it waits for the response headers, at most <see cref="DownloadSettings.TimeoutMs"/>),
/// one wait for body bytes of at most <see cref="DownloadSettings.ReadSliceMs"/> (the body may stay silent for
/// <see cref="DownloadSettings.TimeoutMs"/> in all), one buffer written to flash, one buffer of the final hash, or a
/// look at the clock during a backoff.</para>
/// <para>Power-loss invariant: the bytes go to flash through <see cref="ConfigStore.Append"/>, so what landed is always
/// a prefix of the file, and after a reboot <see cref="ConfigStore.Resume"/> continues from it with a Range request.
/// Nothing is hashed while downloading: <see cref="ConfigStore.Seal"/> hashes the file once, as flash holds it, so a
/// resume costs no re-hash and the check covers what was really written. The progress record only counts attempts
/// without progress (with their last failure), so a reboot loop ends in <see cref="CotaStatus.RetriesExhausted"/> too.</para>
/// <para>Steady state allocates nothing: the URL string is built once per <see cref="Start"/>.</para>
/// </remarks>
public sealed class RangeDownload
{
    /// <summary>The storage area of the attempt record.</summary>
    public const string ProgressArea = "cota.prog";

    private enum Phase
    {
        Idle,
        Resume,
        Request,
        Receive,
        Backoff,
        Seal,
    }

    private readonly IHttpClient _http;
    private readonly ConfigStore _store;
    private readonly IStorage _storage;
    private readonly IClock _clock;
    private readonly DownloadSettings _settings;
    private readonly Backoff _backoff;
    private readonly byte[] _buffer;
    private readonly byte[] _digest = new byte[ConfigOffer.DigestLength];
    private readonly byte[] _id = new byte[ConfigOffer.MaxConfigIdLength];
    private readonly ProgressRecord _record = new ProgressRecord();

    private ConfigOffer _offer;
    private string _url;
    private int _idLength;
    private Phase _phase;
    private CotaStatus _outcome;
    private CotaStatus _lastFailure;
    private ConfigStatus _storeStatus;
    private StorageStatus _storageError;
    private int _httpStatus;
    private int _size;
    private int _offset;
    private int _requests;
    private long _resumeAt;
    private long _lastByteAt;

    /// <summary>Creates a download into <paramref name="store"/> (booted) over the board's <paramref name="http"/> and <paramref name="storage"/> (which holds the attempt record).</summary>
    /// <param name="http">The board's HTTP client.</param>
    /// <param name="store">The config store the bytes go to; its maximum config size bounds the offers.</param>
    /// <param name="storage">The board's storage, for the attempt record.</param>
    /// <param name="clock">The monotonic clock.</param>
    /// <param name="settings">Buffer, timeouts and retries.</param>
    /// <param name="seed">Different on every device (board entropy), for the backoff's jitter.</param>
    public RangeDownload(IHttpClient http, ConfigStore store, IStorage storage, IClock clock, DownloadSettings settings, int seed)
    {
        if (http == null || store == null || storage == null || clock == null || settings == null)
        {
            throw new System.ArgumentNullException();
        }

        if (settings.BufferSize < 16 || settings.MaxAttempts < 1 || settings.ReadSliceMs < 1 || settings.TimeoutMs < settings.ReadSliceMs)
        {
            throw new System.ArgumentOutOfRangeException("settings");
        }

        _http = http;
        _store = store;
        _storage = storage;
        _clock = clock;
        _settings = settings;
        _backoff = new Backoff(settings.BackoffMinMs, settings.BackoffMaxMs, seed);
        _buffer = new byte[settings.BufferSize];
    }

    /// <summary>Told after every step that wrote bytes to flash; may be null.</summary>
    public DownloadProgress Progress;

    /// <summary>Where the download stands: <see cref="CotaStatus.Running"/> or how it ended (<see cref="CotaStatus.None"/> before any).</summary>
    public CotaStatus Outcome => _outcome;

    /// <summary>The last failure seen (also a transient one that was retried), or <see cref="CotaStatus.None"/>.</summary>
    public CotaStatus LastFailure => _lastFailure;

    /// <summary>The store's status when the download ended with <see cref="CotaStatus.StoreFailed"/>.</summary>
    public ConfigStatus StoreStatus => _storeStatus;

    /// <summary>The storage code behind a <see cref="StoreStatus"/> of <see cref="ConfigStatus.StorageFailed"/>: the store's, or the attempt record's.</summary>
    public StorageStatus StorageError => _storageError;

    /// <summary>The last HTTP status received, or the negative <see cref="HttpStatus"/> of the last failed exchange; 0 before any.</summary>
    public int HttpStatusCode => _httpStatus;

    /// <summary>Bytes in flash so far.</summary>
    public long Received => _offset;

    /// <summary>The size being downloaded (the offer's configSize).</summary>
    public long Total => _size;

    /// <summary>Attempts since the last progress, counted across reboots (the bounded quantity).</summary>
    public int Attempts => _record.Attempts;

    /// <summary>HTTP requests sent since <see cref="Start"/>.</summary>
    public int Requests => _requests;

    /// <summary>True while <see cref="Step"/> has work to do.</summary>
    public bool IsRunning => _outcome == CotaStatus.Running;

    /// <summary>Milliseconds until <see cref="Step"/> has work again (a backoff wait); 0 when it has work now.</summary>
    /// <remarks>A driver may service MQTT this long instead of calling <see cref="Step"/> in a tight loop.</remarks>
    public int NextStepInMs
    {
        get
        {
            if (_phase != Phase.Backoff)
            {
                return 0;
            }

            long wait = _resumeAt - _clock.MonotonicMs;
            return wait <= 0 ? 0 : (int)wait;
        }
    }

    /// <summary>
    /// Starts downloading <paramref name="offer"/>, superseding any download in progress. Checks size and scheme at
    /// once; no I/O happens here.
    /// </summary>
    /// <remarks>The download reads <paramref name="offer"/> until it ends.</remarks>
    /// <returns><see cref="CotaStatus.Running"/>, or the refusal that ended it before any request (<see cref="CotaStatus.TooLarge"/>, <see cref="CotaStatus.BadScheme"/>).</returns>
    public CotaStatus Start(ConfigOffer offer)
    {
        if (offer == null || !offer.IsSet)
        {
            throw new System.ArgumentException("offer");
        }

        if (_outcome == CotaStatus.Running)
        {
            _http.Close();
        }

        _offer = offer;
        _url = null;
        _lastFailure = CotaStatus.None;
        _storeStatus = ConfigStatus.Ok;
        _httpStatus = 0;
        _offset = 0;
        _requests = 0;
        _size = offer.Size > int.MaxValue ? int.MaxValue : (int)offer.Size;
        _idLength = offer.CopyConfigId(_id, 0);
        offer.CopyDigest(_digest, 0);
        _record.Attempts = 0;
        if (offer.Size > _store.MaxConfigLength)
        {
            return End(CotaStatus.TooLarge);
        }

        string url = offer.UrlText();
        int scheme = HttpScheme.LengthOf(url.ToCharArray());
        if (scheme == 0 || (scheme == HttpScheme.Plain.Length && !_settings.AllowPlainHttp))
        {
            return End(CotaStatus.BadScheme);
        }

        _url = url;
        _phase = Phase.Resume;
        _outcome = CotaStatus.Running;
        return _outcome;
    }

    /// <summary>Does one bounded unit of work.</summary>
    /// <returns><see cref="CotaStatus.Running"/> while more steps are needed, then the outcome (also in <see cref="Outcome"/>).</returns>
    public CotaStatus Step()
    {
        switch (_phase)
        {
            case Phase.Resume: return StepResume();
            case Phase.Request: return StepRequest();
            case Phase.Receive: return StepReceive();
            case Phase.Backoff:
                if (_clock.MonotonicMs - _resumeAt >= 0)
                {
                    _phase = Phase.Request;
                }

                return _outcome;
            case Phase.Seal: return StepSeal();
            default: return _outcome;
        }
    }

    /// <summary>
    /// Stops the download and forgets its attempts, once its offer ended (or a newer one superseded it); the candidate
    /// slot is left to the next <see cref="ConfigStore.Begin"/>. Until then the attempt record outlives the download, so
    /// the same offer started again after a reboot resumes, or ends at once when its attempts are used up. After a
    /// failure that may pass (<see cref="CotaNames.IsTransient"/>) the record stays with no attempts: the same config
    /// taken again (after an outage, or with a fresh URL) goes on from what landed.
    /// </summary>
    public void Discard()
    {
        _http.Close();
        _record.Attempts = 0;

        // A 416 says what landed does not fit the server's file: that offer taken again starts clean.
        bool keep = CotaNames.IsTransient(_outcome) && _outcome != CotaStatus.StoreFailed && _httpStatus != 416;
        if (!_record.Newer && (!keep || _record.Save(_storage, ProgressArea) != StorageStatus.Ok))
        {
            _storage.Delete(ProgressArea);
        }

        _phase = Phase.Idle;
        _outcome = CotaStatus.None;
    }

    private CotaStatus StepResume()
    {
        // Resume only what this very offer (id, size and sign) left behind; anything else starts clean.
        bool same = _record.Load(_storage, ProgressArea) && _record.Describes(_offer);
        if (_record.Newer)
        {
            // A newer firmware's attempt record is left as it is, so no download can be counted.
            return RecordFailed(StorageStatus.NewerRecord);
        }

        if (same && _record.Attempts >= _settings.MaxAttempts)
        {
            _lastFailure = (CotaStatus)_record.LastFailure;
            _httpStatus = _record.LastHttpStatus;
            return End(CotaStatus.RetriesExhausted);
        }

        ConfigStatus status = same ? _store.Resume(_id, 0, _idLength, _size) : ConfigStatus.NothingToResume;
        if (status == ConfigStatus.NothingToResume)
        {
            status = _store.Begin(_id, 0, _idLength, _size);
            same = false;
        }

        if (status != ConfigStatus.Ok)
        {
            return StoreFailed(status);
        }

        if (!same)
        {
            // The old record is deleted first so that no stale slot can outrank the new one.
            StorageStatus deleted = _storage.Delete(ProgressArea);
            if (deleted != StorageStatus.Ok)
            {
                return RecordFailed(deleted);
            }

            _record.Begin(_offer);
            _record.Sequence = 0;
        }

        _offset = _store.CandidateWritten;
        _phase = _offset == _size ? Phase.Seal : Phase.Request;
        return _outcome;
    }

    private CotaStatus StepRequest()
    {
        // Progress is more landed than any attempt began with (a server that ignores Range may cut at varying points).
        if (_offset > _record.Offset)
        {
            _record.Attempts = 0;
            _record.Offset = _offset;
        }

        _record.Attempts++;
        StorageStatus saved = _record.Save(_storage, ProgressArea);
        if (saved != StorageStatus.Ok)
        {
            return RecordFailed(saved);
        }

        _requests++;
        int status = _http.Get(_url, _offset, _settings.TimeoutMs);
        _httpStatus = status;
        if (status < 0)
        {
            HttpStatus failure = (HttpStatus)status;
            if (failure == HttpStatus.BadUrl)
            {
                return Fail(CotaStatus.BadUrl, false);
            }

            // An untrusted server stays untrusted: no retry within the offer (a later get may offer it again).
            if (failure == HttpStatus.TlsFailed)
            {
                return Fail(CotaStatus.TlsFailed, false);
            }

            return Fail(Transient(failure), true);
        }

        if (status == 206 && _offset > 0)
        {
            if (_http.ContentRangeStart != _offset)
            {
                return Fail(CotaStatus.RangeMismatch, false);
            }
        }
        else if (status == 200)
        {
            if (_offset > 0)
            {
                // The server ignored Range: take the whole file again from byte 0.
                ConfigStatus begun = _store.Begin(_id, 0, _idLength, _size);
                if (begun != ConfigStatus.Ok)
                {
                    _http.Close();
                    return StoreFailed(begun);
                }

                _offset = 0;
            }
        }
        else
        {
            bool transient = status >= 500 || status == 408 || status == 429;
            return Fail(CotaStatus.HttpError, transient);
        }

        // What the head says of the size must agree with the offer's; a chunked body says nothing of it and is held to
        // it as it arrives.
        long length = _http.ContentLength;
        long total = _http.ContentRangeTotal;
        if ((length >= 0 && length != _size - _offset) || (total >= 0 && total != _size))
        {
            return Fail(CotaStatus.SizeMismatch, false);
        }

        _lastByteAt = _clock.MonotonicMs;
        _phase = Phase.Receive;
        return _outcome;
    }

    private CotaStatus StepReceive()
    {
        // One byte more than the file still needs: a body that goes on past the offer's size shows it.
        int left = _size - _offset;
        int n = _http.Read(_buffer, 0, left < _buffer.Length ? left + 1 : _buffer.Length, _settings.ReadSliceMs);
        if (n <= 0)
        {
            HttpStatus failure = (HttpStatus)n;
            if (failure == HttpStatus.Timeout && _clock.MonotonicMs - _lastByteAt < _settings.TimeoutMs)
            {
                // A quiet slice, not yet a timeout: the exchange stays open, back to the loop.
                return _outcome;
            }

            if (left == 0)
            {
                // The body's end, or nothing more (a chunked one cut before its last chunk): the seal checks what landed.
                _http.Close();
                _phase = Phase.Seal;
                return _outcome;
            }

            if (n == 0)
            {
                // A body without a length that ends early says the server's file is shorter than the offer.
                return _http.ContentLength < 0 ? Fail(CotaStatus.SizeMismatch, false) : Fail(CotaStatus.Truncated, true);
            }

            _httpStatus = n;
            return Fail(Transient(failure), true);
        }

        if (n > left)
        {
            return Fail(CotaStatus.SizeMismatch, false);
        }

        ConfigStatus appended = _store.Append(_buffer, 0, n);
        if (appended != ConfigStatus.Ok)
        {
            _http.Close();
            return StoreFailed(appended);
        }

        _lastByteAt = _clock.MonotonicMs;
        _offset += n;
        Report();
        return _outcome;
    }

    private CotaStatus StepSeal()
    {
        ConfigStatus status = _store.Seal(_digest, 0);
        if (status == ConfigStatus.InProgress)
        {
            return _outcome;
        }

        if (status == ConfigStatus.Ok)
        {
            return End(CotaStatus.Ok);
        }

        if (status == ConfigStatus.DigestMismatch)
        {
            _lastFailure = CotaStatus.HashMismatch;
            return End(CotaStatus.HashMismatch);
        }

        if (status == ConfigStatus.LengthMismatch)
        {
            _lastFailure = CotaStatus.SizeMismatch;
            return End(CotaStatus.SizeMismatch);
        }

        return StoreFailed(status);
    }

    private CotaStatus StoreFailed(ConfigStatus status)
    {
        _storeStatus = status;
        _storageError = _store.LastStorageError;
        _lastFailure = CotaStatus.StoreFailed;
        return End(CotaStatus.StoreFailed);
    }

    // A failure that backing off and asking again may cure.
    private static CotaStatus Transient(HttpStatus failure) =>
        failure == HttpStatus.Timeout ? CotaStatus.Timeout : failure == HttpStatus.OutOfMemory ? CotaStatus.OutOfMemory : CotaStatus.ConnectionFailed;

    // The attempt record could not be read, written or deleted.
    private CotaStatus RecordFailed(StorageStatus storage)
    {
        CotaStatus ended = StoreFailed(ConfigStatus.StorageFailed);
        _storageError = storage;
        return ended;
    }

    private CotaStatus Fail(CotaStatus failure, bool transient)
    {
        _http.Close();
        _lastFailure = failure;
        if (!transient)
        {
            return End(failure);
        }

        _record.LastFailure = (int)failure;
        _record.LastHttpStatus = _httpStatus;
        StorageStatus saved = _record.Save(_storage, ProgressArea);
        if (saved != StorageStatus.Ok)
        {
            return RecordFailed(saved);
        }

        if (_record.Attempts >= _settings.MaxAttempts)
        {
            return End(CotaStatus.RetriesExhausted);
        }

        _resumeAt = _clock.MonotonicMs + _backoff.DelayMs(_record.Attempts);
        _phase = Phase.Backoff;
        return _outcome;
    }

    private CotaStatus End(CotaStatus outcome)
    {
        _phase = Phase.Idle;
        _outcome = outcome;
        return outcome;
    }

    private void Report()
    {
        DownloadProgress progress = Progress;
        if (progress != null)
        {
            progress(_offset, _size);
        }
    }
}
