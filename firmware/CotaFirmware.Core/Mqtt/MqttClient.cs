using System;
using System.Threading;
using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Mqtt;

/// <summary>MQTT 3.1.1 session over an <see cref="IByteChannel"/>: QoS 0 and 1, keep-alive, resubscribe and reconnect, in fixed buffers.</summary>
/// <remarks>
/// Single-threaded: one thread drives it with <see cref="Yield"/> (or an <see cref="MqttBackgroundDriver"/> does).
/// Publish, Subscribe and Unsubscribe may be called from other threads and from handlers; Yield must not be called from a handler.
/// All memory is allocated in the constructor: receiving and publishing allocate nothing.
/// Frames are checked before use; a malformed frame closes the connection with a Malformed* status, never an exception.
/// </remarks>
public sealed class MqttClient
{
    readonly IByteChannel _channel;
    readonly IClock _clock;
    readonly object _sync = new object();
    readonly string _host;
    readonly int _port;
    readonly bool _tls;
    readonly bool _cleanSession;
    readonly int _keepAliveMs;
    readonly int _keepAliveSeconds;
    readonly int _connectTimeoutMs;
    readonly int _pingTimeoutMs;
    readonly int _writeTimeoutMs;
    readonly int _reconnectMinMs;
    readonly int _reconnectMaxMs;
    readonly Random _random;
    readonly MqttMessage _message = new MqttMessage();
    readonly byte[] _ctl = new byte[4];
    byte[] _clientId;
    byte[] _username;
    byte[] _password;

    // Receive: bytes [_rxStart, _rxEnd) are read but not yet consumed; _drainLeft counts bytes of an oversize packet still to skip.
    readonly byte[] _rx;
    int _rxStart;
    int _rxEnd;
    int _drainLeft;

    readonly byte[] _tx;

    // In-flight QoS 1 messages, each kept as its encoded PUBLISH in one slab, in publish order.
    readonly byte[] _slab;
    int _slabUsed;
    readonly int[] _flightId;
    readonly int[] _flightOffset;
    readonly int[] _flightLength;
    readonly bool[] _flightSent;
    int _flightCount;

    // Subscription table: filters packed in one slab.
    readonly byte[] _subBytes;
    int _subUsed;
    readonly int[] _subOffset;
    readonly int[] _subLength;
    readonly int[] _subQos;
    readonly int[] _subPacketId;
    int _subCount;

    MqttConnectionState _state;
    bool _started;
    int _generation;
    int _nextPacketId;
    int _backoffMs;
    long _nextAttemptMs;
    long _connackDeadlineMs;
    long _lastTxMs;
    long _lastRxMs;
    long _pingSentMs;
    bool _pingOutstanding;
    MqttStatus _lastReason = MqttStatus.NotConnected;

    /// <summary>Creates a client and allocates all its buffers; nothing is sent until <see cref="Connect"/>.</summary>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public MqttClient(IByteChannel channel, IClock clock, MqttClientOptions options)
    {
        if (channel == null || clock == null || options == null)
        {
            throw new ArgumentNullException(channel == null ? "channel" : (clock == null ? "clock" : "options"));
        }

        if (options.Host == null || options.Host.Length == 0 || options.ClientId == null)
        {
            throw new ArgumentException("Host and ClientId are required");
        }

        if (options.KeepAliveSeconds < 30 || options.KeepAliveSeconds > 1200)
        {
            throw new ArgumentOutOfRangeException("KeepAliveSeconds", "must be 30..1200");
        }

        if (options.Port <= 0 || options.Port > 65535 || options.ReceiveBufferSize < 16 || options.TransmitBufferSize < 16
            || options.InFlightCount < 1 || options.InFlightBytes < 16 || options.MaxSubscriptions < 1 || options.SubscriptionBytes < 1
            || options.ConnectTimeoutMs < 1 || options.PingTimeoutMs < 1 || options.WriteTimeoutMs < 1
            || options.ReconnectMinMs < 1 || options.ReconnectMaxMs < options.ReconnectMinMs)
        {
            throw new ArgumentOutOfRangeException("options", "a size, count or timeout is out of range");
        }

        _channel = channel;
        _clock = clock;
        _host = options.Host;
        _port = options.Port;
        _tls = options.Tls;
        _cleanSession = options.CleanSession;
        _keepAliveSeconds = options.KeepAliveSeconds;
        _keepAliveMs = options.KeepAliveSeconds * 1000;
        _connectTimeoutMs = options.ConnectTimeoutMs;
        _pingTimeoutMs = options.PingTimeoutMs;
        _writeTimeoutMs = options.WriteTimeoutMs;
        _reconnectMinMs = options.ReconnectMinMs;
        _reconnectMaxMs = options.ReconnectMaxMs;
        _backoffMs = _reconnectMinMs;
        _random = options.JitterSeed != 0 ? new Random(options.JitterSeed) : new Random((int)clock.MonotonicMs);
        SetCredentials(options.ClientId, options.Username, options.Password);

        _rx = new byte[options.ReceiveBufferSize];
        _tx = new byte[options.TransmitBufferSize];
        _slab = new byte[options.InFlightBytes];
        _flightId = new int[options.InFlightCount];
        _flightOffset = new int[options.InFlightCount];
        _flightLength = new int[options.InFlightCount];
        _flightSent = new bool[options.InFlightCount];
        _subBytes = new byte[options.SubscriptionBytes];
        _subOffset = new int[options.MaxSubscriptions];
        _subLength = new int[options.MaxSubscriptions];
        _subQos = new int[options.MaxSubscriptions];
        _subPacketId = new int[options.MaxSubscriptions];
        _message.Buffer = _rx;
    }

