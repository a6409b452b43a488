using System;
using System.Threading;
using CotaFirmware.Json;
using CotaFirmware.Mqtt;
using CotaFirmware.Platform;
using CotaFirmware.Text;
using CotaFirmware.Timing;

namespace CotaFirmware.Linkkit;

/// <summary>
/// A device on Alibaba Cloud IoT Platform (LinkKit): the C SDK's Open, Connect, Yield, Query, Report,
/// TriggerEvent and Close over an <see cref="IMqttSession"/>, with a topic router and request/reply matching.
/// </summary>
/// <remarks>
/// <para>Topics live under <c>/sys/{pk}/{dn}/</c> and are named by their suffix. They are defined once
/// (<see cref="Route"/>, <see cref="DefineRequest(string, string)"/>, <see cref="DefineEvent"/>, <see cref="DefineTopic"/>) and kept
/// as byte arrays, so receiving and sending allocate nothing. Every defined reply or route topic is subscribed at
/// <see cref="Connect"/>.</para>
/// <para>A request (<see cref="Query"/>, <see cref="Report"/>, <see cref="TriggerEvent"/>) is sent as
/// <c>{"id":"n","version":"1.0","params":{..},"method":".."}</c> with an id that increases with every request, and
/// waits in a fixed table for the reply on <c>{topic}_reply</c> with the same id, or for its timeout, both
/// reported to its <see cref="IReplyHandler"/> from <see cref="Yield"/>.</para>
/// <para>The device is the one owner of its connection: from the first <see cref="Connect"/> until <see cref="Close"/> it
/// keeps the session up. Every attempt signs anew with a fresh timestamp, asks the board's <see cref="BrokerEndpoint"/>
/// (when set) where the broker is, connects and subscribes every topic; a failed attempt or a lost connection is tried
/// again from <see cref="Yield"/> after a <see cref="Backoff"/> wait (jittered, doubling up to
/// <see cref="LinkkitSettings.ReconnectMaxDelayMs"/>).</para>
/// <para>One thread drives the device: every callback runs inside <see cref="Connect"/> or <see cref="Yield"/>.</para>
/// </remarks>
public sealed class LinkkitDevice : IMqttSessionListener
{
    /// <summary>The suffix of the property post topic (<see cref="Report"/>).</summary>
    public const string PropertyPostSuffix = "thing/event/property/post";

    /// <summary>The method of the property post.</summary>
    public const string PropertyPostMethod = "thing.event.property.post";

    /// <summary>The timestamp the C SDK signs with, used while the wall clock is not yet valid.</summary>
    public const long FallbackTimestampMs = 2524608000000;

    private const int MaxSuffixLength = 128;

    // A take-over: the platform closing the connection soon after it was made, this many times in a row, is another
    // device logging in with this identity (two boards with one device.json), as Aliyun keeps one connection per device.
    private const int TakeoverLimit = 3;

    // Enough failures for the backoff's longest bound with any settings.
    private const int MaxFailures = 30;
    private const int ShortConnectionMs = 60000;

    private readonly DeviceIdentity _identity;
    private readonly LinkkitSettings _settings;
    private readonly IMqttSession _session;
    private readonly IClock _clock;
    private readonly ILog _log;
    private readonly LinkkitSigner _signer;
    private readonly Backoff _backoff;
    private readonly ConnectionCredentials _credentials = new ConnectionCredentials();
    private readonly byte[] _tx;
    private readonly JsonWriter _writer;
    private readonly byte[] _prefix;
    private readonly byte[] _idText = new byte[11];
    private readonly JsonReader _reader = new JsonReader(null);
    private static readonly byte[] IdName = { (byte)'i', (byte)'d' };
    private static readonly byte[] CodeName = { (byte)'c', (byte)'o', (byte)'d', (byte)'e' };

    // The request envelope's names, as bytes: a request is written without a string.
    private static readonly byte[] VersionName = Utf8.GetBytes("version");
    private static readonly byte[] VersionValue = Utf8.GetBytes("1.0");
    private static readonly byte[] ParamsName = Utf8.GetBytes("params");
    private static readonly byte[] MethodName = Utf8.GetBytes("method");

    // The topic table: one entry per defined topic; the handle is the index.
    private readonly byte[][] _publishTopic;
    private readonly byte[][] _method;
    private readonly byte[][] _filterSuffix;
    private readonly string[] _filter;
    private readonly ITopicHandler[] _handler;
    private readonly bool[] _expectsReplies;
    private int _topicCount;

