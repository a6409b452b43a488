using System;
using CotaFirmware.Json;
using CotaFirmware.Mqtt;
using CotaFirmware.Platform;
using CotaFirmware.Text;
using CotaFirmware.Timing;

namespace CotaFirmware.Linkkit;

/// <summary>
/// A device on Alibaba Cloud IoT Platform (LinkKit): the C SDK's Open, Connect, Yield, Query, Report,
/// TriggerEvent and Close over an <see cref="IMqttSession"/>, and the one supervisor of its connection.
/// </summary>
/// <remarks>
/// <para>Three parts, one job each: the device (this file: opening, topics, handing what arrives to the right owner;
/// LinkkitDevice.Connection.cs supervises the connection: connect, backoff, yield, take-over, drop, close);
/// <see cref="TopicTable"/> holds the topics under <c>/sys/{pk}/{dn}/</c> as bytes
/// and matches incoming ones; <see cref="PendingRequests"/> holds the requests that wait, reads a reply's envelope once
/// and ends each request. LinkkitDevice.Send.cs writes and publishes requests and messages.</para>
/// <para>Topics are defined once (<see cref="Route"/>, <see cref="DefineRequest(string, string)"/>, <see cref="DefineEvent"/>,
/// <see cref="DefineTopic"/>), so receiving and sending allocate nothing. Every defined reply or route topic is
/// subscribed at <see cref="Connect"/>; a subscription the broker refuses is logged as an error, and the connection kept.</para>
/// <para>The device is the one owner of its connection: from the first <see cref="Connect"/> until <see cref="Close"/> it
/// keeps the session up. Every attempt signs anew with a fresh timestamp, asks the board's <see cref="BrokerEndpoint"/>
/// (when set) where the broker is, connects and subscribes every topic; a failed attempt or a lost connection is tried
/// again from <see cref="Yield"/> after a <see cref="Backoff"/> wait (jittered, doubling up to
/// <see cref="LinkkitSettings.BackoffMaxMs"/>). While it waits, <see cref="Yield"/> blocks through
/// <see cref="IClock.Wait"/>, the owner of every blocking wait in the core.</para>
/// <para>One thread drives the device: every callback runs inside <see cref="Connect"/> or <see cref="Yield"/>.</para>
/// </remarks>
public sealed partial class LinkkitDevice : IMqttSessionListener
{
    /// <summary>The suffix of the property post topic (<see cref="Report"/>).</summary>
    public const string PropertyPostSuffix = "thing/event/property/post";

    /// <summary>The method of the property post.</summary>
    public const string PropertyPostMethod = "thing.event.property.post";

    /// <summary>The timestamp the C SDK signs with, used while the wall clock is not yet valid.</summary>
    public const long FallbackTimestampMs = 2524608000000;

    private readonly DeviceIdentity _identity;
    private readonly LinkkitSettings _settings;
    private readonly IMqttSession _session;
    private readonly IClock _clock;
    private readonly ILog _log;
    private readonly LinkkitSigner _signer;
    private readonly Backoff _backoff;
    private readonly ConnectionCredentials _credentials = new ConnectionCredentials();
    private readonly TopicTable _topics;
    private readonly PendingRequests _pending;
    private readonly int _propertyPostTopic;

    private bool _connected;
    private bool _closed;

    // Supervision: on from the first Connect until Close; _failures counts failed attempts since the last connection.
    private bool _supervising;
    private int _failures;
    private long _nextAttemptMs;
    private long _connectedAtMs;
    private int _shortConnections;
    private int _refusedSessions; // connections in a row lost soon after connecting on bytes the client refused

