using CotaFirmware.Crypto;
using CotaFirmware.Platform;

namespace CotaFirmware.Cota;

/// <summary>
/// Downloads one offered config into a staging area, verified (size, SHA-256) and resumable across dropped
/// connections and reboots, one bounded step at a time so the caller can service MQTT in between.
/// </summary>
/// <remarks>
/// <para>Use: <see cref="Start"/> an offer, then call <see cref="Step"/> from the main loop until it returns
/// something other than <see cref="DownloadOutcome.Running"/>. A step is one request (waits at most
/// <see cref="DownloadSettings.TimeoutMs"/>), one body buffer, one buffer of re-hashing, or a look at the clock
/// during backoff. Only <see cref="DownloadOutcome.Completed"/> means the staging area holds the offered file.</para>
/// <para>Power-loss invariant: data is written before the progress record that covers it, so the record never
/// claims bytes the staging area lacks. After a reboot the staged prefix is re-hashed from storage through the same
/// buffer instead of persisting a SHA-256 mid-state: the hash contract has no state export, and re-reading checks
/// what flash really holds. It costs one read pass over the prefix, only on resume after a reboot.</para>
/// <para>Steady state allocates nothing: the URL string is built once per <see cref="Start"/>.</para>
/// </remarks>
public sealed class RangeDownload
{
    private const int PhaseIdle = 0;
    private const int PhaseResume = 1;
    private const int PhaseVerify = 2;
    private const int PhaseRequest = 3;
    private const int PhaseReceive = 4;
    private const int PhaseBackoff = 5;
    private const int PhaseFinish = 6;

    private readonly IHttpClient _http;
    private readonly IStorage _storage;
    private readonly HashFunction _hash;
    private readonly IClock _clock;
    private readonly DownloadSettings _settings;
    private readonly byte[] _buffer;
    private readonly byte[] _digest;
    private readonly ProgressRecord _record = new ProgressRecord();

    private ConfigOffer _offer;
    private string _url;
    private int _phase;
    private DownloadOutcome _outcome;
    private DownloadOutcome _lastFailure;
    private int _httpStatus;
    private int _size;
    private int _offset;
    private int _verifyTarget;
    private int _requests;
    private long _resumeAt;

    /// <summary>Creates a download over the board's seams; <paramref name="hash"/> must be SHA-256 (32-byte digest) and is used only by this download.</summary>
    public RangeDownload(IHttpClient http, IStorage storage, HashFunction hash, IClock clock, DownloadSettings settings)
    {
        if (http == null || storage == null || hash == null || clock == null || settings == null)
        {
            throw new System.ArgumentNullException();
        }

        if (hash.HashSize != ConfigOffer.DigestLength)
        {
            throw new System.ArgumentException("hash must produce 32 bytes");
        }

        if (settings.BufferSize < 16 || settings.PersistEveryBytes < 1 || settings.MaxAttempts < 1 || settings.MaxConfigSize < 0)
        {
            throw new System.ArgumentOutOfRangeException("settings");
        }

        _http = http;
        _storage = storage;
        _hash = hash;
        _clock = clock;
        _settings = settings;
        _buffer = new byte[settings.BufferSize];
        _digest = new byte[ConfigOffer.DigestLength];
    }

    /// <summary>Told after every step that staged or re-hashed bytes; may be null.</summary>
    public DownloadProgress Progress;

    /// <summary>Where the download stands: <see cref="DownloadOutcome.Running"/> or how it ended.</summary>
    public DownloadOutcome Outcome
    {
        get { return _outcome; }
    }

    /// <summary>The last failure seen (also a transient one that was retried), or <see cref="DownloadOutcome.None"/>.</summary>
    public DownloadOutcome LastFailure
    {
        get { return _lastFailure; }
    }

    /// <summary>The last HTTP status received, or the negative <see cref="HttpStatus"/> code of the last failed exchange; 0 before any.</summary>
    public int HttpStatusCode
    {
        get { return _httpStatus; }
    }

    /// <summary>Bytes staged (and hashed) so far.</summary>
    public long Received
    {
        get { return _offset; }
    }

    /// <summary>The size being downloaded (the offer's configSize).</summary>
    public long Total
    {
        get { return _size; }
    }

    /// <summary>Attempts since the last persisted progress, counted across reboots (the bounded quantity).</summary>
    public int Attempts
    {
        get { return _record.Attempts; }
    }

    /// <summary>HTTP requests sent since <see cref="Start"/>.</summary>
    public int Requests
    {
        get { return _requests; }
    }

    /// <summary>Milliseconds until <see cref="Step"/> has work again (a backoff wait); 0 when it has work now.</summary>
    /// <remarks>A driver may sleep or service MQTT this long instead of calling <see cref="Step"/> in a tight loop.</remarks>
    public int NextStepInMs
    {
        get
        {
            if (_phase != PhaseBackoff)
            {
                return 0;
            }

            long wait = _resumeAt - _clock.MonotonicMs;
            return wait <= 0 ? 0 : (int)wait;
        }
    }