    // The pending-request table: a slot is free when its handler is null.
    private readonly int[] _pendingId;
    private readonly int[] _pendingTopic;
    private readonly long[] _pendingDeadline;
    private readonly IReplyHandler[] _pendingHandler;
    private int _pendingCount;

    private int _lastId;
    private bool _connected;
    private bool _closed;

    // Supervision: on from the first Connect until Close; _failures counts failed attempts since the last connection.
    private bool _supervising;
    private int _failures;
    private long _nextAttemptMs;
    private long _connectedAtMs;
    private int _shortConnections;
    private readonly int _propertyPostTopic;

    private LinkkitDevice(DeviceIdentity identity, LinkkitSettings settings, IMqttSession session, IMac mac, IClock clock, ILog log, int seed)
    {
        _identity = identity;
        _settings = settings;
        _session = session;
        _clock = clock;
        _log = log;
        _signer = new LinkkitSigner(mac);
        _backoff = new Backoff(settings.ReconnectMinDelayMs, settings.ReconnectMaxDelayMs, seed);
        _tx = new byte[settings.TxBufferSize];
        _writer = new JsonWriter(_tx, 0, _tx.Length);
        _prefix = Utf8.GetBytes("/sys/" + identity.ProductKey + "/" + identity.DeviceName + "/");

        int topics = settings.MaxTopics;
        _publishTopic = new byte[topics][];
        _method = new byte[topics][];
        _filterSuffix = new byte[topics][];
        _filter = new string[topics];
        _handler = new ITopicHandler[topics];
        _expectsReplies = new bool[topics];

        int pending = settings.MaxPendingRequests;
        _pendingId = new int[pending];
        _pendingTopic = new int[pending];
        _pendingDeadline = new long[pending];
        _pendingHandler = new IReplyHandler[pending];

        _propertyPostTopic = DefineRequest(PropertyPostSuffix, PropertyPostMethod);
        if (PropertyPostTopic < 0)
        {
            throw new ArgumentException("MaxTopics leaves no room for the property post topic");
        }
    }

    /// <summary>Raised inside <see cref="Connect"/> or <see cref="Yield"/> each time the session is up and every topic is subscribed.</summary>
    public event LinkkitConnectionHandler Connected;

    /// <summary>Raised when an established connection is lost or closed; pending requests have ended by then.</summary>
    public event LinkkitConnectionHandler Disconnected;

    /// <summary>Where the broker is now, asked before every connection attempt; null: the settings' endpoint.</summary>
    public IBrokerEndpoint BrokerEndpoint { get; set; }

    /// <summary>The identity the device was opened with.</summary>
    public DeviceIdentity Identity => _identity;

    /// <summary>True while connected to the platform.</summary>
    public bool IsConnected => _connected;

    /// <summary>The handle of the property post topic, used by <see cref="Report"/>.</summary>
    public int PropertyPostTopic => _propertyPostTopic;

    /// <summary>The id of the most recent request, 0 before the first.</summary>
    public int LastRequestId => _lastId;

    /// <summary>How many requests wait for their replies.</summary>
    public int PendingRequests => _pendingCount;

    /// <summary>
    /// IOT_Linkkit_Open: checks the identity and settings and sets up the device's fixed buffers and tables. The
    /// DeviceSecret may still be missing (dynamic registration); <see cref="Connect"/> needs it.
    /// </summary>
    /// <exception cref="ArgumentNullException">A required part is null.</exception>
    /// <param name="identity">ProductKey, DeviceName and DeviceSecret (or ProductSecret for dynamic registration).</param>
    /// <param name="settings">Endpoint, signing, retry bounds and table sizes.</param>
    /// <param name="session">The MQTT session the device runs over.</param>
    /// <param name="mac">The HMAC that signs connections.</param>
    /// <param name="clock">Monotonic time for timeouts and retries, wall time for signatures.</param>
    /// <param name="log">Where connections, failures and dropped messages are logged (never a secret).</param>
    /// <param name="seed">Different on every device (for example from its MAC address or name): it seeds the reconnect jitter.</param>
    /// <exception cref="ArgumentNullException">A required part is null.</exception>
    /// <exception cref="ArgumentException">The identity or settings are invalid; the message names the check, never a secret.</exception>
    public static LinkkitDevice Open(DeviceIdentity identity, LinkkitSettings settings, IMqttSession session, IMac mac, IClock clock, ILog log, int seed)
    {
        if (identity == null || settings == null || session == null || mac == null || clock == null || log == null)
        {
            throw new ArgumentNullException(identity == null ? nameof(identity) : settings == null ? nameof(settings)
                : session == null ? nameof(session) : mac == null ? nameof(mac) : clock == null ? nameof(clock) : nameof(log));
        }

        LinkkitStatus status = identity.Validate(false);
        if (status == LinkkitStatus.Ok)
        {
            status = settings.Validate();
        }

        if (status == LinkkitStatus.Ok && !LinkkitSettings.IsClientId(LinkkitSigner.ClientIdOf(identity, settings)))
        {
            status = LinkkitStatus.BadClientId;
        }

        if (status != LinkkitStatus.Ok)
        {
            throw new ArgumentException("LinkKit device: " + LinkkitNames.Of(status));
        }

        var device = new LinkkitDevice(identity, settings, session, mac, clock, log, seed);
        session.SetListener(device);
        return device;
    }

