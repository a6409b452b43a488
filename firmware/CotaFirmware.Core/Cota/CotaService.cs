using CotaFirmware.Config;
using CotaFirmware.Crypto;
using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Platform;
using CotaFirmware.Text;
using CotaFirmware.Timing;

namespace CotaFirmware.Cota;

/// <summary>
/// COTA over LinkKit, the one owner of a config offer from its ack to its result: takes pushes and get_replies,
/// acknowledges every push, decides what is new, downloads into the config store, has the applier validate and apply
/// it, runs the trial until contact with the cloud confirms it, and keeps every result in flash until the cloud has it.
/// </summary>
/// <remarks>
/// <para><b>Invariant.</b> Every offer the device accepts (a push acked 200, or a get_reply taken) ends in exactly one
/// result: applied, rejected, rolled_back, superseded or failed, with the reason (<see cref="CotaStatus"/>). The offer is
/// written to flash (<see cref="OfferRecord"/>) before a push is acked; its result is written to the
/// <see cref="ResultLog"/> before the offer is let go; a rollback records its reason before the store rolls back. So
/// after a power cut at any step the next <see cref="Start"/> finds either the result or the offer, and derives the rest
/// from the config store (committed, confirmed, rolled back by the boot-loop guard). Results are sent oldest first
/// after every connect, across reboots. A get_reply the device refuses (a bad field, too large) is a result too.</para>
/// <para><b>Freshness.</b> After every (re)connect the service sends thing.config.get. An offer of the active config, of
/// the one being downloaded, or of a config that already ended (same configId and sign; the log remembers the last
/// <see cref="CotaSettings.ResultSlots"/>) is not taken again, unless it ended for a reason that may pass
/// (<see cref="CotaNames.IsTransient"/>) and a get_reply offers it. A newer offer supersedes a download in progress.</para>
/// <para><b>Trial.</b> A committed config is confirmed by the first proof of contact with the cloud after it was applied:
/// any message from the cloud (a get_reply of any code, a push, the reply to a result event) or a new connection the
/// broker accepts. While none has come, thing.config.get is sent again with backoff. At the deadline a device still
/// connected (its broker kept the session alive through the trial: a plain broker such as mosquitto answers no get)
/// confirms it; a device that is offline rolls it back (<see cref="CotaStatus.DeadlineWithoutContact"/>). An offer
/// during a trial is itself a message from the cloud, so the trial is confirmed before the offer is considered: no
/// verified config waits behind a trial, and none is dropped.</para>
/// <para>One thread: <see cref="Step"/> is called from the loop between <see cref="LinkkitDevice.Yield"/> calls, and
/// every message callback runs inside Yield or Connect. Handling a message allocates nothing; a download allocates its
/// url string once; log lines allocate.</para>
/// </remarks>
public sealed class CotaService : ITopicHandler, IReplyHandler, IJsonMembers
{
    /// <summary>The push topic suffix (cloud to device).</summary>
    public const string PushSuffix = "thing/config/push";

    /// <summary>The push ack topic suffix (device to cloud).</summary>
    public const string PushReplySuffix = "thing/config/push_reply";

    /// <summary>The get request topic suffix; replies arrive on <c>get_reply</c>.</summary>
    public const string GetSuffix = "thing/config/get";

    /// <summary>The get request's method.</summary>
    public const string GetMethod = "thing.config.get";

    private const string Area = "cota";
    private const int StageIdle = 0;
    private const int StageWaiting = 1;
    private const int StageDownloading = 2;
    private const int StageTrial = 3;

    // A result's JSON: configId (up to 64 bytes, escaped), status, reason and the errors a config may have.
    private const int ResultCapacity = 900;

    // The get request's params, as bytes (its other names and the push_reply's are ConfigMessage's).
    private static readonly byte[] ConfigScopeName = Utf8.GetBytes("configScope");
    private static readonly byte[] ProductValue = Utf8.GetBytes("product");

    private readonly LinkkitDevice _device;
    private readonly ConfigStore _store;
    private readonly ConfigApplier _applier;
    private readonly RangeDownload _download;
    private readonly IStorage _storage;
    private readonly CotaSettings _settings;
    private readonly IClock _clock;
    private readonly System.Random _random;
    private readonly Backoff _retry;
    private readonly ILog _log;
    private readonly ConfigMessage _message;
    private readonly ConfigOffer _offer;
    private readonly OfferRecord _journal = new OfferRecord();
    private readonly ResultLog _results;
    private readonly byte[] _id = new byte[ConfigOffer.MaxConfigIdLength];
    private readonly byte[] _digest = new byte[ConfigOffer.DigestLength];
    private readonly int _pushTopic;
    private readonly int _pushReplyTopic;
    private readonly int _getTopic;