    /// <summary>Called for each incoming PUBLISH, with views into the receive buffer.</summary>
    public MqttMessageHandler MessageReceived { get; set; }

    /// <summary>Called for each incoming packet larger than the receive buffer (drained and dropped; a QoS 1 PUBLISH is still acknowledged).</summary>
    public MqttOversizeHandler OversizeReceived { get; set; }

    /// <summary>Called when the session comes up or goes down, and when a connection attempt fails.</summary>
    public MqttConnectionHandler ConnectionChanged { get; set; }

    /// <summary>Called with each SUBACK return code, for the filter it answers.</summary>
    public MqttSubscribeHandler SubscribeCompleted { get; set; }

    /// <summary>Called when an outgoing QoS 1 message is acknowledged.</summary>
    public MqttPublishAckHandler PublishAcknowledged { get; set; }

    /// <summary>The connection state now.</summary>
    public MqttConnectionState State => _state;

    /// <summary>True between <see cref="Connect"/> and <see cref="Disconnect"/>: the client keeps (re)connecting.</summary>
    public bool IsStarted => _started;

    /// <summary>True while the broker has the session up.</summary>
    public bool IsConnected => _state == MqttConnectionState.Connected;

    /// <summary>Why the last connection ended or the last attempt failed (<see cref="MqttStatus.NotConnected"/> before any).</summary>
    public MqttStatus LastReason => _lastReason;

    /// <summary>The last negative <see cref="ChannelStatus"/> the channel returned (0 when none).</summary>
    public int LastChannelStatus { get; private set; }

    /// <summary>The CONNACK session-present flag of the current connection.</summary>
    public bool SessionPresent { get; private set; }

    /// <summary>The packet identifier of the last QoS 1 publish, subscribe or unsubscribe.</summary>
    public int LastPacketId { get; private set; }

    /// <summary>How many outgoing QoS 1 messages wait for PUBACK.</summary>
    public int InFlightCount => _flightCount;

    /// <summary>How many topic filters the client remembers.</summary>
    public int SubscriptionCount => _subCount;

    /// <summary>The milliseconds until the next reconnect attempt when disconnected; 0 otherwise.</summary>
    public int ReconnectDelayMs
    {
        get
        {
            long d = _nextAttemptMs - _clock.MonotonicMs;
            return _state == MqttConnectionState.Disconnected && _started && d > 0 ? (int)d : 0;
        }
    }

    /// <summary>Replaces client id, user name and password for the next connection (setup time: this allocates).</summary>
    public void SetCredentials(string clientId, string username, string password)
    {
        if (clientId == null || (password != null && username == null))
        {
            throw new ArgumentException("a client id is required, and a password needs a user name");
        }

        byte[] id = Utf8.GetBytes(clientId);
        byte[] user = username == null ? null : Utf8.GetBytes(username);
        byte[] pass = password == null ? null : Utf8.GetBytes(password);
        lock (_sync)
        {
            _clientId = id;
            _username = user;
            _password = pass;
        }
    }

    /// <summary>Starts the session: connects now and waits for CONNACK (up to the connect timeout), then keeps reconnecting in <see cref="Yield"/>.</summary>
    /// <remarks>This drives the client on the caller's thread: while an <see cref="MqttBackgroundDriver"/> runs, call <see cref="Start"/> instead.</remarks>
    /// <returns><see cref="MqttStatus.Ok"/> when connected; otherwise why this attempt failed (the client retries with backoff).</returns>
    public MqttStatus Connect()
    {
        lock (_sync)
        {
            _started = true;
            if (_state == MqttConnectionState.Connected)
            {
                return MqttStatus.Ok;
            }

            if (_state == MqttConnectionState.Disconnected)
            {
                _nextAttemptMs = _clock.MonotonicMs;
                _backoffMs = _reconnectMinMs;
                Attempt(_clock.MonotonicMs);
            }
        }

        long end = _clock.MonotonicMs + _connectTimeoutMs + 1;
        while (_state == MqttConnectionState.Connecting && _clock.MonotonicMs <= end)
        {
            Yield(_connectTimeoutMs);
        }

        return _state == MqttConnectionState.Connected ? MqttStatus.Ok : _lastReason;
    }