    /// <summary>True while <see cref="Step"/> has work to do.</summary>
    public bool IsRunning
    {
        get { return _outcome == DownloadOutcome.Running; }
    }

    /// <summary>
    /// Starts downloading <paramref name="offer"/>, superseding any download in progress (whose staged bytes are
    /// discarded unless it is the same config). Checks size and scheme at once; no I/O happens here.
    /// </summary>
    /// <remarks>The download reads <paramref name="offer"/> until it ends: receive a superseding config into a second offer.</remarks>
    /// <returns><see cref="DownloadOutcome.Running"/>, or the failure that ended it before any request.</returns>
    public DownloadOutcome Start(ConfigOffer offer)
    {
        if (offer == null || !offer.IsSet)
        {
            throw new System.ArgumentException("offer");
        }

        if (_outcome == DownloadOutcome.Running)
        {
            _http.Close();
        }

        _offer = offer;
        _url = null;
        _lastFailure = DownloadOutcome.None;
        _httpStatus = 0;
        _offset = 0;
        _requests = 0;
        _size = offer.Size > int.MaxValue ? int.MaxValue : (int)offer.Size;
        _record.Attempts = 0;
        if (offer.Size > _settings.MaxConfigSize)
        {
            return End(DownloadOutcome.TooLarge);
        }

        if (!offer.HasScheme("https") && !(_settings.AllowPlainHttp && offer.HasScheme("http")))
        {
            return End(DownloadOutcome.BadScheme);
        }

        _url = offer.UrlText();
        _phase = PhaseResume;
        _outcome = DownloadOutcome.Running;
        return _outcome;
    }

    /// <summary>Does one bounded unit of work.</summary>
    /// <returns><see cref="DownloadOutcome.Running"/> while more steps are needed, then the outcome (also in <see cref="Outcome"/>).</returns>
    public DownloadOutcome Step()
    {
        switch (_phase)
        {
            case PhaseResume: return StepResume();
            case PhaseVerify: return StepVerify();
            case PhaseRequest: return StepRequest();
            case PhaseReceive: return StepReceive();
            case PhaseBackoff:
                if (_clock.MonotonicMs - _resumeAt >= 0)
                {
                    _phase = PhaseRequest;
                }

                return _outcome;
            case PhaseFinish: return StepFinish();
            default: return _outcome;
        }
    }

    /// <summary>Stops the download (a newer config superseded it) and discards its staged bytes and progress.</summary>
    public void Cancel()
    {
        bool wasRunning = _outcome == DownloadOutcome.Running;
        Discard();
        if (wasRunning)
        {
            _outcome = DownloadOutcome.Cancelled;
        }
    }

    /// <summary>Deletes the staging area and progress record (for example once a completed config has been stored elsewhere).</summary>
    public void Discard()
    {
        _http.Close();
        _storage.Delete(_settings.StagingArea);
        _storage.Delete(_settings.ProgressArea);
        _phase = PhaseIdle;
        _offset = 0;
        _outcome = DownloadOutcome.None;
    }

    private DownloadOutcome StepResume()
    {
        _hash.Reset();
        _offset = 0;
        if (_record.Load(_storage, _settings.ProgressArea) && _record.Describes(_offer))
        {
            if (_record.Attempts >= _settings.MaxAttempts)
            {
                _lastFailure = (DownloadOutcome)_record.LastFailure;
                _httpStatus = _record.LastHttpStatus;
                return End(DownloadOutcome.RetriesExhausted);
            }

            _verifyTarget = _record.Offset;
            _phase = _verifyTarget > 0 ? PhaseVerify : PhaseRequest;
            return _outcome;
        }

        // No record, a torn one, or another config's: start clean. The record is deleted first so that no
        // stale slot can outrank the new one.
        if (_storage.Delete(_settings.ProgressArea) != StorageStatus.Ok
            || _storage.Truncate(_settings.StagingArea, 0) != StorageStatus.Ok)
        {
            return End(DownloadOutcome.StorageFailed);
        }

        _record.Begin(_offer);
        _record.Sequence = 0;
        _phase = PhaseRequest;
        return _outcome;
    }

    private DownloadOutcome StepVerify()
    {
        int want = _verifyTarget - _offset;
        if (want > _buffer.Length)
        {
            want = _buffer.Length;
        }

        int n = _storage.Read(_settings.StagingArea, _offset, _buffer, 0, want);
        if (n <= 0)
        {
            // The staged prefix is shorter than the record says (should not happen): restart from 0.
            _hash.Reset();
            _offset = 0;
            _record.Offset = 0;
            if (_record.Save(_storage, _settings.ProgressArea) != StorageStatus.Ok)
            {
                return End(DownloadOutcome.StorageFailed);
            }

            _phase = PhaseRequest;
            return _outcome;
        }

        _hash.Update(_buffer, 0, n);
        _offset += n;
        Report();
        if (_offset == _verifyTarget)
        {
            _phase = _offset == _size ? PhaseFinish : PhaseRequest;
        }

        return _outcome;
    }