    private bool _started;
    private uint _lastSequence;
    private int _stage;
    private long _startAt;

    // The trial.
    private long _trialDeadline;
    private long _probeAt;
    private int _probeFailures;
    private int _probeId;
    private bool _confirmDue;
    private int _downloadsStarted;
    private int _lastAckCode;
    private CotaStatus _lastResult;
    private StorageStatus _storageError; // what a StorageFailed result names: the store's, the offer record's or the attempt record's


    /// <summary>
    /// Defines the COTA topics on <paramref name="device"/> (before <see cref="LinkkitDevice.Connect"/>) and sends a get
    /// at every connect. Call <see cref="Start"/> once per boot, then <see cref="Step"/> from the loop.
    /// </summary>
    /// <param name="device">The opened LinkKit device.</param>
    /// <param name="store">The config store (booted by <see cref="Start"/> through the applier).</param>
    /// <param name="applier">The applier over that store and the modules.</param>
    /// <param name="download">The download into that store.</param>
    /// <param name="storage">The board's storage, for the accepted offer and the results.</param>
    /// <param name="settings">url bound, jitter, get timeout, trial deadline, retries, result slots and event.</param>
    /// <param name="clock">The monotonic clock.</param>
    /// <param name="seed">Different on every device (board entropy): draws the start jitter and the retry waits.</param>
    /// <param name="log">The log.</param>
    /// <exception cref="System.ArgumentNullException">A part is null.</exception>
    /// <exception cref="System.InvalidOperationException">The device's topic table has no room for the COTA topics.</exception>
    public CotaService(LinkkitDevice device, ConfigStore store, ConfigApplier applier, RangeDownload download, IStorage storage,
        CotaSettings settings, IClock clock, int seed, ILog log)
    {
        if (device == null || store == null || applier == null || download == null || storage == null || settings == null
            || clock == null || log == null)
        {
            throw new System.ArgumentNullException(device == null ? "device" : store == null ? "store" : applier == null ? "applier"
                : download == null ? "download" : storage == null ? "storage" : settings == null ? "settings"
                : clock == null ? "clock" : "log");
        }

        _device = device;
        _store = store;
        _applier = applier;
        _download = download;
        _storage = storage;
        _settings = settings;
        _clock = clock;
        _random = new System.Random(seed);
        _retry = new Backoff(settings.RetryMinMs, settings.RetryMaxMs, seed);
        _log = log;
        _message = new ConfigMessage(settings.MaxUrlLength);
        _offer = new ConfigOffer(settings.MaxUrlLength);
        _pushTopic = device.Route(PushSuffix, this);
        _pushReplyTopic = device.DefineTopic(PushReplySuffix);
        _getTopic = device.DefineRequest(GetSuffix, GetMethod, this);
        int resultTopic = device.DefineEvent(settings.ResultEventIdentifier);
        if (_pushTopic < 0 || _pushReplyTopic < 0 || _getTopic < 0 || resultTopic < 0)
        {
            throw new System.InvalidOperationException("cannot define the COTA topics (topic table full or bad event identifier)");
        }

        _results = new ResultLog(storage, settings.ResultSlots, ResultCapacity, device, resultTopic, _retry, clock, log);

        device.Connected += OnConnected;
    }

    /// <summary>The seed's COTA callback, told of every valid offer; optional.</summary>
    public IConfigOfferListener OfferListener { get; set; }

    /// <summary>True while a download waits for its start or runs.</summary>
    public bool IsBusy => _stage == StageWaiting || _stage == StageDownloading;

    /// <summary>True while a committed config waits for proof of contact with the cloud.</summary>
    public bool IsOnTrial => _stage == StageTrial;

    /// <summary>True once a config asked for a reboot: stop stepping and restart the board.</summary>
    public bool RebootRequested => _applier.RebootRequested;

    /// <summary>The message most recently parsed (its fields stay until the next message).</summary>
    public ConfigMessage LastMessage => _message;

    /// <summary>How many downloads were started (tests and diagnostics).</summary>
    public int DownloadsStarted => _downloadsStarted;

    /// <summary>The code of the last push_reply sent (0 before any).</summary>
    public int LastAckCode => _lastAckCode;

    /// <summary>Why the last offer ended (<see cref="CotaStatus.Ok"/>: applied; <see cref="CotaStatus.None"/> before any).</summary>
    public CotaStatus LastResult => _lastResult;

    /// <summary>How many results wait in flash for the cloud.</summary>
    public int PendingResults => _results.Unsent;