    /// <summary>Starts the session without waiting: the next <see cref="Yield"/> connects. Use this when an <see cref="MqttBackgroundDriver"/> runs the client.</summary>
    public void Start()
    {
        lock (_sync)
        {
            if (!_started)
            {
                _started = true;
                _backoffMs = _reconnectMinMs;
                _nextAttemptMs = _clock.MonotonicMs;
            }
        }
    }

    /// <summary>Ends the session: sends DISCONNECT, closes the channel and stops reconnecting. In-flight messages and subscriptions are kept.</summary>
    public void Disconnect()
    {
        lock (_sync)
        {
            _started = false;
            if (_state == MqttConnectionState.Connected)
            {
                Send(_ctl, 0, MqttCodec.WriteEmpty(_ctl, 0, MqttCodec.Disconnect));
            }

            Lose(MqttStatus.ClosedByCaller);
        }
    }

    /// <summary>Does the session's work for up to <paramref name="timeoutMs"/>: reads and dispatches packets, keeps alive, reconnects when due.</summary>
    /// <remarks>Returns early when the connection state changes. Yield(0) does one pass without waiting.</remarks>
    /// <returns><see cref="MqttStatus.Ok"/> while connected, otherwise <see cref="LastReason"/>.</returns>
    public MqttStatus Yield(int timeoutMs)
    {
        long deadline = _clock.MonotonicMs + (timeoutMs > 0 ? timeoutMs : 0);
        while (true)
        {
            int wait;
            int generation;
            bool reading;
            MqttConnectionState before;
            lock (_sync)
            {
                long now = _clock.MonotonicMs;
                before = _state;
                Service(now);
                if ((_state == MqttConnectionState.Disconnected && !_started) || (_state != before && _state == MqttConnectionState.Disconnected))
                {
                    break; // stopped, or a timer ended the connection: report it before waiting
                }

                long next = NextTimerMs();
                long until = next < deadline ? next : deadline;
                wait = until > now ? (int)(until - now) : 0;
                reading = _state != MqttConnectionState.Disconnected;
                generation = _generation;
                if (reading && _rxStart > 0 && _rxEnd == _rx.Length)
                {
                    // Move a partial packet to the front only when the buffer's end is reached: one copy per buffer, not per read.
                    Array.Copy(_rx, _rxStart, _rx, 0, _rxEnd - _rxStart);
                    _rxEnd -= _rxStart;
                    _rxStart = 0;
                }
            }

            long startMs = _clock.MonotonicMs;
            int n = 0;
            if (reading)
            {
                // Read outside the lock so that other threads can publish while this one waits.
                n = _channel.Read(_rx, _rxEnd, _rx.Length - _rxEnd, wait);
                lock (_sync)
                {
                    if (generation == _generation)
                    {
                        if (n > 0)
                        {
                            _rxEnd += n;
                            _lastRxMs = _clock.MonotonicMs;
                            Parse();
                        }
                        else if (n < 0)
                        {
                            LastChannelStatus = n;
                            Lose(MqttStatus.ChannelFailed);
                        }
                    }
                }
            }
            else if (wait > 0)
            {
                Thread.Sleep(wait);
            }

            long endMs = _clock.MonotonicMs;
            if (_state != before || endMs >= deadline || (n == 0 && endMs == startMs && wait > 0))
            {
                break; // done, state changed, or a clock that did not move while waiting (a test clock): return rather than spin
            }
        }

        return _state == MqttConnectionState.Connected ? MqttStatus.Ok : _lastReason;
    }

    /// <summary>Publishes to a topic given as bytes (no per-message string). QoS 1 messages enter the in-flight set and are sent again after a reconnect until acknowledged.</summary>
    /// <returns><see cref="MqttStatus.Ok"/> when sent (QoS 0) or kept for delivery (QoS 1, even while disconnected); else why not.</returns>
    public MqttStatus Publish(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount, int qos, bool retain)
    {
        if (topic == null || topicCount <= 0 || topicCount > 65535 || !MqttCodec.IsPublishTopic(topic, topicOffset, topicCount)
            || !MqttCodec.IsValidString(topic, topicOffset, topicCount))
        {
            return MqttStatus.InvalidArgument;
        }

        return PublishFrame(topic, topicOffset, topicCount, null, payload, payloadOffset, payloadCount, qos, retain);
    }