    /// <summary>
    /// Routes messages on <c>/sys/{pk}/{dn}/{suffix}</c> to <paramref name="handler"/>; <c>+</c> matches one level.
    /// Subscribed at <see cref="Connect"/> (at once when already connected).
    /// </summary>
    /// <returns>The topic handle (0 or more), or <see cref="LinkkitStatus.BadTopic"/>, <see cref="LinkkitStatus.TooManyTopics"/> or <see cref="LinkkitStatus.SubscribeFailed"/> as an int.</returns>
    public int Route(string suffix, ITopicHandler handler)
    {
        if (handler == null)
        {
            throw new ArgumentNullException(nameof(handler));
        }

        if (!IsSuffix(suffix, true))
        {
            return (int)LinkkitStatus.BadTopic;
        }

        return AddTopic(null, suffix, null, handler, false);
    }

    /// <summary>
    /// Defines a request topic <c>/sys/{pk}/{dn}/{suffix}</c> with its <paramref name="method"/>; its replies arrive on
    /// <c>{suffix}_reply</c>, which is subscribed. Use the handle with <see cref="Query"/>.
    /// </summary>
    /// <returns>The topic handle, or a negative <see cref="LinkkitStatus"/> value as an int.</returns>
    public int DefineRequest(string suffix, string method) => DefineRequest(suffix, method, null);

    /// <summary>
    /// Defines a request topic as <see cref="DefineRequest(string, string)"/> does; replies that match no waiting
    /// request (late, repeated, without a valid id) go to <paramref name="unmatchedReplies"/> instead of being dropped.
    /// </summary>
    /// <returns>The topic handle, or a negative <see cref="LinkkitStatus"/> value as an int.</returns>
    public int DefineRequest(string suffix, string method, ITopicHandler unmatchedReplies)
    {
        if (!IsSuffix(suffix, false) || suffix.Length + 6 > MaxSuffixLength || !IsMethod(method))
        {
            return (int)LinkkitStatus.BadTopic;
        }

        return AddTopic(suffix, suffix + "_reply", method, unmatchedReplies, true);
    }

    /// <summary>
    /// IOT_Linkkit_TriggerEvent's topic: defines event <paramref name="identifier"/>, posted on
    /// <c>thing/event/{identifier}/post</c> with method <c>thing.event.{identifier}.post</c>.
    /// </summary>
    /// <returns>The topic handle for <see cref="TriggerEvent"/>, or a negative <see cref="LinkkitStatus"/> value as an int.</returns>
    public int DefineEvent(string identifier)
    {
        if (identifier == null || identifier.Length == 0 || identifier.Length > 64)
        {
            return (int)LinkkitStatus.BadTopic;
        }

        foreach (char c in identifier.ToCharArray())
        {
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            {
                return (int)LinkkitStatus.BadTopic;
            }
        }

        return DefineRequest("thing/event/" + identifier + "/post", "thing.event." + identifier + ".post");
    }

    /// <summary>Defines a topic <c>/sys/{pk}/{dn}/{suffix}</c> that is only published to (an ack such as <c>thing/config/push_reply</c>).</summary>
    /// <returns>The topic handle for <see cref="Publish(int, int)"/>, or a negative <see cref="LinkkitStatus"/> value as an int.</returns>
    public int DefineTopic(string suffix)
    {
        if (!IsSuffix(suffix, false))
        {
            return (int)LinkkitStatus.BadTopic;
        }

        return AddTopic(suffix, null, null, null, false);
    }