    /// <summary>Milliseconds until <see cref="Step"/> has work (0: now); -1 when nothing is scheduled.</summary>
    public int NextStepInMs
    {
        get
        {
            long now = _clock.MonotonicMs;
            long next = -1;
            if (_stage == StageWaiting)
            {
                next = _startAt;
            }
            else if (_stage == StageDownloading)
            {
                next = now + _download.NextStepInMs;
            }
            else if (_stage == StageTrial)
            {
                next = _probeId == 0 && _probeAt < _trialDeadline ? _probeAt : _trialDeadline;
            }

            long send = _results.NextSendAt;
            if (send >= 0 && (next < 0 || send < next))
            {
                next = send;
            }

            if (next < 0)
            {
                return -1;
            }

            long wait = next - now;
            return wait <= 0 ? 0 : wait > int.MaxValue ? int.MaxValue : (int)wait;
        }
    }

    /// <summary>
    /// Boots the config (the applier applies the active one) and picks up what the last boot left: a download to resume,
    /// a trial to run, a rollback to finish, results to send.
    /// </summary>
    public void Start()
    {
        if (_started)
        {
            return;
        }

        _started = true;
        ConfigStatus boot = _applier.Boot();
        if (boot != ConfigStatus.Ok && boot != ConfigStatus.ModuleFailed)
        {
            Log(LogLevel.Error, "config store boot: " + ConfigNames.Of(boot));
        }

        _results.Load();
        bool found = _journal.Load(_storage, _offer);
        _lastSequence = StoredBytes.IsAfter(_results.HighestSequence, _journal.Sequence) ? _results.HighestSequence : _journal.Sequence;
        string newer = (_store.HoldsNewerRecord ? ", config store" : "") + (_journal.Newer ? ", offer" : "") + (_results.Newer > 0 ? ", results" : "");
        if (newer.Length > 0)
        {
            // Never overwritten: an offer that needs one fails, and its result says so.
            Log(LogLevel.Warning, "flash holds records of a newer firmware (" + newer.Substring(2) + "): they are left as they are, and an offer that needs one fails");
        }

        if (found && _journal.Stage != OfferRecord.StageNone)
        {
            Resume(boot);
        }
        else if (_store.IsOnTrial)
        {
            Adopt(boot);
        }

        if (_results.Unsent > 0)
        {
            Log(LogLevel.Info, _results.Unsent.ToString() + " config results wait for the cloud");
        }
    }

    /// <summary>What the result log in <paramref name="storage"/> says became of config <paramref name="configId"/>,
    /// read without a device and without writing (for tools that inspect a device's flash): the reason of its newest
    /// result (<see cref="CotaStatus.Ok"/>: applied), or <see cref="CotaStatus.None"/> when the log holds none.</summary>
    public static CotaStatus StoredResult(IStorage storage, CotaSettings settings, byte[] configId, int offset, int count)
    {
        ResultLog results = new ResultLog(storage, settings.ResultSlots, ResultCapacity, null, 0, null, null, null);
        results.Load();
        return results.Find(configId, offset, count, null);
    }

    /// <summary>Sends thing.config.get (done at every connect and as a contact probe during a trial); the reply is handled like a push, without an ack.</summary>
    /// <returns>The request id, or a negative <see cref="LinkkitStatus"/> code.</returns>
    public int RequestConfig() => _device.Query(_getTopic, this, this, _settings.GetTimeoutMs);

    /// <summary>Does one bounded unit of work: a download's start or step, the trial's probe or deadline, and one result send.</summary>
    public void Step()
    {
        if (!_started)
        {
            Start();
        }

        if (_applier.RebootRequested)
        {
            return;
        }

        long now = _clock.MonotonicMs;
        if (_stage == StageWaiting || _stage == StageDownloading)
        {
            StepDownload(now);
        }
        else if (_stage == StageTrial)
        {
            StepTrial(now);
        }

        if (!_applier.RebootRequested)
        {
            _results.Send();
            if (_results.TakeAnswer())
            {
                Contact();
            }
        }
    }

