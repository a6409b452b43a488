using CotaFirmware.Config;
using CotaFirmware.Crypto;
using CotaFirmware.Json;
using CotaFirmware.Linkkit;
using CotaFirmware.Platform;

namespace CotaFirmware.Cota;

// What arrives from the cloud and what answers it: a push (acked, always), a get_reply (to the get sent at every
// connect or as a trial's probe, or a late one), each parsed once; the decision on a valid offer; the push_reply.
public sealed partial class CotaService
{
    // The message of a push_reply 429 (ConfigMessage.PushReplyCode of StoreFailed).
    private const string NotNowProblem = "the device cannot take a config now: push it again later";

    /// <summary>Sends thing.config.get (done at every connect and as a contact probe during a trial); the reply is handled like a push, without an ack.</summary>
    /// <returns>The request id, or a negative <see cref="LinkkitStatus"/> code.</returns>
    public int RequestConfig()
    {
        int id = _device.Query(_getTopic, this, this, _settings.GetTimeoutMs);
        if (id > 0)
        {
            _lastGetId = id;
        }

        return id;
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
    }

    /// <summary>A push larger than the MQTT receive buffer: answered 400 when its id can be read from the part that fit.</summary>
    void ITopicHandler.OnTopicOversize(LinkkitDevice device, int topic, int size, byte[] prefix, int offset, int count)
    {
        if (topic != _pushTopic)
        {
            return;
        }

        Contact();
        _message.ParsePushPrefix(prefix, offset, count, size);
        bool answerable = _message.IdTokenLength > 0;
        Log(LogLevel.Warning, "push of " + size.ToString() + " bytes is larger than the receive buffer: "
            + (answerable ? "answered 400" : "no id in the part that fit: not answered"));
        if (answerable)
        {
            Ack(CotaStatus.MessageTooLarge, "message of " + size.ToString() + " bytes exceeds the device's receive buffer");
        }
    }

    /// <summary>
    /// The end of a get: its reply, or why none came; also every get_reply no request waits for any more (late,
    /// repeated), which is still a valid answer. LinkKit read the envelope: the code and the data view are all there is to read.
    /// </summary>
    void IReplyHandler.OnReply(LinkkitDevice device, int requestId, ReplyStatus status, int code, int size, byte[] data, int offset, int count)
    {
        if (_getId != 0 && requestId == _getId)
        {
            _getId = 0;
            if (status == ReplyStatus.TimedOut)
            {
                _getFailures++;
                if (_stage != Stage.Trial && _getFailures >= UnansweredGets)
                {
                    // A broker that answers no get (a plain MQTT broker) is not asked forever: pushes still come, and the next connect asks.
                    _getOwed = false;
                    Log(LogLevel.Warning, "thing.config.get got no reply " + UnansweredGets.ToString() + " times: asked again at the next connect");
                }
                else
                {
                    // Lost on the way or not answered: asked again after a backoff (during a trial, until its deadline).
                    _getAt = _clock.MonotonicMs + _retry.DelayMs(_getFailures);
                    if (_getFailures == 1)
                    {
                        Log(LogLevel.Warning, "thing.config.get got no reply in time: asked again with backoff");
                    }
                }
            }
        }

        if (status == ReplyStatus.Replied || status == ReplyStatus.TooLarge || status == ReplyStatus.Malformed)
        {
            // The cloud answered: no get is owed any more.
            _getOwed = false;
        }

        if (status == ReplyStatus.Replied)
        {
            OnGetReply(requestId, code, data, offset, count);
        }
        else if (status == ReplyStatus.TooLarge || status == ReplyStatus.Malformed)
        {
            OnUnreadableGetReply(status == ReplyStatus.TooLarge ? CotaStatus.MessageTooLarge : CotaStatus.Malformed, size, data, offset, count);
        }
    }

    private void OnConnected(LinkkitDevice device)
    {
        _results.OnConnected();

        // A connection the broker accepted with the config in force proves contact.
        Contact();
        OweGet();
        StepGet(_clock.MonotonicMs);
    }

    // A get is owed (after a connect, at a trial's start): sent now, even if an older one is in flight (its reply still
    // counts), then again with backoff until a get_reply arrives.
    private void OweGet()
    {
        _getOwed = true;
        _getId = 0;
        _getFailures = 0;
        _getAt = _clock.MonotonicMs;
    }

    // A get is owed, the device is connected and none is in flight: it goes when its time comes.
    private bool GetCanGo => _getOwed && _getId == 0 && _device.IsConnected;

    // Sends the owed get when it is due, connected and none is in flight; one that cannot go now is tried again after a backoff.
    private void StepGet(long now)
    {
        if (!GetCanGo || now - _getAt < 0)
        {
            return;
        }

        int id = RequestConfig();
        if (id > 0)
        {
            _getId = id;
            return;
        }

        _getAt = now + _retry.DelayMs(++_getFailures);
        Log(LogLevel.Warning, "cannot send thing.config.get: " + LinkkitNames.Of((LinkkitStatus)id));
    }