    /// <summary>
    /// IOT_Linkkit_Connect: connects now, and keeps the device connected until <see cref="Close"/>. An attempt signs the
    /// credentials with a fresh timestamp, connects the MQTT session, subscribes every route and reply topic, then raises
    /// <see cref="Connected"/>. When it fails, <see cref="Yield"/> tries again after a backoff wait, as after a lost connection.
    /// </summary>
    /// <returns><see cref="LinkkitStatus.Ok"/> (also when already connected); otherwise why this attempt failed
    /// (<see cref="LinkkitStatus.ConnectFailed"/>, <see cref="LinkkitStatus.SubscribeFailed"/>, a signing or validation
    /// failure) or <see cref="LinkkitStatus.Closed"/>.</returns>
    public LinkkitStatus Connect()
    {
        if (_closed)
        {
            return LinkkitStatus.Closed;
        }

        if (_connected)
        {
            return LinkkitStatus.Ok;
        }

        _supervising = true;
        return Attempt();
    }

    /// <summary>
    /// IOT_Linkkit_Yield: services the MQTT session for up to <paramref name="timeoutMs"/>, delivering messages and
    /// replies, then ends the requests whose time is up. While not connected it makes the next connection attempt when
    /// its wait is over, and otherwise sleeps (at most <paramref name="timeoutMs"/>, never past the attempt).
    /// </summary>
    public void Yield(int timeoutMs)
    {
        if (_closed)
        {
            return;
        }

        if (!_connected && _supervising && _clock.MonotonicMs - _nextAttemptMs >= 0)
        {
            Attempt();
        }

        if (_connected)
        {
            _session.Yield(timeoutMs);
        }
        else if (timeoutMs > 0)
        {
            long untilAttempt = _nextAttemptMs - _clock.MonotonicMs;
            Thread.Sleep(_supervising && untilAttempt < timeoutMs ? (untilAttempt > 0 ? (int)untilAttempt : 0) : timeoutMs);
        }

        if (_pendingCount > 0)
        {
            long now = _clock.MonotonicMs;
            for (int i = 0; i < _pendingHandler.Length; i++)
            {
                IReplyHandler handler = _pendingHandler[i];
                if (handler != null && now - _pendingDeadline[i] >= 0)
                {
                    int id = _pendingId[i];
                    FreeSlot(i);
                    handler.OnReply(this, id, ReplyStatus.TimedOut, -1, _tx, 0, 0);
                }
            }
        }
    }

    /// <summary>
    /// IOT_Linkkit_Query: sends a request on the request topic <paramref name="topic"/> with the next id and the
    /// params written by <paramref name="parameters"/> (null for <c>{}</c>). When <paramref name="reply"/> is set,
    /// the request waits for its reply up to <paramref name="timeoutMs"/> (0 or less: the settings' default).
    /// </summary>
    /// <returns>The request id (1 or more), or a negative <see cref="LinkkitStatus"/> value as an int.</returns>
    public int Query(int topic, IJsonMembers parameters, IReplyHandler reply, int timeoutMs)
    {
        if (topic < 0 || topic >= _topicCount || _method[topic] == null)
        {
            throw new ArgumentOutOfRangeException(nameof(topic));
        }

        if (_closed)
        {
            return (int)LinkkitStatus.Closed;
        }

        if (!_connected)
        {
            return (int)LinkkitStatus.NotConnected;
        }

        int slot = -1;
        if (reply != null)
        {
            for (int i = 0; i < _pendingHandler.Length; i++)
            {
                if (_pendingHandler[i] == null)
                {
                    slot = i;
                    break;
                }
            }

            if (slot < 0)
            {
                return (int)LinkkitStatus.TooManyPending;
            }
        }

        int id = _lastId == int.MaxValue ? 1 : _lastId + 1;
        _lastId = id;
        int idLength = Decimal(id, _idText);

        JsonWriter w = _writer;
        w.Reset();
        w.BeginObject();
        w.WriteName(IdName);
        w.WriteString(_idText, 0, idLength);
        w.WriteProperty(VersionName, VersionValue);
        w.WriteName(ParamsName);
        w.BeginObject();
        if (parameters != null)
        {
            parameters.WriteMembers(w);
        }

        if (w.Depth != 2)
        {
            throw new InvalidOperationException("request params left objects open or closed too many");
        }

        w.EndObject();
        w.WriteProperty(MethodName, _method[topic]);
        w.EndObject();
        if (w.Overflowed)
        {
            _log.Write(LogLevel.Warning, "linkkit", "request does not fit the transmit buffer");
            return (int)LinkkitStatus.PayloadTooLarge;
        }

        if (slot >= 0)
        {
            _pendingId[slot] = id;
            _pendingTopic[slot] = topic;
            _pendingDeadline[slot] = _clock.MonotonicMs + (timeoutMs > 0 ? timeoutMs : _settings.RequestTimeoutMs);
            _pendingHandler[slot] = reply;
            _pendingCount++;
        }

        byte[] t = _publishTopic[topic];
        if (_session.Publish(t, 0, t.Length, _tx, 0, w.Length, 0) != MqttStatus.Ok)
        {
            if (slot >= 0)
            {
                FreeSlot(slot);
            }

            return (int)LinkkitStatus.PublishFailed;
        }

        return id;
    }