    /// <summary>
    /// Answers a message that was larger than the MQTT receive buffer, from the part of it that fit: a push whose id can
    /// be read gets a 400 push_reply; a get_reply is reported as a result (<see cref="CotaStatus.MessageTooLarge"/>).
    /// </summary>
    /// <param name="topic">The route it arrived on (a handle from this service's topics).</param>
    /// <param name="totalSize">The message's whole size in bytes, or 0 when not known (a reply matched to its request).</param>
    /// <param name="prefix">The buffer holding the start of its payload.</param>
    /// <param name="offset">Where the payload starts.</param>
    /// <param name="count">How many payload bytes fit.</param>
    public void OnOversize(int topic, int totalSize, byte[] prefix, int offset, int count)
    {
        bool push = topic == _pushTopic;
        if (!push && topic != _getTopic)
        {
            return;
        }

        Contact();
        ConfigMessageKind kind = push ? ConfigMessageKind.Push : ConfigMessageKind.GetReply;
        _message.ParsePrefix(kind, prefix, offset, count, totalSize);
        Log(LogLevel.Warning, (push ? "push" : "get_reply") + (totalSize > 0 ? " of " + totalSize.ToString() + " bytes" : string.Empty) + " is larger than the receive buffer: "
            + (push ? (_message.IdTokenLength > 0 ? "answered 400" : "no id in the part that fit: not answered") : "reported as a result"));
        if (push)
        {
            if (_message.IdTokenLength > 0)
            {
                Ack(CotaStatus.MessageTooLarge, "message of " + totalSize.ToString() + " bytes exceeds the device's receive buffer");
            }

            return;
        }

        if (_probeId != 0)
        {
            _probeId = 0;
        }

        // Like every refusal of a get_reply: one result per config, not one per connect.
        if (!SeenBefore(CotaStatus.MessageTooLarge))
        {
            RecordRefusal(CotaStatus.MessageTooLarge);
        }
    }

    /// <inheritdoc/>
    void IJsonMembers.WriteMembers(JsonWriter writer)
    {
        writer.WriteProperty(ConfigScopeName, ProductValue);
        writer.WriteProperty(ConfigMessage.GetTypeName, ConfigMessage.FileValue);
    }

    /// <inheritdoc/>
    void ITopicHandler.OnTopicMessage(LinkkitDevice device, int topic, byte[] payload, int offset, int count)
    {
        if (topic == _pushTopic)
        {
            OnPush(payload, offset, count);
        }
        else if (topic == _getTopic)
        {
            // A get_reply that no request waits for any more (late, or repeated): still a valid answer.
            OnGetReply(payload, offset, count);
        }
    }

    /// <inheritdoc/>
    void ITopicHandler.OnTopicOversize(LinkkitDevice device, int topic, int size, byte[] prefix, int offset, int count)
    {
        OnOversize(topic, size, prefix, offset, count);
    }

    /// <inheritdoc/>
    void IReplyHandler.OnReply(LinkkitDevice device, int requestId, ReplyStatus status, int code, byte[] payload, int offset, int count)
    {
        if (requestId == _probeId)
        {
            _probeId = 0;
            if (status != ReplyStatus.Replied)
            {
                _probeAt = _clock.MonotonicMs + _retry.DelayMs(++_probeFailures);
            }
        }

        if (status == ReplyStatus.Replied)
        {
            OnGetReply(payload, offset, count);
        }
        else if (status == ReplyStatus.TimedOut)
        {
            Log(LogLevel.Warning, "thing.config.get got no reply in time");
        }
        else if (status == ReplyStatus.TooLarge)
        {
            // LinkKit matched the reply by the id in its prefix; its whole size is not known here.
            OnOversize(_getTopic, 0, payload, offset, count);
        }
    }

    private void OnConnected(LinkkitDevice device)
    {
        _results.OnConnected();

        // A connection the broker accepted with the config in force proves contact.
        Contact();
        int id = RequestConfig();
        if (id < 0)
        {
            Log(LogLevel.Warning, "cannot send thing.config.get: " + LinkkitNames.Of((LinkkitStatus)id));
        }
        else if (_stage == StageTrial)
        {
            _probeId = id;
        }
    }

    private void OnPush(byte[] payload, int offset, int count)
    {
        Contact();
        CotaStatus status = _message.Parse(ConfigMessageKind.Push, payload, offset, count, _store.MaxConfigLength);
        if (status == CotaStatus.Ok)
        {
            Consider(false);
        }
        else if (status == CotaStatus.TooLarge)
        {
            // Refused in the ack, and reported as a result once (the cloud learns the device's limit).
            Log(LogLevel.Warning, _message.Problem);
            if (!SeenBefore(status))
            {
                RecordRefusal(status);
            }
        }
        else
        {
            Log(LogLevel.Warning, "push refused: " + _message.Problem);
        }

        Ack(status, _message.Problem);
    }

    private void OnGetReply(byte[] payload, int offset, int count)
    {
        Contact();
        CotaStatus status = _message.Parse(ConfigMessageKind.GetReply, payload, offset, count, _store.MaxConfigLength);
        if (status == CotaStatus.NoConfig)
        {
            Log(LogLevel.Info, _message.Code == 6710 ? "get_reply 6710: no config published"
                : _message.Code == 6713 ? "get_reply 6713: remote config not available" : "get_reply without a config (code not 200)");
        }
        else if (status == CotaStatus.Ok)
        {
            Consider(true);
        }
        else
        {
            // No push_reply exists for a get_reply: the refusal goes to the cloud as a result, once.
            Log(LogLevel.Warning, "get_reply refused: " + _message.Problem);
            if (!SeenBefore(status))
            {
                RecordRefusal(status);
            }
        }
    }