    /// <summary>Publishes to a topic given as a string, written as UTF-8 straight into the packet (allocates a char copy of the topic: steady-state publishers pass it as bytes).</summary>
    /// <returns>As for the byte-topic overload.</returns>
    public MqttStatus Publish(string topic, byte[] payload, int payloadOffset, int payloadCount, int qos, bool retain)
    {
        char[] chars = topic == null ? null : topic.ToCharArray();
        int topicCount = chars == null ? -1 : MqttCodec.TopicByteCount(chars);
        if (topicCount <= 0 || topicCount > 65535)
        {
            return MqttStatus.InvalidArgument;
        }

        return PublishFrame(null, 0, topicCount, chars, payload, payloadOffset, payloadCount, qos, retain);
    }

    /// <summary>Adds a topic filter to the subscription table and subscribes now if connected; every reconnect subscribes again.</summary>
    /// <returns><see cref="MqttStatus.Ok"/> when remembered (and sent, if connected); the SUBACK code arrives through <see cref="SubscribeCompleted"/>.</returns>
    public MqttStatus Subscribe(string filter, int qos)
    {
        if (filter == null)
        {
            return MqttStatus.InvalidArgument;
        }

        char[] chars = filter.ToCharArray();
        int count = Utf8.ByteCount(chars, 0, chars.Length);
        if (count <= 0 || count > _subBytes.Length)
        {
            return count <= 0 ? MqttStatus.InvalidArgument : MqttStatus.SubscriptionsFull;
        }

        lock (_sync)
        {
            // Encode at the slab's free end; it becomes the new entry if the filter is new.
            if (_subUsed + count > _subBytes.Length)
            {
                int existing = FindSubscriptionByText(filter);
                return existing >= 0 ? Resubscribe(existing, qos) : MqttStatus.SubscriptionsFull;
            }

            Utf8.Encode(chars, 0, chars.Length, _subBytes, _subUsed);
            return SubscribeBytes(_subBytes, _subUsed, count, qos);
        }
    }

    /// <summary>As <see cref="Subscribe(string, int)"/>, with the filter given as UTF-8 bytes.</summary>
    public MqttStatus Subscribe(byte[] filter, int offset, int count, int qos)
    {
        if (filter == null || count <= 0 || count > 65535)
        {
            return MqttStatus.InvalidArgument;
        }

        lock (_sync)
        {
            return SubscribeBytes(filter, offset, count, qos);
        }
    }

    /// <summary>Removes a topic filter from the table and unsubscribes now if connected.</summary>
    /// <returns><see cref="MqttStatus.Ok"/>, or <see cref="MqttStatus.NotSubscribed"/> when the filter is not in the table.</returns>
    public MqttStatus Unsubscribe(string filter)
    {
        if (filter == null)
        {
            return MqttStatus.InvalidArgument;
        }

        lock (_sync)
        {
            int i = FindSubscriptionByText(filter);
            if (i < 0)
            {
                return MqttStatus.NotSubscribed;
            }

            MqttStatus status = MqttStatus.Ok;
            if (_state == MqttConnectionState.Connected)
            {
                int id = NextPacketId();
                int n = MqttCodec.WriteUnsubscribe(_tx, 0, id, _subBytes, _subOffset[i], _subLength[i]);
                LastPacketId = id;
                status = n < 0 ? MqttStatus.TxBufferTooSmall : Send(_tx, 0, n);
            }

            RemoveSubscription(i);
            return status;
        }
    }

    // ---- session work (callers hold _sync) ----

    void Service(long now)
    {
        if (_state == MqttConnectionState.Disconnected)
        {
            if (_started && now >= _nextAttemptMs)
            {
                Attempt(now);
            }

            return;
        }

        if (_state == MqttConnectionState.Connecting)
        {
            if (now >= _connackDeadlineMs)
            {
                Lose(MqttStatus.ConnackTimeout);
            }

            return;
        }

        if (_pingOutstanding)
        {
            if (now - _pingSentMs >= _pingTimeoutMs)
            {
                Lose(MqttStatus.PingTimeout);
            }

            return;
        }

        // Ping when either direction was idle for a keep-alive period: a link that only sends could be dead.
        long idleSince = _lastTxMs < _lastRxMs ? _lastTxMs : _lastRxMs;
        if (now - idleSince >= _keepAliveMs)
        {
            if (Send(_ctl, 0, MqttCodec.WriteEmpty(_ctl, 0, MqttCodec.Pingreq)) == MqttStatus.Ok)
            {
                _pingOutstanding = true;
                _pingSentMs = now;
            }
        }
    }

    long NextTimerMs()
    {
        switch (_state)
        {
            case MqttConnectionState.Disconnected:
                return _nextAttemptMs;
            case MqttConnectionState.Connecting:
                return _connackDeadlineMs;
            default:
                if (_pingOutstanding)
                {
                    return _pingSentMs + _pingTimeoutMs;
                }

                return (_lastTxMs < _lastRxMs ? _lastTxMs : _lastRxMs) + _keepAliveMs;
        }
    }