    /// <summary>IOT_Linkkit_Report (property post): sends <c>thing.event.property.post</c> with the given params.</summary>
    /// <returns>The request id, or a negative <see cref="LinkkitStatus"/> value as an int.</returns>
    public int Report(IJsonMembers properties, IReplyHandler reply) => Query(PropertyPostTopic, properties, reply, 0);

    /// <summary>IOT_Linkkit_TriggerEvent: posts the event defined with <see cref="DefineEvent"/> with the given params.</summary>
    /// <returns>The request id, or a negative <see cref="LinkkitStatus"/> value as an int.</returns>
    public int TriggerEvent(int eventTopic, IJsonMembers parameters, IReplyHandler reply) => Query(eventTopic, parameters, reply, 0);

    /// <summary>Starts a free-form message in the transmit buffer (an ack, for example) for <see cref="Publish(int, int)"/>.</summary>
    /// <returns>The writer over the transmit buffer, emptied.</returns>
    public JsonWriter BeginMessage()
    {
        _writer.Reset();
        return _writer;
    }

    /// <summary>Publishes the message written since <see cref="BeginMessage"/> on <paramref name="topic"/> at QoS <paramref name="qos"/>.</summary>
    /// <returns><see cref="LinkkitStatus.Ok"/>, <see cref="LinkkitStatus.PayloadTooLarge"/> when it overflowed, or another failure.</returns>
    public LinkkitStatus Publish(int topic, int qos)
    {
        if (_writer.Overflowed)
        {
            return LinkkitStatus.PayloadTooLarge;
        }

        if (!_writer.IsComplete)
        {
            throw new InvalidOperationException("the message is not complete JSON");
        }

        return Publish(topic, _tx, 0, _writer.Length, qos);
    }

    /// <summary>Publishes a payload view on the defined topic <paramref name="topic"/> at QoS <paramref name="qos"/> (0 or 1).</summary>
    /// <returns><see cref="LinkkitStatus.Ok"/>, or why not.</returns>
    public LinkkitStatus Publish(int topic, byte[] payload, int offset, int count, int qos)
    {
        if (topic < 0 || topic >= _topicCount || _publishTopic[topic] == null)
        {
            throw new ArgumentOutOfRangeException(nameof(topic));
        }

        if (qos < 0 || qos > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(qos));
        }

        if (_closed)
        {
            return LinkkitStatus.Closed;
        }

        if (!_connected)
        {
            return LinkkitStatus.NotConnected;
        }