    // Any sign that the cloud reaches the device: confirms a config on trial.
    private void Contact()
    {
        if (_stage == StageTrial && !_applier.RebootRequested)
        {
            ConfirmTrial();
        }
    }

    // Decides what to do with a valid parsed offer; accepting it writes it to flash before the push is acked.
    private void Consider(bool fromGet)
    {
        ConfigMessage m = _message;
        IConfigOfferListener listener = OfferListener;
        if (listener != null)
        {
            listener.OnConfigOffered(m);
        }

        if (_store.ActiveConfigIdEquals(m.ConfigId, 0, m.ConfigIdLength))
        {
            Log(LogLevel.Info, "config " + m.ConfigIdText() + " already applied");
            return;
        }

        if (IsBusy && _offer.ConfigIdEquals(m.ConfigId, 0, m.ConfigIdLength))
        {
            Log(LogLevel.Info, "config " + m.ConfigIdText() + " already being downloaded");
            return;
        }

        Hex.Decode(m.Sign, 0, ConfigMessage.SignLength, _digest, 0);
        CotaStatus before = _results.Find(m.ConfigId, 0, m.ConfigIdLength, _digest);
        if (before != CotaStatus.None && !(fromGet && CotaNames.IsTransient(before)))
        {
            // A transient failure is retried from a get_reply (every connect asks), not from a repeated push.
            Log(LogLevel.Info, "config " + m.ConfigIdText() + " ended before (" + CotaNames.Of(before) + "): not taken again");
            return;
        }

        if (_stage == StageTrial)
        {
            // The offer itself was contact, but the store could not confirm the trial: the offer cannot be staged now.
            // The trial keeps its record; the offer gets its result, and a later get_reply may offer it again.
            RecordRefusal(CotaStatus.StoreFailed, ConfigStatus.TrialInProgress);
            return;
        }

        if (IsBusy)
        {
            _download.Discard();
            Log(LogLevel.Info, "config " + m.ConfigIdText() + " supersedes the download of " + OfferIdText());
            Conclude(CotaStatus.Superseded, ConfigStatus.Ok);
        }

        _journal.Sequence = ++_lastSequence;
        _journal.Stage = OfferRecord.StageAccepted;
        _journal.Reason = CotaStatus.None;
        m.CopyTo(_offer);
        StorageStatus saved = _journal.Save(_storage, _offer);
        if (saved != StorageStatus.Ok)
        {
            Log(LogLevel.Error, "config " + OfferIdText() + " (offer " + _journal.Sequence.ToString() + ") not written to flash: " + PlatformNames.Of(saved));
            _storageError = saved;
            Conclude(CotaStatus.StoreFailed, ConfigStatus.StorageFailed);
            return;
        }

        _stage = StageWaiting;
        int jitter = _settings.StartJitterMs > 0 ? _random.Next(_settings.StartJitterMs + 1) : 0;
        _startAt = _clock.MonotonicMs + jitter;
        Log(LogLevel.Info, "config " + OfferIdText() + " accepted as offer " + _journal.Sequence.ToString()
            + (jitter > 0 ? ": download in " + jitter.ToString() + " ms" : ""));
    }

    private void StepDownload(long now)
    {
        if (_stage == StageWaiting)
        {
            if (now - _startAt >= 0)
            {
                _stage = StageDownloading;
                _downloadsStarted++;
                CotaStatus started = _download.Start(_offer);
                if (started != CotaStatus.Running)
                {
                    DownloadEnded(started);
                }
            }
        }
        else
        {
            CotaStatus outcome = _download.Step();
            if (outcome != CotaStatus.Running)
            {
                DownloadEnded(outcome);
            }
        }
    }