    void Attempt(long now)
    {
        _generation++;
        _rxStart = 0;
        _rxEnd = 0;
        _drainLeft = 0;
        _pingOutstanding = false;
        int rc = _channel.Connect(_host, _port, _tls, _connectTimeoutMs);
        if (rc < 0)
        {
            LastChannelStatus = rc;
            Fail(MqttStatus.ChannelFailed, false);
            return;
        }

        _state = MqttConnectionState.Connecting;
        _connackDeadlineMs = _clock.MonotonicMs + _connectTimeoutMs;
        int n = MqttCodec.WriteConnect(_tx, 0, _clientId, _username, _password, _cleanSession, _keepAliveSeconds);
        if (n < 0)
        {
            Lose(MqttStatus.TxBufferTooSmall);
            return;
        }

        Send(_tx, 0, n);
    }

    void Lose(MqttStatus reason)
    {
        if (_state == MqttConnectionState.Disconnected)
        {
            return;
        }

        Fail(reason, true);
    }

    void Fail(MqttStatus reason, bool close)
    {
        if (close)
        {
            _channel.Close();
        }

        _state = MqttConnectionState.Disconnected;
        _generation++;
        _rxStart = 0;
        _rxEnd = 0;
        _drainLeft = 0;
        _pingOutstanding = false;
        for (int i = 0; i < _subCount; i++)
        {
            _subPacketId[i] = 0;
        }

        _lastReason = reason;
        if (_started)
        {
            // Equal jitter: half the delay fixed, half random, so that a fleet does not reconnect in step.
            int half = _backoffMs / 2;
            _nextAttemptMs = _clock.MonotonicMs + half + _random.Next(_backoffMs - half + 1);
            _backoffMs = _backoffMs > _reconnectMaxMs / 2 ? _reconnectMaxMs : _backoffMs * 2;
        }

        MqttConnectionHandler handler = ConnectionChanged;
        if (handler != null)
        {
            handler(false, reason);
        }
    }

    void OnAccepted(bool sessionPresent)
    {
        _state = MqttConnectionState.Connected;
        SessionPresent = sessionPresent;
        _backoffMs = _reconnectMinMs;
        long now = _clock.MonotonicMs;
        _lastRxMs = now;
        _lastTxMs = now;
        int generation = _generation;
        for (int i = 0; i < _subCount && generation == _generation; i++)
        {
            SendSubscribe(i);
        }

        for (int i = 0; i < _flightCount && generation == _generation; i++)
        {
            int off = _flightOffset[i];
            if (_flightSent[i])
            {
                _slab[off] |= 0x08;
            }

            _flightSent[i] = true;
            Send(_slab, off, _flightLength[i]);
        }

        if (generation != _generation)
        {
            return;
        }

        _lastReason = MqttStatus.Ok;
        MqttConnectionHandler handler = ConnectionChanged;
        if (handler != null)
        {
            handler(true, MqttStatus.Ok);
        }
    }

    MqttStatus Send(byte[] buffer, int offset, int count)
    {
        if (_state == MqttConnectionState.Disconnected)
        {
            return MqttStatus.NotConnected;
        }

        int done = 0;
        int idle = 0;
        long since = -1;
        while (done < count)
        {
            int n = _channel.Write(buffer, offset + done, count - done);
            if (n < 0)
            {
                LastChannelStatus = n;
                Lose(MqttStatus.ChannelFailed);
                return MqttStatus.ChannelFailed;
            }

            if (n == 0)
            {
                // Bounded by the clock and by the number of 1 ms naps, so a stopped clock cannot hang it.
                if (since < 0)
                {
                    since = _clock.MonotonicMs;
                }

                if (_clock.MonotonicMs - since >= _writeTimeoutMs || ++idle >= _writeTimeoutMs)
                {
                    Lose(MqttStatus.WriteTimeout);
                    return MqttStatus.WriteTimeout;
                }

                Thread.Sleep(1);
                continue;
            }

            done += n;
            idle = 0;
            since = -1;
        }

        _lastTxMs = _clock.MonotonicMs;
        return MqttStatus.Ok;
    }