    private LinkkitDevice(DeviceIdentity identity, LinkkitSettings settings, IMqttSession session, IMac mac, IClock clock, ILog log, int seed)
    {
        _identity = identity;
        _settings = settings;
        _session = session;
        _clock = clock;
        _log = log;
        _signer = new LinkkitSigner(mac);
        _backoff = new Backoff(settings.BackoffMinMs, settings.BackoffMaxMs, seed);
        _tx = new byte[settings.TxBufferSize];
        _writer = new JsonWriter(_tx, 0, _tx.Length);
        _topics = new TopicTable(identity, settings.MaxTopics);
        _pending = new PendingRequests(settings.MaxPendingRequests, log);
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
    public IBrokerEndpoint BrokerEndpoint;

    /// <summary>The identity the device was opened with.</summary>
    public DeviceIdentity Identity => _identity;

    /// <summary>True while connected to the platform.</summary>
    public bool IsConnected => _connected;

    /// <summary>The handle of the property post topic, used by <see cref="Report"/>.</summary>
    public int PropertyPostTopic => _propertyPostTopic;

    /// <summary>The id of the most recent request, 0 before the first.</summary>
    public int LastRequestId => _pending.LastId;

    /// <summary>How many requests wait for their replies.</summary>
    public int WaitingRequests => _pending.Count;

    /// <summary>
    /// IOT_Linkkit_Open: checks the identity and settings and sets up the device's fixed buffers and tables. The
    /// DeviceSecret may still be missing (dynamic registration); <see cref="Connect"/> needs it.
    /// </summary>
    /// <param name="identity">ProductKey, DeviceName and DeviceSecret (or ProductSecret for dynamic registration).</param>
    /// <param name="settings">Endpoint, signing, retry bounds and table sizes.</param>
    /// <param name="session">The MQTT session the device runs over.</param>
    /// <param name="mac">The HMAC that signs connections.</param>
    /// <param name="clock">Monotonic time for timeouts and retries, wall time for signatures, and the wait between attempts.</param>
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
    /// <returns>The topic handle (0 or more), or <see cref="LinkkitStatus.BadTopic"/> or <see cref="LinkkitStatus.TooManyTopics"/> as an int.</returns>
    public int Route(string suffix, ITopicHandler handler)
    {
        if (handler == null)
        {
            throw new ArgumentNullException(nameof(handler));
        }

        return Subscribed(_topics.AddRoute(suffix, handler));
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
    public int DefineRequest(string suffix, string method, IReplyHandler unmatchedReplies)
    {
        return Subscribed(_topics.AddRequest(suffix, method, unmatchedReplies));
    }

    /// <summary>
    /// IOT_Linkkit_TriggerEvent's topic: defines event <paramref name="identifier"/>, posted on
    /// <c>thing/event/{identifier}/post</c> with method <c>thing.event.{identifier}.post</c>.
    /// </summary>
    /// <returns>The topic handle for <see cref="TriggerEvent"/>, or a negative <see cref="LinkkitStatus"/> value as an int.</returns>
    public int DefineEvent(string identifier) => Subscribed(_topics.AddEvent(identifier));

    /// <summary>Defines a topic <c>/sys/{pk}/{dn}/{suffix}</c> that is only published to (an ack such as <c>thing/config/push_reply</c>).</summary>
    /// <returns>The topic handle for <see cref="Publish(int, int)"/>, or a negative <see cref="LinkkitStatus"/> value as an int.</returns>
    public int DefineTopic(string suffix) => _topics.AddPublishOnly(suffix);

    /// <inheritdoc/>
    void IMqttSessionListener.OnMessage(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount)
    {
        if (_closed || topic == null || payload == null)
        {
            return;
        }

        int entry = _topics.Match(topic, topicOffset, topicCount);
        if (entry < 0)
        {
            return;
        }

        if (_topics.TakesReplies(entry))
        {
            _pending.Deliver(this, entry, _topics.UnmatchedReplies(entry), payload, payloadOffset, payloadCount);
            return;
        }

        ITopicHandler handler = _topics.Route(entry);
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
        int entry = _topics.Match(topic, topicOffset, topicCount);
        if (entry < 0)
        {
            return;
        }

        if (_topics.TakesReplies(entry))
        {
            _pending.DeliverOversize(this, entry, _topics.UnmatchedReplies(entry), payloadSize, prefix, prefixOffset, prefixCount);
            return;
        }

        ITopicHandler handler = _topics.Route(entry);
        if (handler != null)
        {
            handler.OnTopicOversize(this, entry, payloadSize, prefix, prefixOffset, prefixCount);
        }
    }

    // A topic just defined is subscribed at once when the device is connected; a handle or a failure passes through.
    // The topic stays defined when that SUBSCRIBE cannot go (the session is failing): every connect subscribes it.
    private int Subscribed(int topic)
    {
        if (topic >= 0 && _connected)
        {
            string filter = _topics.Filter(topic);
            MqttStatus subscribed = filter == null ? MqttStatus.Ok : _session.Subscribe(filter, 0);
            if (subscribed != MqttStatus.Ok)
            {
                _log.Write(LogLevel.Warning, "linkkit", "subscribe failed: " + filter + " (" + MqttNames.Of(subscribed) + "); again at the next connect");
            }
        }

        return topic;
    }
}