    private void DownloadEnded(CotaStatus outcome)
    {
        if (outcome != CotaStatus.Ok)
        {
            Log(LogLevel.Warning, "config " + OfferIdText() + " download failed: " + CotaNames.Of(outcome)
                + (outcome == CotaStatus.RetriesExhausted ? " (last: " + CotaNames.Of(_download.LastFailure) + ")" : ""));
            _storageError = _download.StorageError;
            Conclude(outcome, _download.StoreStatus);
            _download.Discard();
            return;
        }

        _download.Discard();

        Log(LogLevel.Info, "config " + OfferIdText() + " downloaded, verified and sealed in the store");
        ConfigStatus applied = _applier.ApplyCandidate();
        if (applied == ConfigStatus.Ok)
        {
            if (!_applier.RebootRequested)
            {
                StartTrial(_clock.MonotonicMs);
            }
        }
        else if (applied == ConfigStatus.Rejected)
        {
            Conclude(CotaStatus.Rejected, ConfigStatus.Ok);
        }
        else if (applied == ConfigStatus.ModuleFailed)
        {
            RollBackTrial(CotaStatus.ModuleFailed);
        }
        else
        {
            _storageError = _store.LastStorageError;
            Conclude(CotaStatus.StoreFailed, applied);
        }
    }

    private void StartTrial(long now)
    {
        _stage = StageTrial;
        _trialDeadline = now + _settings.TrialDeadlineMs;
        _probeAt = now;
        _probeFailures = 0;
        _probeId = 0;
        _confirmDue = false;
        Log(LogLevel.Info, "config " + OfferIdText() + " on trial: the first contact with the cloud confirms it; offline for "
            + _settings.TrialDeadlineMs.ToString() + " ms rolls it back");
    }

    private void StepTrial(long now)
    {
        if (_confirmDue)
        {
            if (now - _probeAt >= 0)
            {
                ConfirmTrial();
            }

            return;
        }

        if (now - _trialDeadline >= 0)
        {
            if (_device.IsConnected)
            {
                Log(LogLevel.Info, "config " + OfferIdText() + ": no answer from the cloud, but the connection held through the trial");
                ConfirmTrial();
            }
            else
            {
                RollBackTrial(CotaStatus.DeadlineWithoutContact);
            }

            return;
        }

        if (_device.IsConnected && _probeId == 0 && now - _probeAt >= 0)
        {
            int id = RequestConfig();
            if (id > 0)
            {
                _probeId = id;
            }
            else
            {
                _probeAt = now + _retry.DelayMs(++_probeFailures);
            }
        }
    }

    private void ConfirmTrial()
    {
        ConfigStatus status = _applier.Confirm();
        if (status == ConfigStatus.Ok || status == ConfigStatus.NotOnTrial)
        {
            Conclude(CotaStatus.Ok, ConfigStatus.Ok);
            return;
        }

        // The store could not save it: try again after a wait; the deadline and the boot count still stand behind it.
        _confirmDue = true;
        _probeAt = _clock.MonotonicMs + _retry.DelayMs(++_probeFailures);
    }

    // Records the reason, the result, then rolls back: after a cut at any point, the next Start finishes it.
    private void RollBackTrial(CotaStatus reason)
    {
        _stage = StageTrial;
        _journal.Stage = OfferRecord.StageRollingBack;
        _journal.Reason = reason;
        StorageStatus saved = _journal.Save(_storage, _offer);
        if (saved != StorageStatus.Ok)
        {
            Log(LogLevel.Error, "rollback reason not written to flash: " + PlatformNames.Of(saved));
        }

        AddResult(reason, ConfigStatus.Ok);
        _applier.RollBack();
        if (!_applier.RebootRequested)
        {
            ClearOffer();
        }
    }

    // The offer ended: its result goes to flash, then the offer is let go.
    private void Conclude(CotaStatus reason, ConfigStatus storeStatus)
    {
        AddResult(reason, storeStatus);
        ClearOffer();
    }

    private void ClearOffer()
    {
        _stage = StageIdle;
        _journal.Stage = OfferRecord.StageNone;
        StorageStatus saved = _journal.Save(_storage, _offer);
        if (saved != StorageStatus.Ok)
        {
            Log(LogLevel.Warning, "offer not cleared in flash: " + PlatformNames.Of(saved) + " (the next boot finds its result)");
        }
    }

    private void AddResult(CotaStatus reason, ConfigStatus storeStatus)
    {
        _lastResult = reason;
        int idLength = _offer.CopyConfigId(_id, 0);
        _offer.CopyDigest(_digest, 0);
        JsonWriter w = _results.Begin();
        WriteResult(w, _journal.Sequence, _id, idLength, reason, storeStatus);
        Keep(_journal.Sequence, _id, idLength, _digest, reason);
    }

    // A refused offer (from the last parsed message) that the cloud hears of as a result: not accepted, never downloaded.
    private void RecordRefusal(CotaStatus reason)
    {
        RecordRefusal(reason, ConfigStatus.Ok);
    }