    MqttStatus PublishFrame(byte[] topic, int topicOffset, int topicCount, char[] topicText, byte[] payload, int payloadOffset, int payloadCount, int qos, bool retain)
    {
        if (qos < 0 || qos > 1 || payloadCount < 0 || (payloadCount > 0 && (payload == null || payloadOffset < 0 || payloadOffset + payloadCount > payload.Length)))
        {
            return MqttStatus.InvalidArgument;
        }

        lock (_sync)
        {
            int size = MqttCodec.PublishSize(topicCount, payloadCount, qos);
            if (qos == 0)
            {
                if (_state != MqttConnectionState.Connected)
                {
                    return MqttStatus.NotConnected;
                }

                if (size > _tx.Length)
                {
                    return MqttStatus.TxBufferTooSmall;
                }

                int n = topicText != null
                    ? MqttCodec.WritePublish(_tx, 0, topicText, topicCount, payload, payloadOffset, payloadCount, 0, retain, false, 0)
                    : MqttCodec.WritePublish(_tx, 0, topic, topicOffset, topicCount, payload, payloadOffset, payloadCount, 0, retain, false, 0);
                return Send(_tx, 0, n);
            }

            if (_flightCount == _flightId.Length || _slabUsed + size > _slab.Length)
            {
                return MqttStatus.InFlightFull;
            }

            int id = NextPacketId();
            int off = _slabUsed;
            int len = topicText != null
                ? MqttCodec.WritePublish(_slab, off, topicText, topicCount, payload, payloadOffset, payloadCount, 1, retain, false, id)
                : MqttCodec.WritePublish(_slab, off, topic, topicOffset, topicCount, payload, payloadOffset, payloadCount, 1, retain, false, id);
            int slot = _flightCount++;
            _flightId[slot] = id;
            _flightOffset[slot] = off;
            _flightLength[slot] = len;
            _flightSent[slot] = false;
            _slabUsed += len;
            LastPacketId = id;
            if (_state == MqttConnectionState.Connected)
            {
                _flightSent[slot] = true;
                Send(_slab, off, len); // on failure the message stays in flight and goes out after the reconnect
            }

            return MqttStatus.Ok;
        }
    }

    void RemoveInFlight(int slot)
    {
        int off = _flightOffset[slot];
        int len = _flightLength[slot];
        int tail = _slabUsed - (off + len);
        if (tail > 0)
        {
            Array.Copy(_slab, off + len, _slab, off, tail);
        }

        _slabUsed -= len;
        for (int i = slot + 1; i < _flightCount; i++)
        {
            _flightId[i - 1] = _flightId[i];
            _flightOffset[i - 1] = _flightOffset[i] - len;
            _flightLength[i - 1] = _flightLength[i];
            _flightSent[i - 1] = _flightSent[i];
        }

        _flightCount--;
    }

    int NextPacketId()
    {
        while (true)
        {
            _nextPacketId = _nextPacketId >= 65535 ? 1 : _nextPacketId + 1;
            int id = _nextPacketId;
            bool used = false;
            for (int i = 0; i < _flightCount; i++)
            {
                if (_flightId[i] == id)
                {
                    used = true;
                    break;
                }
            }

            if (!used)
            {
                return id;
            }
        }
    }

    MqttStatus SubscribeBytes(byte[] filter, int offset, int count, int qos)
    {
        if (qos < 0 || qos > 1 || !MqttCodec.IsValidString(filter, offset, count))
        {
            return MqttStatus.InvalidArgument;
        }

        int existing = FindSubscription(filter, offset, count);
        if (existing >= 0)
        {
            return Resubscribe(existing, qos);
        }

        if (_subCount == _subOffset.Length || _subUsed + count > _subBytes.Length)
        {
            return MqttStatus.SubscriptionsFull;
        }

        if (filter != _subBytes || offset != _subUsed)
        {
            Array.Copy(filter, offset, _subBytes, _subUsed, count);
        }

        int i = _subCount++;
        _subOffset[i] = _subUsed;
        _subLength[i] = count;
        _subQos[i] = qos;
        _subPacketId[i] = 0;
        _subUsed += count;
        return _state == MqttConnectionState.Connected ? SendSubscribe(i) : MqttStatus.Ok;
    }

    MqttStatus Resubscribe(int i, int qos)
    {
        _subQos[i] = qos;
        return _state == MqttConnectionState.Connected ? SendSubscribe(i) : MqttStatus.Ok;
    }

    MqttStatus SendSubscribe(int i)
    {
        int id = NextPacketId();
        int n = MqttCodec.WriteSubscribe(_tx, 0, id, _subBytes, _subOffset[i], _subLength[i], _subQos[i]);
        if (n < 0)
        {
            return MqttStatus.TxBufferTooSmall;
        }

        _subPacketId[i] = id;
        LastPacketId = id;
        return Send(_tx, 0, n);
    }

    int FindSubscription(byte[] filter, int offset, int count)
    {
        for (int i = 0; i < _subCount; i++)
        {
            if (_subLength[i] != count)
            {
                continue;
            }

            int o = _subOffset[i];
            int k = 0;
            while (k < count && _subBytes[o + k] == filter[offset + k])
            {
                k++;
            }

            if (k == count)
            {
                return i;
            }
        }

        return -1;
    }

