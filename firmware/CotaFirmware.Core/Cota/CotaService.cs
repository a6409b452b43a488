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
/// <para><b>Freshness.</b> After every (re)connect the service sends thing.config.get, again with backoff until a reply
/// arrives (five times at most outside a trial). A get_reply to a get sent before the last push is older news and not taken. An offer of the active config
/// is not taken (it supersedes a download in progress); one of the download in progress only brings its URL up to date. A config that already ended (same
/// configId and sign; the log remembers the last <see cref="CotaSettings.ResultSlots"/>) is taken again when it was
/// applied or superseded, or from a get_reply or with another URL when it ended for a reason that may pass (<see cref="CotaNames.MayTakeAgain"/>).
/// A newer offer supersedes a download in progress.</para>
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
/// <para>One job per file: this one holds the state, <see cref="Start"/> and <see cref="Step"/>; CotaService.Messages.cs
/// what arrives from the cloud and the acks; CotaService.Offer.cs an accepted offer's course (download, apply, trial,
/// resume after a boot); CotaService.Results.cs every offer's result.</para>
/// </remarks>
public sealed partial class CotaService : ITopicHandler, IReplyHandler, IJsonMembers
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

    // How many pushes taken are remembered by id, so that a repeat of one is not taken again.
    private const int RecentPushes = 4;

    // Where the service stands with the offer it owns: idle, waiting for the download's start, downloading, on trial.
    private enum Stage
    {
        Idle,
        Waiting,
        Downloading,
        Trial,

        // The offer ended but its result did not reach flash: the offer stays owned, and no new one is taken, until it does.
        ResultOwed,
    }

    // A result's JSON: configId (up to 64 bytes, escaped), status, reason and the errors a config may have.
    private const int ResultCapacity = 900;

    // Gets sent per connect outside a trial while none is answered.
    private const int UnansweredGets = 5;

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
    private readonly byte[] _pushIds = new byte[RecentPushes * ConfigMessage.MaxIdTokenLength];
    private readonly int[] _pushIdLengths = new int[RecentPushes];
    private int _pushIdNext;
    private readonly int _pushTopic;
    private readonly int _pushReplyTopic;
    private readonly int _getTopic;

    private bool _started;
    private uint _lastSequence;
    private CotaStatus _ending; // the outcome a DownloadEnded is concluding, until it returns
    private Stage _stage;
    private long _startAt;

    // The get: owed from every connect and every trial's start until a get_reply arrives, one in flight at a time.
    private bool _getOwed;
    private int _getId; // the get in flight, 0: none
    private long _getAt;
    private int _getFailures;
    private int _lastGetId; // the last get sent in this boot
    private int _getBeforePush; // the last get sent before the last push: its reply, and older ones, are older news

    // The trial.
    private long _trialDeadline;
    private bool _confirmDue;
    private long _confirmAt;
    private int _confirmFailures;
    private CotaStatus _owedReason;
    private ConfigStatus _owedStoreStatus;
    private long _owedAt;
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
        _retry = new Backoff(settings.BackoffMinMs, settings.BackoffMaxMs, seed);
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
    public IConfigOfferListener OfferListener;

    /// <summary>True while a download waits for its start or runs.</summary>
    public bool IsBusy => _stage == Stage.Waiting || _stage == Stage.Downloading;

    /// <summary>True while a committed config waits for proof of contact with the cloud.</summary>
    public bool IsOnTrial => _stage == Stage.Trial;

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

    /// <summary>How many results wait for the cloud: in flash, and one that flash has not taken yet.</summary>
    public int PendingResults => _results.Unsent + (_stage == Stage.ResultOwed ? 1 : 0);

    /// <summary>Milliseconds until <see cref="Step"/> has work (0: now); -1 when nothing is scheduled.</summary>
    public int NextStepInMs
    {
        get
        {
            long now = _clock.MonotonicMs;
            long next = -1;
            if (_stage == Stage.Waiting && _device.IsConnected)
            {
                next = _startAt;
            }
            else if (_stage == Stage.Downloading)
            {
                next = now + _download.NextStepInMs;
            }
            else if (_stage == Stage.Trial)
            {
                next = _confirmDue ? _confirmAt : _trialDeadline;
            }
            else if (_stage == Stage.ResultOwed)
            {
                next = _owedAt;
            }

            if (GetCanGo && (next < 0 || _getAt < next))
            {
                next = _getAt;
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

        if (_journal.ReadError != StorageStatus.Ok)
        {
            // The copy not read may hold an offer owned, with its sequence: none is resumed, taken over or taken anew.
            Log(LogLevel.Error, "the offer record cannot be read (" + PlatformNames.Of(_journal.ReadError) + "): no offer is taken until a boot reads it");
        }
        else if (found && _journal.Stage != OfferStage.None)
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
        if (_stage == Stage.Waiting || _stage == Stage.Downloading)
        {
            StepDownload(now);
        }
        else if (_stage == Stage.Trial)
        {
            StepTrial(now);
        }
        else if (_stage == Stage.ResultOwed && now - _owedAt >= 0)
        {
            KeepOwedResult();
        }

        StepGet(now);

        if (!_applier.RebootRequested)
        {
            _results.Send();
            if (_results.TakeAnswer())
            {
                Contact();
            }
        }
    }

    private void Log(LogLevel level, string message)
    {
        _log.Write(level, Area, message);
    }
}