    private void RecordRefusal(CotaStatus reason, ConfigStatus storeStatus)
    {
        ConfigMessage m = _message;
        int idLength = m.ConfigIdLength > 0 ? m.ConfigIdLength : 0;
        bool signed = m.Status == CotaStatus.Ok || m.Status == CotaStatus.TooLarge;
        if (signed)
        {
            Hex.Decode(m.Sign, 0, ConfigMessage.SignLength, _digest, 0);
        }

        uint sequence = ++_lastSequence;
        JsonWriter w = _results.Begin();
        WriteResult(w, sequence, m.ConfigId, idLength, reason, storeStatus);
        Keep(sequence, m.ConfigId, idLength, signed ? _digest : null, reason);
    }

    // True when the log's newest result for the message's configId already carries this reason.
    private bool SeenBefore(CotaStatus reason)
    {
        ConfigMessage m = _message;
        return _results.Find(m.ConfigId, 0, m.ConfigIdLength > 0 ? m.ConfigIdLength : 0, null) == reason;
    }

    private void Keep(uint sequence, byte[] id, int idLength, byte[] digest, CotaStatus reason)
    {
        StorageStatus kept = _results.Add(sequence, id, idLength, digest, reason);
        string text = "config " + Utf8.GetString(id, 0, idLength) + ", offer " + sequence.ToString() + ": " + CotaNames.ResultStatus(reason)
            + (reason == CotaStatus.Ok ? "" : " (" + CotaNames.Of(reason) + ")");
        if (kept == StorageStatus.Ok)
        {
            Log(reason == CotaStatus.Ok ? LogLevel.Info : LogLevel.Warning, text);
        }
        else
        {
            Log(LogLevel.Error, text + "; the result could not be kept in flash: " + PlatformNames.Of(kept));
        }
    }

    // The result's params: configId, status, reason (unless applied), errors, what names the failure, and the offer's
    // sequence (a result sent again after a lost reply carries the same one).
    private void WriteResult(JsonWriter w, uint sequence, byte[] id, int idLength, CotaStatus reason, ConfigStatus storeStatus)
    {
        WriteResultMembers(w, id, idLength, reason, storeStatus, true);
        if (w.Overflowed)
        {
            // Too many or too long errors for one entry: the reason alone, and how many errors were left out.
            w.Reset();
            WriteResultMembers(w, id, idLength, reason, storeStatus, false);
        }

        w.WriteProperty("seq", sequence);
    }

    private void WriteResultMembers(JsonWriter w, byte[] id, int idLength, CotaStatus reason, ConfigStatus storeStatus, bool details)
    {
        w.WriteName("configId");
        w.WriteString(id, 0, idLength);
        w.WriteProperty("status", CotaNames.ResultStatus(reason));
        if (reason != CotaStatus.Ok)
        {
            w.WriteProperty("reason", CotaNames.Of(reason));
        }

        ConfigErrors errors = _applier.Errors;
        if (reason == CotaStatus.Rejected || reason == CotaStatus.ModuleFailed)
        {
            if (details)
            {
                errors.WriteMembers(w);
            }
            else
            {
                w.WriteName("errors");
                w.BeginArray();
                w.EndArray();
                w.WriteProperty("errorsDropped", errors.ErrorCount + errors.DroppedErrors);
            }

            return;
        }

        w.WriteName("errors");
        w.BeginArray();
        if (reason == CotaStatus.StoreFailed)
        {
            w.BeginObject();
            w.WriteProperty("module", "store");
            w.WriteProperty("code", ConfigNames.Of(storeStatus));
            if (storeStatus == ConfigStatus.StorageFailed)
            {
                w.WriteProperty("storage", PlatformNames.Of(_storageError));
            }

            w.EndObject();
        }
        else if (IsDownloadFailure(reason))
        {
            w.BeginObject();
            w.WriteProperty("module", "download");
            w.WriteProperty("code", CotaNames.Of(reason));
            if (reason == CotaStatus.RetriesExhausted && _download.LastFailure != CotaStatus.None)
            {
                w.WriteProperty("lastFailure", CotaNames.Of(_download.LastFailure));
            }

            int http = _download.HttpStatusCode;
            if (http > 0)
            {
                w.WriteProperty("httpStatus", http);
            }

            w.EndObject();
        }

        w.EndArray();
        if (reason == CotaStatus.MessageTooLarge && _message.MessageSize > 0)
        {
            w.WriteProperty("messageSize", _message.MessageSize);
        }

        // The cloud learns the size it offered and the device's limit, so the operator sees both.
        if (reason == CotaStatus.TooLarge)
        {
            w.WriteProperty("configSize", _message.ConfigSize);
            w.WriteProperty("maxConfigSize", _store.MaxConfigLength);
        }
    }