    int FindSubscriptionByText(string filter)
    {
        for (int i = 0; i < _subCount; i++)
        {
            if (Utf8.TextEquals(filter, _subBytes, _subOffset[i], _subLength[i]))
            {
                return i;
            }
        }

        return -1;
    }

    void RemoveSubscription(int slot)
    {
        int off = _subOffset[slot];
        int len = _subLength[slot];
        int tail = _subUsed - (off + len);
        if (tail > 0)
        {
            Array.Copy(_subBytes, off + len, _subBytes, off, tail);
        }

        _subUsed -= len;
        for (int i = slot + 1; i < _subCount; i++)
        {
            _subOffset[i - 1] = _subOffset[i] - len;
            _subLength[i - 1] = _subLength[i];
            _subQos[i - 1] = _subQos[i];
            _subPacketId[i - 1] = _subPacketId[i];
        }

        _subCount--;
    }

    // ---- receive path ----

    /// <summary>Consumes every complete packet in the receive buffer; stops at a partial one, or when the connection is lost.</summary>
    void Parse()
    {
        int generation = _generation;
        while (generation == _generation)
        {
            int avail = _rxEnd - _rxStart;
            if (_drainLeft > 0)
            {
                int take = avail < _drainLeft ? avail : _drainLeft;
                _rxStart += take;
                _drainLeft -= take;
                if (_drainLeft > 0)
                {
                    _rxStart = 0;
                    _rxEnd = 0;
                    return;
                }

                continue;
            }

            if (avail < 2)
            {
                break;
            }

            int first = _rx[_rxStart];
            MqttStatus header = MqttCodec.CheckServerHeader(first);
            if (header != MqttStatus.Ok)
            {
                Lose(header);
                return;
            }

            int remaining;
            int used = MqttCodec.ReadRemainingLength(_rx, _rxStart + 1, avail - 1, out remaining);
            if (used < 0)
            {
                Lose(MqttStatus.MalformedRemainingLength);
                return;
            }

            if (used == 0)
            {
                break;
            }

            int headerLength = 1 + used;
            if (remaining > _rx.Length - headerLength)
            {
                // Oversize: wait until the buffer is full of its prefix, report what the prefix shows, then skip the rest.
                if (_rxStart > 0 || _rxEnd < _rx.Length)
                {
                    break;
                }

                _rxStart = _rxEnd;
                _drainLeft = headerLength + remaining - _rx.Length;
                Oversize(first, headerLength, remaining);
                continue;
            }

            int total = headerLength + remaining;
            if (avail < total)
            {
                break;
            }

            int body = _rxStart + headerLength;
            _rxStart += total; // consumed before dispatch, so a throwing handler cannot make it loop
            Dispatch(first, body, remaining);
        }

        if (_rxStart == _rxEnd && generation == _generation)
        {
            _rxStart = 0;
            _rxEnd = 0;
        }
    }

    void Dispatch(int first, int body, int length)
    {
        int type = first >> 4;
        byte[] rx = _rx;
        if (_state == MqttConnectionState.Connecting)
        {
            if (type != MqttCodec.Connack)
            {
                Lose(MqttStatus.ProtocolViolation);
                return;
            }

            if (length != 2)
            {
                Lose(MqttStatus.MalformedLength);
                return;
            }

            int ackFlags = rx[body];
            int code = rx[body + 1];
            if ((ackFlags & 0xFE) != 0)
            {
                Lose(MqttStatus.MalformedField);
                return;
            }

            if (code != 0)
            {
                Lose(code <= 5 ? (MqttStatus)code : MqttStatus.RefusedUnknownCode);
                return;
            }

            OnAccepted((ackFlags & 1) != 0);
            return;
        }

        switch (type)
        {
            case MqttCodec.Publish:
                OnPublish(first, body, length);
                return;
            case MqttCodec.Puback:
            case MqttCodec.Unsuback:
                {
                    if (length != 2)
                    {
                        Lose(MqttStatus.MalformedLength);
                        return;
                    }

                    int id = (rx[body] << 8) | rx[body + 1];
                    if (id == 0)
                    {
                        Lose(MqttStatus.MalformedPacketId);
                        return;
                    }

                    if (type == MqttCodec.Puback)
                    {
                        OnPuback(id);
                    }

                    return;
                }

            case MqttCodec.Suback:
                OnSuback(body, length);
                return;
            case MqttCodec.Pingresp:
                if (length != 0)
                {
                    Lose(MqttStatus.MalformedLength);
                    return;
                }

                _pingOutstanding = false;
                return;
            default:
                Lose(MqttStatus.ProtocolViolation); // a second CONNACK, or a QoS 2 flow this client never starts
                return;
        }
    }

    void OnPublish(int first, int body, int length)
    {
        MqttStatus status = ReadPublish(first, body, length, length);
        if (status != MqttStatus.Ok)
        {
            Lose(status);
            return;
        }

        MqttMessageHandler handler = MessageReceived;
        if (handler != null)
        {
            handler(_message);
        }

        Acknowledge();
    }

