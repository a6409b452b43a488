using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Cota;

/// <summary>
/// COTA over LinkKit: takes config pushes and get_replies, acknowledges every push, decides what is new, and drives
/// the verified resumable download from the device's loop, handing verified configs to an <see cref="IConfigCandidateSink"/>.
/// </summary>
/// <remarks>
/// <para>Freshness (as a device twin): after every (re)connect the service sends thing.config.get. A config whose
/// configId is the applied one or the one being downloaded is not downloaded again (the push is still acked 200).
/// A newer config supersedes a download in progress (it is cancelled, the other offer buffer takes over). A config
/// that failed (same configId and sign) is not fetched again until another arrives, except that a get_reply may
/// retry one that failed for transient reasons (network, retries exhausted).</para>
/// <para>One thread: <see cref="Step"/> is called from the loop between <see cref="LinkkitDevice.Yield"/> calls, and
/// every message callback runs inside Yield or Connect. A download starts after a random jitter
/// (<see cref="CotaSettings.StartJitterMs"/>). Handling a message allocates nothing; a download allocates its url string once.</para>
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

    private const int StateIdle = 0;
    private const int StateWaiting = 1;
    private const int StateDownloading = 2;

    // The get request's params and the push_reply's names, as bytes: neither is written from a string.
    private static readonly byte[] ConfigScopeName = Utf8.GetBytes("configScope");
    private static readonly byte[] ProductValue = Utf8.GetBytes("product");
    private static readonly byte[] GetTypeName = Utf8.GetBytes("getType");
    private static readonly byte[] FileValue = Utf8.GetBytes("file");
    private static readonly byte[] IdName = Utf8.GetBytes("id");
    private static readonly byte[] CodeName = Utf8.GetBytes("code");
    private static readonly byte[] DataName = Utf8.GetBytes("data");

    private readonly LinkkitDevice _device;
    private readonly RangeDownload _download;
    private readonly DownloadSettings _downloadSettings;
    private readonly CotaSettings _settings;
    private readonly IAppliedConfigId _applied;
    private readonly IConfigCandidateSink _sink;
    private readonly IClock _clock;
    private readonly System.Random _random;
    private readonly ILog _log;
    private readonly ConfigMessage _message;
    private readonly ConfigOffer[] _offers = new ConfigOffer[2];
    private readonly byte[] _appliedId = new byte[ConfigOffer.MaxConfigIdLength];
    private readonly byte[] _scratchId = new byte[ConfigOffer.MaxConfigIdLength];
    private readonly byte[] _failedId = new byte[ConfigOffer.MaxConfigIdLength];
    private readonly byte[] _failedDigest = new byte[ConfigOffer.DigestLength];
    private readonly DownloadFailureReport _failure = new DownloadFailureReport();
    private readonly int _pushTopic;
    private readonly int _pushReplyTopic;
    private readonly int _getTopic;
    private readonly int _resultTopic;

    private int _current;
    private int _state;
    private long _startAt;
    private int _failedIdLength;
    private bool _failedTransient;
    private bool _confirmed;

    /// <summary>
    /// Defines the COTA topics on <paramref name="device"/> (before <see cref="LinkkitDevice.Connect"/>) and sends a get
    /// at every connect.
    /// </summary>
    /// <param name="device">The opened LinkKit device.</param>
    /// <param name="download">The download engine, over the board's HTTP client and storage, built with <paramref name="downloadSettings"/>.</param>
    /// <param name="downloadSettings">Its settings: <see cref="DownloadSettings.MaxConfigSize"/> bounds configSize, <see cref="DownloadSettings.StagingArea"/> is handed to the sink.</param>
    /// <param name="settings">url bound, jitter, get timeout, result event.</param>
    /// <param name="applied">Which configId is applied.</param>
    /// <param name="sink">Where verified configs and failures go.</param>
    /// <param name="clock">The monotonic clock.</param>
    /// <param name="random">Seeded from board entropy; draws the start jitter.</param>
    /// <param name="log">The log.</param>
    /// <exception cref="System.ArgumentNullException">A part is null.</exception>
    /// <exception cref="System.InvalidOperationException">The device's topic table has no room for the COTA topics.</exception>
    public CotaService(LinkkitDevice device, RangeDownload download, DownloadSettings downloadSettings, CotaSettings settings,
        IAppliedConfigId applied, IConfigCandidateSink sink, IClock clock, System.Random random, ILog log)
    {
        if (device == null || download == null || downloadSettings == null || settings == null || applied == null
            || sink == null || clock == null || random == null || log == null)
        {
            throw new System.ArgumentNullException(device == null ? "device" : download == null ? "download"
                : downloadSettings == null ? "downloadSettings" : settings == null ? "settings" : applied == null ? "applied"
                : sink == null ? "sink" : clock == null ? "clock" : random == null ? "random" : "log");
        }

        _device = device;
        _download = download;
        _downloadSettings = downloadSettings;
        _settings = settings;
        _applied = applied;
        _sink = sink;
        _clock = clock;
        _random = random;
        _log = log;
        _message = new ConfigMessage(settings.MaxUrlLength);
        _offers[0] = new ConfigOffer(settings.MaxUrlLength);
        _offers[1] = new ConfigOffer(settings.MaxUrlLength);

        _pushTopic = device.Route(PushSuffix, this);
        _pushReplyTopic = device.DefineTopic(PushReplySuffix);
        _getTopic = device.DefineRequest(GetSuffix, GetMethod, this);
        _resultTopic = device.DefineEvent(settings.ResultEventIdentifier);
        if (_pushTopic < 0 || _pushReplyTopic < 0 || _getTopic < 0 || _resultTopic < 0)
        {
            throw new System.InvalidOperationException("cannot define the COTA topics (topic table full or bad event identifier)");
        }

        device.Connected += OnConnected;
    }

    /// <summary>The seed's COTA callback, told of every valid offer; optional.</summary>
    public IConfigOfferListener OfferListener { get; set; }

    /// <summary>True while a download waits for its start or runs.</summary>
    public bool IsBusy => _state != StateIdle;

    /// <summary>The offer being (or last) downloaded.</summary>
    public ConfigOffer CurrentOffer => _offers[_current];

    /// <summary>The message most recently parsed (its fields stay until the next message).</summary>
    public ConfigMessage LastMessage => _message;

    /// <summary>How many downloads were started (tests and diagnostics).</summary>
    public int DownloadsStarted { get; private set; }

    /// <summary>The code of the last push_reply sent (0 before any).</summary>
    public int LastAckCode { get; private set; }

    /// <summary>The outcome of the last download that ended (<see cref="DownloadOutcome.None"/> before any).</summary>
    public DownloadOutcome LastOutcome { get; private set; }

    /// <summary>Milliseconds until <see cref="Step"/> has work (0: now); -1 when there is no download at all.</summary>
    public int NextStepInMs
    {
        get
        {
            if (_state == StateIdle)
            {
                return -1;
            }

            if (_state == StateDownloading)
            {
                return _download.NextStepInMs;
            }

            long wait = _startAt - _clock.MonotonicMs;
            return wait <= 0 ? 0 : (int)wait;
        }
    }

    /// <summary>Sends thing.config.get (done at every connect); the reply is handled like a push, without an ack.</summary>
    /// <returns>The request id, or a negative <see cref="LinkkitStatus"/> code.</returns>
    public int RequestConfig() => _device.Query(_getTopic, this, this, _settings.GetTimeoutMs);

    /// <summary>
    /// Sends a config result as the thing event <see cref="CotaSettings.ResultEventIdentifier"/>, its params written
    /// by <paramref name="result"/> (the Config layer's applier, or <see cref="DownloadFailureReport"/>).
    /// </summary>
    /// <returns>The request id, or a negative <see cref="LinkkitStatus"/> code (for example when offline).</returns>
    public int SendResult(IJsonMembers result) => _device.TriggerEvent(_resultTopic, result, null);

    /// <summary>Does one bounded unit of download work: the start once the jitter is over, or one download step.</summary>
    public void Step()
    {
        if (_state == StateWaiting)
        {
            if (_clock.MonotonicMs - _startAt < 0)
            {
                return;
            }

            _state = StateDownloading;
            DownloadsStarted++;
            DownloadOutcome started = _download.Start(_offers[_current]);
            if (started != DownloadOutcome.Running)
            {
                Finish(started);
            }

            return;
        }

        if (_state == StateDownloading)
        {
            DownloadOutcome outcome = _download.Step();
            if (outcome != DownloadOutcome.Running)
            {
                Finish(outcome);
            }
        }
    }

    /// <inheritdoc/>
    void IJsonMembers.WriteMembers(JsonWriter writer)
    {
        writer.WriteProperty(ConfigScopeName, ProductValue);
        writer.WriteProperty(GetTypeName, FileValue);
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
        _log.Write(LogLevel.Warning, "cota", (topic == _pushTopic ? "config push" : "config get_reply") + " of " + size.ToString() + " bytes dropped: larger than the MQTT receive buffer");
    }

    /// <inheritdoc/>
    void IReplyHandler.OnReply(LinkkitDevice device, int requestId, ReplyStatus status, int code, byte[] payload, int offset, int count)
    {
        if (status == ReplyStatus.Replied)
        {
            OnGetReply(payload, offset, count);
        }
        else if (status == ReplyStatus.TimedOut)
        {
            _log.Write(LogLevel.Warning, "cota", "thing.config.get got no reply in time");
        }
        else if (status == ReplyStatus.TooLarge)
        {
            _log.Write(LogLevel.Warning, "cota", "thing.config.get reply dropped: larger than the MQTT receive buffer");
        }
    }

    private void OnConnected(LinkkitDevice device)
    {
        _confirmed = false;
        if (RequestConfig() < 0)
        {
            _log.Write(LogLevel.Warning, "cota", "cannot send thing.config.get");
        }
    }

    private void OnPush(byte[] payload, int offset, int count)
    {
        int status = _message.Parse(ConfigMessageKind.Push, payload, offset, count, _downloadSettings.MaxConfigSize);
        string problem = _message.Problem;
        if (status == ConfigMessageStatus.Accepted || _message.TooLarge)
        {
            if (!Consider(false))
            {
                status = ConfigMessageStatus.ParameterError;
                problem = "config fields refused";
            }
        }
        else
        {
            _log.Write(LogLevel.Warning, "cota", problem);
        }

        Ack(status, problem);
    }

    private void OnGetReply(byte[] payload, int offset, int count)
    {
        if (!_confirmed)
        {
            _confirmed = true;
            _sink.OnCloudConfirmed();
        }

        int status = _message.Parse(ConfigMessageKind.GetReply, payload, offset, count, _downloadSettings.MaxConfigSize);
        if (status == ConfigMessageStatus.NoConfig)
        {
            _log.Write(LogLevel.Info, "cota", _message.Code == 6710 ? "get_reply 6710: no config published"
                : _message.Code == 6713 ? "get_reply 6713: remote config not available" : "get_reply without a config (code not 200)");
        }
        else if (status == ConfigMessageStatus.Accepted || _message.TooLarge)
        {
            Consider(true);
        }
        else
        {
            _log.Write(LogLevel.Warning, "cota", _message.Problem);
        }
    }

    // Decides what to do with the parsed offer; false when the offer refused its fields.
    private bool Consider(bool fromGet)
    {
        ConfigMessage m = _message;
        int spareIndex = 1 - _current;
        ConfigOffer spare = _offers[spareIndex];
        if (_state == StateIdle)
        {
            // Nothing uses either buffer: take the current one, so the spare stays free.
            spareIndex = _current;
            spare = _offers[_current];
        }

        if (!m.CopyTo(spare))
        {
            _log.Write(LogLevel.Warning, "cota", "config fields refused");
            return false;
        }

        if (m.TooLarge)
        {
            if (!IsLastFailure(spare))
            {
                _log.Write(LogLevel.Warning, "cota", "configSize exceeds the device maximum: not downloaded");
                RememberFailure(spare, false);
                Report(spare, DownloadOutcome.TooLarge, 0);
                _sink.OnDownloadFailed(spare, DownloadOutcome.TooLarge);
            }

            return true;
        }

        IConfigOfferListener listener = OfferListener;
        if (listener != null)
        {
            listener.OnConfigOffered(m);
        }

        int appliedLength = _applied.CopyAppliedConfigId(_appliedId, 0);
        if (appliedLength > 0 && spare.ConfigIdEquals(_appliedId, 0, appliedLength))
        {
            _log.Write(LogLevel.Info, "cota", "config already applied");
            return true;
        }

        if (_state != StateIdle)
        {
            int n = spare.CopyConfigId(_scratchId, 0);
            if (_offers[_current].ConfigIdEquals(_scratchId, 0, n))
            {
                _log.Write(LogLevel.Info, "cota", "config already being downloaded");
                return true;
            }
        }

        if (IsLastFailure(spare))
        {
            if (!fromGet || !_failedTransient)
            {
                _log.Write(LogLevel.Info, "cota", "config failed before: not downloaded again");
                return true;
            }

            _log.Write(LogLevel.Info, "cota", "retrying a config that failed for a transient reason");
        }

        if (_state == StateDownloading)
        {
            _download.Cancel();
            _log.Write(LogLevel.Info, "cota", "a newer config supersedes the download");
        }

        _failedIdLength = 0;
        _current = spareIndex;
        _state = StateWaiting;
        int jitter = _settings.StartJitterMs > 0 ? _random.Next(_settings.StartJitterMs + 1) : 0;
        _startAt = _clock.MonotonicMs + jitter;
        return true;
    }

    private void Finish(DownloadOutcome outcome)
    {
        _state = StateIdle;
        LastOutcome = outcome;
        ConfigOffer offer = _offers[_current];
        if (outcome == DownloadOutcome.Completed)
        {
            _log.Write(LogLevel.Info, "cota", "config downloaded and verified");
            _sink.OnCandidate(_downloadSettings.StagingArea, offer);
            _download.Discard();
            return;
        }

        if (outcome == DownloadOutcome.Cancelled)
        {
            return;
        }

        _log.Write(LogLevel.Warning, "cota", "config download failed: " + DownloadFailureReport.NameOf(outcome));
        bool transient = outcome == DownloadOutcome.RetriesExhausted || outcome == DownloadOutcome.Timeout
            || outcome == DownloadOutcome.ConnectionFailed || outcome == DownloadOutcome.Truncated
            || outcome == DownloadOutcome.StorageFailed;
        RememberFailure(offer, transient);
        int http = _download.HttpStatusCode;
        _download.Discard();
        Report(offer, outcome, http);
        _sink.OnDownloadFailed(offer, outcome);
    }

    private void Report(ConfigOffer offer, DownloadOutcome outcome, int httpStatus)
    {
        int n = offer.CopyConfigId(_scratchId, 0);
        _failure.Set(_scratchId, 0, n, outcome, httpStatus);
        if (SendResult(_failure) < 0)
        {
            _log.Write(LogLevel.Warning, "cota", "cannot send the config result");
        }
    }

    private void RememberFailure(ConfigOffer offer, bool transient)
    {
        _failedIdLength = offer.CopyConfigId(_failedId, 0);
        offer.CopyDigest(_failedDigest, 0);
        _failedTransient = transient;
    }

    private bool IsLastFailure(ConfigOffer offer)
    {
        return _failedIdLength > 0 && offer.ConfigIdEquals(_failedId, 0, _failedIdLength) && offer.DigestEquals(_failedDigest, 0);
    }

    private void Ack(int code, string problem)
    {
        ConfigMessage m = _message;
        JsonWriter w = _device.BeginMessage();
        w.BeginObject();
        if (m.IdTokenLength > 0)
        {
            w.WriteName(IdName);
            w.WriteRaw(m.IdToken, 0, m.IdTokenLength);
        }

        w.WriteProperty(CodeName, code);
        w.WriteName(DataName);
        w.BeginObject();
        w.EndObject();
        if (code != ConfigMessageStatus.Accepted && problem != null)
        {
            w.WriteProperty("message", problem);
        }

        w.EndObject();
        LastAckCode = code;
        if (_device.Publish(_pushReplyTopic, 0) != LinkkitStatus.Ok)
        {
            _log.Write(LogLevel.Warning, "cota", "cannot send push_reply");
        }
    }
}