    private static bool IsDownloadFailure(CotaStatus reason)
    {
        switch (reason)
        {
            case CotaStatus.BadScheme:
            case CotaStatus.BadUrl:
            case CotaStatus.HttpError:
            case CotaStatus.SizeMismatch:
            case CotaStatus.RangeMismatch:
            case CotaStatus.HashMismatch:
            case CotaStatus.Timeout:
            case CotaStatus.ConnectionFailed:
            case CotaStatus.Truncated:
            case CotaStatus.RetriesExhausted:
                return true;
            default:
                return false;
        }
    }

    // After a boot: the offer the last boot owned, and what the store says became of it.
    private void Resume(ConfigStatus boot)
    {
        uint sequence = _journal.Sequence;
        bool onTrialWithIt = _store.IsOnTrial && ActiveIsOffer();
        if (_journal.Stage == OfferRecord.StageRollingBack)
        {
            if (onTrialWithIt)
            {
                _applier.RollBack();
            }

            if (!_results.Contains(sequence))
            {
                AddResult(_journal.Reason, ConfigStatus.Ok);
            }

            if (!_applier.RebootRequested)
            {
                ClearOffer();
            }

            return;
        }

        if (_results.Contains(sequence))
        {
            // The result landed; the cut came before the offer was let go.
            ClearOffer();
            return;
        }

        if (ActiveIsOffer())
        {
            if (!_store.IsOnTrial)
            {
                // Confirmed before the cut.
                Conclude(CotaStatus.Ok, ConfigStatus.Ok);
            }
            else if (boot == ConfigStatus.ModuleFailed)
            {
                RollBackTrial(CotaStatus.ModuleFailed);
            }
            else
            {
                StartTrial(_clock.MonotonicMs);
            }

            return;
        }

        int n = _offer.CopyConfigId(_id, 0);
        if (_store.RejectedConfigIdEquals(_id, 0, n))
        {
            Conclude(CotaStatus.BootLoopGuard, ConfigStatus.Ok);
            return;
        }

        // Not committed yet: the download resumes from what landed in the candidate slot.
        _stage = StageWaiting;
        int jitter = _settings.StartJitterMs > 0 ? _random.Next(_settings.StartJitterMs + 1) : 0;
        _startAt = _clock.MonotonicMs + jitter;
        Log(LogLevel.Info, "config " + OfferIdText() + " resumes after the reboot");
    }

    // A config on trial whose offer record was lost (its write failed): the store names it, so it gets a result too.
    private void Adopt(ConfigStatus boot)
    {
        int n = _store.CopyActiveConfigId(_id, 0);
        _store.CopyActiveDigest(_digest, 0);
        if (n <= 0 || !_offer.Restore(_id, 0, n, _store.ActiveLength, _digest, 0, 0))
        {
            return;
        }

        _journal.Sequence = ++_lastSequence;
        _journal.Stage = OfferRecord.StageAccepted;
        _journal.Save(_storage, _offer);
        Log(LogLevel.Warning, "config " + OfferIdText() + " on trial without an offer record: taken over as offer " + _journal.Sequence.ToString());
        if (boot == ConfigStatus.ModuleFailed)
        {
            RollBackTrial(CotaStatus.ModuleFailed);
        }
        else
        {
            StartTrial(_clock.MonotonicMs);
        }
    }

    private bool ActiveIsOffer()
    {
        int n = _offer.CopyConfigId(_id, 0);
        return n > 0 && _store.ActiveConfigIdEquals(_id, 0, n);
    }

    private string OfferIdText()
    {
        int n = _offer.CopyConfigId(_id, 0);
        return Utf8.GetString(_id, 0, n);
    }

    private void Ack(CotaStatus status, string problem)
    {
        ConfigMessage m = _message;
        int code = ConfigMessage.PushReplyCode(status);
        JsonWriter w = _device.BeginMessage();
        w.BeginObject();
        if (m.IdTokenLength > 0)
        {
            w.WriteName(ConfigMessage.IdName);
            w.WriteRaw(m.IdToken, 0, m.IdTokenLength);
        }

        w.WriteProperty(ConfigMessage.CodeName, code);
        w.WriteName(ConfigMessage.DataName);
        w.BeginObject();
        w.EndObject();
        if (code != 200 && problem != null)
        {
            w.WriteProperty("message", problem);
        }

        w.EndObject();
        _lastAckCode = code;
        LinkkitStatus sent = _device.Publish(_pushReplyTopic, 0);
        if (sent != LinkkitStatus.Ok)
        {
            Log(LogLevel.Warning, "cannot send push_reply: " + LinkkitNames.Of(sent));
        }
    }

    private void Log(LogLevel level, string message)
    {
        _log.Write(level, Area, message);
    }
}