    private void OnPush(byte[] payload, int offset, int count)
    {
        Contact();
        CotaStatus status = _message.ParsePush(payload, offset, count, _store.MaxConfigLength);
        if (status == CotaStatus.Ok)
        {
            if (AnsweredBefore())
            {
                // The same push again (a broker's redelivery, late): acting on it anew could undo what came since.
                Log(LogLevel.Info, "push of config " + _message.ConfigIdText() + " repeated: answered before");
            }
            else if (Consider(false, 0))
            {
                NoteAnswered();
            }
            else
            {
                // Not taken for now (an earlier result is not in flash yet, or the offer could not be written): a 200
                // would tell the cloud the device has it, and no result would ever come; 429 asks it to push again later.
                Ack(CotaStatus.StoreFailed, NotNowProblem);
                return;
            }
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

    // True when the push just parsed has the id token of one of the last RecentPushes pushes taken (a push carries a
    // fresh id; a repeat of an old one is a redelivery, not the cloud's newest word).
    private bool AnsweredBefore()
    {
        ConfigMessage m = _message;
        for (int i = 0; i < RecentPushes; i++)
        {
            if (m.IdTokenLength > 0 && _pushIdLengths[i] == m.IdTokenLength
                && ConstantTime.AreEqual(m.IdToken, 0, m.IdTokenLength, _pushIds, i * ConfigMessage.MaxIdTokenLength, m.IdTokenLength))
            {
                return true;
            }
        }

        return false;
    }

    private void NoteAnswered()
    {
        ConfigMessage m = _message;
        System.Array.Copy(m.IdToken, 0, _pushIds, _pushIdNext * ConfigMessage.MaxIdTokenLength, m.IdTokenLength);
        _pushIdLengths[_pushIdNext] = m.IdTokenLength;
        _pushIdNext = (_pushIdNext + 1) % RecentPushes;
    }

    private void OnGetReply(int requestId, int code, byte[] data, int offset, int count)
    {
        Contact();
        CotaStatus status = _message.ParseReply(code, data, offset, count, _store.MaxConfigLength);
        if (status == CotaStatus.NoConfig)
        {
            Log(LogLevel.Info, _message.Code == 6710 ? "get_reply 6710: no config published"
                : _message.Code == 6713 ? "get_reply 6713: remote config not available" : "get_reply without a config (code not 200)");
        }
        else if (status == CotaStatus.Ok)
        {
            Consider(true, requestId);
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

    // A get_reply too large for the receive buffer, or not a valid envelope: a result naming the config when its
    // start can be read. Like every refusal of a get_reply: one result per config, not one per connect.
    private void OnUnreadableGetReply(CotaStatus reason, int size, byte[] data, int offset, int count)
    {
        Contact();
        _message.ParseReplyPart(reason, data, offset, count, size);
        Log(LogLevel.Warning, reason == CotaStatus.MessageTooLarge
            ? "get_reply of " + size.ToString() + " bytes is larger than the receive buffer: reported as a result"
            : "get_reply refused: " + _message.Problem);
        if (!SeenBefore(reason))
        {
            RecordRefusal(reason);
        }
    }

    // Decides what to do with a valid parsed offer, from a push or a get_reply (to get getId); accepting it writes it to
    // flash before the push is acked. False when it cannot be taken now and nothing will answer it: the cloud must
    // offer it again.
    private bool Consider(bool fromGet, int getId)
    {
        ConfigMessage m = _message;
        IConfigOfferListener listener = OfferListener;
        if (listener != null)
        {
            try
            {
                listener.OnConfigOffered(m);
            }
            catch (System.Exception)
            {
                // The application's callback: its failure is its own, and the offer goes on.
                Log(LogLevel.Error, "the offer listener threw on config " + m.ConfigIdText());
            }
        }

        if (!fromGet)
        {
            // The cloud's newest word: a get_reply to a get sent before it is older news.
            _getBeforePush = _lastGetId;
        }
        else if (_getBeforePush != 0 && getId <= _getBeforePush)
        {
            // A push came after that get was sent. Request ids only grow within a boot (to int.MaxValue: 2^31 requests).
            Log(LogLevel.Info, "config " + m.ConfigIdText() + " answers a get sent before the last push: older news, not taken");
            return true;
        }

        if (_journal.ReadError != StorageStatus.Ok)
        {
            // The record may name an offer owned: a new one would be written over it. A later boot that reads it takes offers.
            Log(LogLevel.Warning, "config " + m.ConfigIdText() + " not taken: the offer record cannot be read");
            return false;
        }

        if (_stage == Stage.ResultOwed)
        {
            // Nothing new before the last offer's result is in flash; the get sent once it is asks again.
            Log(LogLevel.Warning, "config " + m.ConfigIdText() + " not taken: the result of config " + OfferIdText() + " is not in flash yet");
            return false;
        }

        // The same config is the same id and sign: new content under an old id is a new offer.
        Hex.Decode(m.Sign, 0, ConfigMessage.SignLength, _digest, 0);
        if (_store.ActiveConfigIdEquals(m.ConfigId, 0, m.ConfigIdLength) && _store.ActiveDigestEquals(_digest, 0))
        {
            // The cloud went back to the config in force (the console's "roll back to this"): a download is older news.
            Log(LogLevel.Info, "config " + m.ConfigIdText() + " already applied");
            Supersede();
            return true;
        }

        // The offer the service holds (downloading, or the last one it tried) is this very config.
        bool held = _offer.ConfigIdEquals(m.ConfigId, 0, m.ConfigIdLength) && _offer.DigestEquals(_digest, 0);
        if (IsBusy && held && _offer.Size == m.ConfigSize)
        {
            Refresh();
            return true;
        }

        CotaStatus before = _results.Find(m.ConfigId, 0, m.ConfigIdLength, _digest);
        if (!CotaNames.MayTakeAgain(before, fromGet || !held || !_offer.UrlEquals(m.Url, 0, m.UrlLength)))
        {
            Log(LogLevel.Info, "config " + m.ConfigIdText() + " ended before (" + CotaNames.Of(before) + "): not taken again");
            return true;
        }

        if (_stage == Stage.Trial)
        {
            // The offer itself was contact, but the store could not confirm the trial: the offer cannot be staged now.
            // The trial keeps its record; the offer gets its result, and a later get_reply may offer it again.
            RecordRefusal(CotaStatus.StoreFailed, ConfigStatus.TrialInProgress);
            return true;
        }

        Supersede();
        if (_stage == Stage.ResultOwed)
        {
            return false;
        }

        _journal.Sequence = ++_lastSequence;
        _journal.Stage = OfferStage.Accepted;
        _journal.Reason = CotaStatus.None;
        m.CopyTo(_offer);
        StorageStatus saved = _journal.Save(_storage, _offer);
        if (saved != StorageStatus.Ok)
        {
            Log(LogLevel.Error, "config " + OfferIdText() + " (offer " + _journal.Sequence.ToString() + ") not written to flash: " + PlatformNames.Of(saved));
            _storageError = saved;
            Conclude(CotaStatus.StoreFailed, ConfigStatus.StorageFailed);
            return false;
        }

        int jitter = AwaitStart();
        Log(LogLevel.Info, "config " + OfferIdText() + " accepted as offer " + _journal.Sequence.ToString()
            + (jitter > 0 ? ": download in " + jitter.ToString() + " ms" : ""));
        return true;
    }

    // The offer just parsed ends a download in progress, which gets its result.
    private void Supersede()
    {
        if (IsBusy)
        {
            _download.Discard();
            Log(LogLevel.Info, "config " + _message.ConfigIdText() + " supersedes the download of " + OfferIdText());
            Conclude(CotaStatus.Superseded, ConfigStatus.Ok);
        }
    }

    // A fresh offer of the very download in progress (same configId, size and sign). Its URL replaces the stored one
    // (OSS URLs expire), in flash too, so a resume after a reboot uses it; a running download continues with it from
    // what landed.
    private void Refresh()
    {
        ConfigMessage m = _message;
        if (_offer.UrlEquals(m.Url, 0, m.UrlLength))
        {
            Log(LogLevel.Info, "config " + m.ConfigIdText() + " already being downloaded");
            return;
        }

        m.CopyTo(_offer);
        StorageStatus saved = _journal.Save(_storage, _offer);
        Log(saved == StorageStatus.Ok ? LogLevel.Info : LogLevel.Warning, "config " + m.ConfigIdText() + " already being downloaded: the fresh offer's URL replaces the stored one"
            + (saved == StorageStatus.Ok ? "" : " (not written to flash: " + PlatformNames.Of(saved) + ")"));
        if (_stage == Stage.Downloading)
        {
            CotaStatus restarted = _download.Start(_offer);
            if (restarted != CotaStatus.Running)
            {
                DownloadEnded(restarted);
            }
        }
    }

    private void Ack(CotaStatus status, string problem)
    {
        ConfigMessage m = _message;
        int code = ConfigMessage.PushReplyCode(status);
        JsonWriter w = _device.BeginMessage();
        w.BeginObject();
        if (m.IdTokenLength > 0)
        {
            w.WriteName(EnvelopeNames.Id);
            w.WriteRaw(m.IdToken, 0, m.IdTokenLength);
        }

        w.WriteProperty(EnvelopeNames.Code, code);
        w.WriteName(EnvelopeNames.Data);
        w.BeginObject();
        w.EndObject();
        if (code != 200 && problem != null)
        {
            w.WriteName(EnvelopeNames.Message);
            w.WriteString(problem);
        }

        w.EndObject();
        _lastAckCode = code;
        LinkkitStatus sent = _device.Publish(_pushReplyTopic, 0);
        if (sent != LinkkitStatus.Ok)
        {
            Log(LogLevel.Warning, "cannot send push_reply: " + LinkkitNames.Of(sent));
        }
    }
}