    void Oversize(int first, int headerLength, int remaining)
    {
        MqttMessage m = _message;
        m.TopicOffset = 0;
        m.TopicCount = 0;
        m.PayloadOffset = 0;
        m.PayloadCount = 0;
        m.Qos = 0;
        m.PacketId = 0;
        m.Retain = false;
        m.Duplicate = false;
        if (_state != MqttConnectionState.Connected)
        {
            Lose(MqttStatus.ProtocolViolation);
            return;
        }

        if ((first >> 4) == MqttCodec.Publish)
        {
            MqttStatus status = ReadPublish(first, headerLength, remaining, _rx.Length - headerLength);
            if (status != MqttStatus.Ok)
            {
                Lose(status);
                return;
            }

            m.PayloadCount = 0;
            if (m.PayloadOffset > _rx.Length)
            {
                m.PayloadOffset = _rx.Length; // the payload lies beyond the buffer: an empty view at its end
            }
        }

        MqttOversizeHandler handler = OversizeReceived;
        if (handler != null)
        {
            handler(m, headerLength + remaining);
        }

        Acknowledge();
    }

    /// <summary>Fills <see cref="_message"/> from a PUBLISH body of <paramref name="length"/> bytes, of which <paramref name="visible"/> are in the buffer.</summary>
    MqttStatus ReadPublish(int first, int body, int length, int visible)
    {
        MqttMessage m = _message;
        int qos = (first >> 1) & 3;
        if (qos == 2)
        {
            return MqttStatus.ProtocolViolation; // subscriptions ask for QoS 1 at most
        }

        if (length < 2)
        {
            return MqttStatus.MalformedLength;
        }

        byte[] rx = _rx;
        int topicCount = (rx[body] << 8) | rx[body + 1];
        int idBytes = qos > 0 ? 2 : 0;
        if (topicCount + 2 + idBytes > length)
        {
            return MqttStatus.MalformedLength;
        }

        m.Qos = qos;
        m.Retain = (first & 1) != 0;
        m.Duplicate = (first & 0x08) != 0;
        m.PacketId = 0;
        m.TopicOffset = body + 2;
        m.TopicCount = 0;
        m.PayloadOffset = body + 2 + topicCount + idBytes;
        m.PayloadCount = length - 2 - topicCount - idBytes;
        if (topicCount + 2 > visible)
        {
            return MqttStatus.Ok; // oversize with a topic beyond the buffer: report it without one
        }

        if (topicCount == 0 || !MqttCodec.IsPublishTopic(rx, body + 2, topicCount) || !MqttCodec.IsValidString(rx, body + 2, topicCount))
        {
            return MqttStatus.MalformedTopic;
        }

        m.TopicCount = topicCount;
        if (qos > 0 && topicCount + 4 <= visible)
        {
            int id = (rx[body + 2 + topicCount] << 8) | rx[body + 3 + topicCount];
            if (id == 0)
            {
                return MqttStatus.MalformedPacketId;
            }

            m.PacketId = id;
        }

        return MqttStatus.Ok;
    }

    void Acknowledge()
    {
        if (_message.PacketId != 0 && _state == MqttConnectionState.Connected)
        {
            Send(_ctl, 0, MqttCodec.WriteAck(_ctl, 0, MqttCodec.Puback, _message.PacketId));
        }
    }

    void OnPuback(int id)
    {
        for (int i = 0; i < _flightCount; i++)
        {
            if (_flightId[i] == id)
            {
                RemoveInFlight(i);
                MqttPublishAckHandler handler = PublishAcknowledged;
                if (handler != null)
                {
                    handler(id);
                }

                return;
            }
        }

        // An ack for an id no longer in flight: a duplicate after a resend; nothing to do.
    }

    void OnSuback(int body, int length)
    {
        if (length < 3)
        {
            Lose(MqttStatus.MalformedLength);
            return;
        }

        byte[] rx = _rx;
        int id = (rx[body] << 8) | rx[body + 1];
        if (id == 0)
        {
            Lose(MqttStatus.MalformedPacketId);
            return;
        }

        int end = body + length;
        for (int p = body + 2; p < end; p++)
        {
            int c = rx[p];
            if (c > 2 && c != 0x80)
            {
                Lose(MqttStatus.MalformedField);
                return;
            }
        }

        for (int i = 0; i < _subCount; i++)
        {
            if (_subPacketId[i] == id)
            {
                _subPacketId[i] = 0;
                MqttSubscribeHandler handler = SubscribeCompleted;
                if (handler != null)
                {
                    handler(_subBytes, _subOffset[i], _subLength[i], rx[body + 2]);
                }

                return;
            }
        }
    }
}