    private DownloadOutcome StepRequest()
    {
        if (_offset > _record.Offset)
        {
            _record.Attempts = 0;
        }

        _record.Offset = _offset;
        _record.Attempts++;
        if (_record.Save(_storage, _settings.ProgressArea) != StorageStatus.Ok)
        {
            return End(DownloadOutcome.StorageFailed);
        }

        _requests++;
        int status = _http.Get(_url, _offset, _settings.TimeoutMs);
        _httpStatus = status;
        if (status < 0)
        {
            if (status == (int)HttpStatus.BadUrl)
            {
                return Fail(DownloadOutcome.BadUrl, false);
            }

            return Fail(status == (int)HttpStatus.Timeout ? DownloadOutcome.Timeout : DownloadOutcome.ConnectionFailed, true);
        }

        if (status == 206 && _offset > 0)
        {
            if (_http.ContentRangeStart != _offset)
            {
                return Fail(DownloadOutcome.RangeMismatch, false);
            }
        }
        else if (status == 200)
        {
            if (_offset > 0)
            {
                // The server ignored Range: take the whole file again from byte 0.
                _hash.Reset();
                _offset = 0;
                _record.Offset = 0;
                if (_record.Save(_storage, _settings.ProgressArea) != StorageStatus.Ok)
                {
                    return End(DownloadOutcome.StorageFailed);
                }
            }
        }
        else
        {
            bool transient = status >= 500 || status == 408 || status == 429;
            return Fail(DownloadOutcome.HttpError, transient);
        }

        if (_http.ContentLength != _size - _offset)
        {
            return Fail(DownloadOutcome.SizeMismatch, false);
        }

        _phase = PhaseReceive;
        return _outcome;
    }

    private DownloadOutcome StepReceive()
    {
        int want = _size - _offset;
        if (want == 0)
        {
            _http.Close();
            _phase = PhaseFinish;
            return _outcome;
        }

        if (want > _buffer.Length)
        {
            want = _buffer.Length;
        }

        int n = _http.Read(_buffer, 0, want, _settings.TimeoutMs);
        if (n <= 0)
        {
            if (n == 0)
            {
                return Fail(DownloadOutcome.Truncated, true);
            }

            _httpStatus = n;
            return Fail(n == (int)HttpStatus.Timeout ? DownloadOutcome.Timeout : DownloadOutcome.ConnectionFailed, true);
        }

        if (n > want)
        {
            return Fail(DownloadOutcome.SizeMismatch, false);
        }

        if (_storage.Write(_settings.StagingArea, _offset, _buffer, 0, n) != StorageStatus.Ok)
        {
            return Fail(DownloadOutcome.StorageFailed, false);
        }

        _hash.Update(_buffer, 0, n);
        _offset += n;
        if (_offset == _size || _offset - _record.Offset >= _settings.PersistEveryBytes)
        {
            // Data first, then the record that covers it.
            _record.Offset = _offset;
            _record.Attempts = 0;
            if (_record.Save(_storage, _settings.ProgressArea) != StorageStatus.Ok)
            {
                return Fail(DownloadOutcome.StorageFailed, false);
            }
        }

        Report();
        if (_offset == _size)
        {
            _http.Close();
            _phase = PhaseFinish;
        }

        return _outcome;
    }

    private DownloadOutcome StepFinish()
    {
        _hash.Final(_digest, 0);
        if (_storage.Length(_settings.StagingArea) != _size)
        {
            return Discarded(DownloadOutcome.SizeMismatch);
        }

        if (!_offer.DigestEquals(_digest, 0))
        {
            return Discarded(DownloadOutcome.HashMismatch);
        }

        return End(DownloadOutcome.Completed);
    }

    private DownloadOutcome Discarded(DownloadOutcome outcome)
    {
        _storage.Delete(_settings.StagingArea);
        _storage.Delete(_settings.ProgressArea);
        _offset = 0;
        _lastFailure = outcome;
        return End(outcome);
    }

    private DownloadOutcome Fail(DownloadOutcome failure, bool transient)
    {
        _http.Close();
        _lastFailure = failure;
        if (!transient)
        {
            return End(failure);
        }

        _record.LastFailure = (int)failure;
        _record.LastHttpStatus = _httpStatus;
        if (_record.Save(_storage, _settings.ProgressArea) != StorageStatus.Ok)
        {
            return End(DownloadOutcome.StorageFailed);
        }

        if (_record.Attempts >= _settings.MaxAttempts)
        {
            return End(DownloadOutcome.RetriesExhausted);
        }

        long delay = _settings.BackoffBaseMs;
        for (int i = 1; i < _record.Attempts && delay < _settings.BackoffMaxMs; i++)
        {
            delay *= 2;
        }

        if (delay > _settings.BackoffMaxMs)
        {
            delay = _settings.BackoffMaxMs;
        }

        _resumeAt = _clock.MonotonicMs + delay;
        _phase = PhaseBackoff;
        return _outcome;
    }

    private DownloadOutcome End(DownloadOutcome outcome)
    {
        _phase = PhaseIdle;
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