        byte[] t = _publishTopic[topic];
        return _session.Publish(t, 0, t.Length, payload, offset, count, qos) == MqttStatus.Ok
            ? LinkkitStatus.Ok
            : LinkkitStatus.PublishFailed;
    }

    /// <summary>IOT_Linkkit_Close: disconnects, ends every pending request with <see cref="ReplyStatus.Closed"/>, and refuses further use.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _supervising = false;
        bool wasConnected = _connected;
        _connected = false;
        _session.SetListener(null);
        _session.Disconnect();
        EndAllPending(ReplyStatus.Closed);
        if (wasConnected)
        {
            RaiseDisconnected();
        }
    }

    /// <inheritdoc/>
    void IMqttSessionListener.OnConnectionLost(MqttStatus reason)
    {
        if (!_connected)
        {
            return;
        }

        _connected = false;
        bool closedSoon = reason == MqttStatus.ChannelFailed && _clock.MonotonicMs - _connectedAtMs < ShortConnectionMs;
        _shortConnections = closedSoon ? _shortConnections + 1 : 0;
        if (_shortConnections >= TakeoverLimit)
        {
            // Taking the session back would only close the other device's connection in turn: wait the longest instead.
            _failures = MaxFailures;
            int longest = _backoff.DelayMs(_failures);
            _nextAttemptMs = _clock.MonotonicMs + longest;
            _log.Write(LogLevel.Error, "linkkit", "the platform closed this connection " + _shortConnections.ToString()
                + " times in a row, each within " + (ShortConnectionMs / 1000).ToString() + " s of connecting: another device is using the identity "
                + _identity.ToString() + "; reconnecting in " + longest.ToString() + " ms instead of taking the session back");
        }
        else
        {
            _failures = 1;
            int wait = _backoff.DelayMs(_failures);
            _nextAttemptMs = _clock.MonotonicMs + wait;
            _log.Write(LogLevel.Warning, "linkkit", "connection lost: " + MqttNames.Of(reason) + "; reconnecting in " + wait.ToString() + " ms");
        }

        EndAllPending(ReplyStatus.Disconnected);
        RaiseDisconnected();
    }

    /// <inheritdoc/>
    void IMqttSessionListener.OnMessage(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount)
    {
        if (_closed || topic == null || payload == null)
        {
            return;
        }

        int entry = Match(topic, topicOffset, topicCount);
        if (entry < 0)
        {
            return;
        }

        if (_expectsReplies[entry] && DeliverReply(entry, payload, payloadOffset, payloadCount))
        {
            return;
        }

        ITopicHandler handler = _handler[entry];
        if (handler != null)
        {
            handler.OnTopicMessage(this, entry, payload, payloadOffset, payloadCount);
        }
    }

    /// <inheritdoc/>
    void IMqttSessionListener.OnOversize(byte[] topic, int topicOffset, int topicCount, int payloadSize, byte[] prefix, int prefixOffset, int prefixCount)
    {
        if (_closed || topic == null || prefix == null)
        {
            return;
        }

        string name = topicCount > 0 ? Utf8.GetString(topic, topicOffset, topicCount) : "a topic that did not fit";
        _log.Write(LogLevel.Warning, "linkkit", "dropped a message of " + payloadSize.ToString() + " bytes on " + name
            + ": larger than the MQTT receive buffer");
        int entry = Match(topic, topicOffset, topicCount);
        if (entry < 0)
        {
            return;
        }

        // A reply whose id fits ends its request; anything else goes to the topic's handler with the prefix.
        long id;
        int code;
        bool whole = ReadReply(prefix, prefixOffset, prefixCount, out id, out code);
        if (_expectsReplies[entry] && (whole || id > 0))
        {
            int slot = FindPending(entry, id);
            if (slot >= 0)
            {
                IReplyHandler reply = _pendingHandler[slot];
                FreeSlot(slot);
                reply.OnReply(this, (int)id, ReplyStatus.TooLarge, -1, prefix, prefixOffset, prefixCount);
                return;
            }
        }

        ITopicHandler handler = _handler[entry];
        if (handler != null)
        {
            handler.OnTopicOversize(this, entry, payloadSize, prefix, prefixOffset, prefixCount);
        }
    }

    // One connection attempt; a failure schedules the next one.
    private LinkkitStatus Attempt()
    {
        LinkkitStatus status = ConnectOnce();
        if (status != LinkkitStatus.Ok && !_closed)
        {
            if (_failures < MaxFailures)
            {
                _failures++;
            }

            int wait = _backoff.DelayMs(_failures);
            _nextAttemptMs = _clock.MonotonicMs + wait;
            _log.Write(LogLevel.Info, "linkkit", "next connection attempt in " + wait.ToString() + " ms");
        }

        return status;
    }

    private LinkkitStatus ConnectOnce()
    {
        long timestamp = _clock.UnixTimeMs;
        ConnectionCredentials c = _credentials;
        LinkkitStatus status = timestamp > 0
            ? _signer.SignConnection(_identity, _settings, timestamp, c)
            : _signer.SignConnectionWithoutClock(_identity, _settings, _clock.MonotonicMs, c);
        if (status != LinkkitStatus.Ok)
        {
            _log.Write(LogLevel.Error, "linkkit", "cannot sign the connection: " + LinkkitNames.Of(status));
            return status;
        }

        IBrokerEndpoint endpoint = BrokerEndpoint;
        string host;
        int port;
        if (endpoint != null && endpoint.TryRead(out host, out port))
        {
            if (host != null && host.Length > 0 && port > 0 && port <= 65535)
            {
                c.Host = host;
                c.Port = port;
            }
            else
            {
                _log.Write(LogLevel.Warning, "linkkit", "the board's broker endpoint is not usable; using the settings' one");
            }
        }

        MqttStatus mqtt = _session.Connect(c, _settings.ConnectTimeoutMs);
        c.Password = null;
        if (mqtt != MqttStatus.Ok)
        {
            _log.Write(LogLevel.Warning, "linkkit", "connect to " + c.Host + ":" + c.Port.ToString() + " failed: " + MqttNames.Of(mqtt));
            return LinkkitStatus.ConnectFailed;
        }

        for (int i = 0; i < _topicCount; i++)
        {
            if (_filter[i] != null && _session.Subscribe(_filter[i], 0) != MqttStatus.Ok)
            {
                _log.Write(LogLevel.Warning, "linkkit", "subscribe failed: " + _filter[i]);
                _session.Disconnect();
                return LinkkitStatus.SubscribeFailed;
            }
        }

        _connected = true;
        _failures = 0;
        _connectedAtMs = _clock.MonotonicMs;
        _log.Write(LogLevel.Info, "linkkit", "connected to " + c.Host + ":" + c.Port.ToString() + " as " + _identity.ToString());
        LinkkitConnectionHandler connected = Connected;
        if (connected != null)
        {
            connected(this);
        }

        return LinkkitStatus.Ok;
    }

    // The prefix, then the first entry whose filter suffix matches the rest ('+' spans one level); -1 when none does.
    private int Match(byte[] topic, int topicOffset, int topicCount)
    {
        byte[] prefix = _prefix;
        int p = prefix.Length;
        if (topicCount <= p)
        {
            return -1;
        }

        for (int i = 0; i < p; i++)
        {
            if (topic[topicOffset + i] != prefix[i])
            {
                return -1;
            }
        }

        int restStart = topicOffset + p;
        int restEnd = topicOffset + topicCount;
        for (int e = 0; e < _topicCount; e++)
        {
            byte[] f = _filterSuffix[e];
            if (f == null)
            {
                continue;
            }

            int fi = 0;
            int ti = restStart;
            bool match = true;
            while (fi < f.Length)
            {
                if (f[fi] == '+')
                {
                    while (ti < restEnd && topic[ti] != '/')
                    {
                        ti++;
                    }

                    fi++;
                    continue;
                }

                if (ti >= restEnd || topic[ti] != f[fi])
                {
                    match = false;
                    break;
                }

                fi++;
                ti++;
            }

            if (match && ti == restEnd)
            {
                return e;
            }
        }

        return -1;
    }

    private bool DeliverReply(int entry, byte[] payload, int offset, int count)
    {
        if (_pendingCount == 0)
        {
            return false;
        }

        long id;
        int code;
        if (!ReadReply(payload, offset, count, out id, out code))
        {
            _log.Write(LogLevel.Warning, "linkkit", id < 0 ? "reply without id" : "reply is not valid JSON with an integer id");
            return false;
        }

        int slot = FindPending(entry, id);
        if (slot < 0)
        {
            return false;
        }

        IReplyHandler handler = _pendingHandler[slot];
        FreeSlot(slot);
        handler.OnReply(this, (int)id, ReplyStatus.Replied, code, payload, offset, count);
        return true;
    }

    /// <summary>
    /// One pass over a reply: its first top-level <c>id</c> (0 when unreadable, -1 when a whole object has none) and
    /// <c>code</c> (-1 when none). True only when the reply is one valid JSON object with an integer id.
    /// </summary>
    private bool ReadReply(byte[] payload, int offset, int count, out long id, out int code)
    {
        JsonReader r = _reader;
        r.Begin(payload, offset, count);
        bool isObject = r.Read() && r.TokenKind == JsonTokenKind.BeginObject;
        bool hasId = false;
        bool idOk = false;
        bool hasCode = false;
        id = 0;
        code = -1;
        while (isObject && r.Read())
        {
            if (r.Depth != 1 || r.TokenKind != JsonTokenKind.PropertyName)
            {
                continue;
            }

            if (!hasId && r.ValueEquals(IdName))
            {
                hasId = true;
                idOk = r.Read() && WireInteger.TryRead(r, out id);
            }
            else if (!hasCode && r.ValueEquals(CodeName))
            {
                hasCode = true;
                long value;
                if (r.Read() && WireInteger.TryRead(r, out value) && value >= int.MinValue && value <= int.MaxValue)
                {
                    code = (int)value;
                }
            }

            if (r.TokenKind == JsonTokenKind.PropertyName || r.TokenKind == JsonTokenKind.BeginObject || r.TokenKind == JsonTokenKind.BeginArray)
            {
                r.Skip();
            }
        }

        if (!idOk)
        {
            id = isObject && r.Error == JsonError.None && !hasId ? -1 : 0;
        }

        return isObject && r.Error == JsonError.None && idOk;
    }

    private int FindPending(int entry, long id)
    {
        for (int i = 0; i < _pendingHandler.Length; i++)
        {
            if (_pendingHandler[i] != null && _pendingId[i] == id && _pendingTopic[i] == entry)
            {
                return i;
            }
        }

        return -1;
    }

    private int AddTopic(string publishSuffix, string filterSuffix, string method, ITopicHandler handler, bool expectsReplies)
    {
        if (_topicCount >= _publishTopic.Length)
        {
            return (int)LinkkitStatus.TooManyTopics;
        }

        int e = _topicCount;
        string prefix = "/sys/" + _identity.ProductKey + "/" + _identity.DeviceName + "/";
        _publishTopic[e] = publishSuffix == null ? null : Utf8.GetBytes(prefix + publishSuffix);
        _method[e] = method == null ? null : Utf8.GetBytes(method);
        _filterSuffix[e] = filterSuffix == null ? null : Utf8.GetBytes(filterSuffix);
        _filter[e] = filterSuffix == null ? null : prefix + filterSuffix;
        _handler[e] = handler;
        _expectsReplies[e] = expectsReplies;
        _topicCount++;

        if (_connected && _filter[e] != null && _session.Subscribe(_filter[e], 0) != MqttStatus.Ok)
        {
            return (int)LinkkitStatus.SubscribeFailed;
        }

        return e;
    }

    private void FreeSlot(int slot)
    {
        _pendingHandler[slot] = null;
        _pendingId[slot] = 0;
        _pendingCount--;
    }

    private void EndAllPending(ReplyStatus status)
    {
        for (int i = 0; i < _pendingHandler.Length; i++)
        {
            IReplyHandler handler = _pendingHandler[i];
            if (handler != null)
            {
                int id = _pendingId[i];
                FreeSlot(i);
                handler.OnReply(this, id, status, -1, _tx, 0, 0);
            }
        }
    }

    private void RaiseDisconnected()
    {
        LinkkitConnectionHandler disconnected = Disconnected;
        if (disconnected != null)
        {
            disconnected(this);
        }
    }

    // A suffix: levels of A-Z a-z 0-9 _ - . @ : separated by single '/', no leading or trailing '/';
    // with wildcards, a level may be exactly '+'.
    private static bool IsSuffix(string text, bool wildcards)
    {
        char[] suffix = text == null ? null : text.ToCharArray();
        if (suffix == null || suffix.Length == 0 || suffix.Length > MaxSuffixLength)
        {
            return false;
        }

        int levelStart = 0;
        for (int i = 0; i <= suffix.Length; i++)
        {
            if (i == suffix.Length || suffix[i] == '/')
            {
                if (i == levelStart)
                {
                    return false;
                }

                levelStart = i + 1;
                continue;
            }

            char c = suffix[i];
            if (c == '+')
            {
                bool alone = i == levelStart && (i + 1 == suffix.Length || suffix[i + 1] == '/');
                if (!wildcards || !alone)
                {
                    return false;
                }

                continue;
            }

            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == '.' || c == '@' || c == ':'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsMethod(string method)
    {
        char[] chars = method == null ? null : method.ToCharArray();
        if (chars == null || chars.Length == 0 || chars.Length > 128)
        {
            return false;
        }

        foreach (char c in chars)
        {
            if (c <= ' ' || c > '~' || c == '"' || c == '\\')
            {
                return false;
            }
        }

        return true;
    }

    private static int Decimal(int value, byte[] into)
    {
        int digits = 1;
        for (int t = value / 10; t != 0; t /= 10)
        {
            digits++;
        }

        for (int i = digits - 1; i >= 0; i--)
        {
            into[i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        return digits;
    }
}
