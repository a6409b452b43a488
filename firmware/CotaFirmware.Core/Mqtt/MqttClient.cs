using System;
using System.Threading;
using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Mqtt;

/// <summary>MQTT 3.1.1 session over an already-connected <see cref="IByteChannel"/>: CONNECT, QoS 0 and 1 both ways and keep-alive, in fixed buffers.</summary>
/// <remarks>
/// <para>Shaped after coreMQTT: the caller opens the channel, <see cref="Connect"/> sends CONNECT and waits for CONNACK,
/// and <see cref="Yield"/> runs the session. One thread makes every call, handlers run inside them, and nothing is
/// locked (a handler may publish, but must not call <see cref="Yield"/>). The client never reconnects and keeps no
/// subscriptions: when a session ends it closes the channel and <see cref="LastReason"/> says why; the channel's owner
/// opens it again, connects and subscribes anew.</para>
/// <para>Outgoing QoS 1 messages stay in a bounded in-flight set until PUBACK, across sessions: each <see cref="Connect"/>
/// sends the unacknowledged ones again, with DUP set on those already sent.</para>
/// <para>All memory is allocated in the constructor: receiving and publishing allocate nothing. Frames are checked
/// before use; a malformed frame ends the session with a Malformed* status, never an exception. A packet larger than
/// the receive buffer is drained and reported to <see cref="OversizeReceived"/> with the part that fit.</para>
/// </remarks>
public sealed class MqttClient
{
    /// <summary>The shortest keep-alive <see cref="Connect"/> accepts, in seconds (Alibaba Cloud IoT Platform's lower bound).</summary>
    public const int MinKeepAliveSeconds = 30;

    /// <summary>The longest keep-alive <see cref="Connect"/> accepts, in seconds (Alibaba Cloud IoT Platform's upper bound).</summary>
    public const int MaxKeepAliveSeconds = 1200;

    private readonly IByteChannel _channel;
    private readonly IClock _clock;
    private readonly int _pingTimeoutMs;
    private readonly int _writeTimeoutMs;
    private readonly MqttMessage _message = new MqttMessage();
    private readonly byte[] _ctl = new byte[4];

    // The packet id of the PUBLISH being handled (0 at QoS 0): what Acknowledge answers, without a property call.
    private int _ackId;

    // Receive: bytes [_rxStart, _rxEnd) are read but not yet consumed; _drainLeft counts bytes of an oversize packet still to skip.
    private readonly byte[] _rx;
    private int _rxStart;
    private int _rxEnd;
    private int _drainLeft;

    private readonly byte[] _tx;

    // In-flight QoS 1 messages, each kept as its encoded PUBLISH in one slab, in publish order.
    private readonly byte[] _slab;
    private int _slabUsed;
    private readonly int[] _flightId;
    private readonly int[] _flightOffset;
    private readonly int[] _flightLength;
    private readonly bool[] _flightSent;
    private int _flightCount;

    private bool _connecting;
    private bool _connected;
    private int _generation;
    private int _nextPacketId;
    private int _keepAliveMs;
    private long _connackDeadlineMs;
    private long _lastTxMs;
    private long _lastRxMs;
    private long _pingSentMs;
    private bool _pingOutstanding;
    private MqttStatus _lastReason = MqttStatus.NotConnected;
    private ChannelStatus _lastChannelStatus;
    private bool _sessionPresent;
    private int _lastPacketId;

    /// <summary>Creates a client over <paramref name="channel"/> and allocates all its buffers; nothing is sent until <see cref="Connect"/>.</summary>
    /// <exception cref="ArgumentNullException">A part is missing.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size, count or timeout is out of range.</exception>
    public MqttClient(IByteChannel channel, IClock clock, MqttClientSettings settings)
    {
        if (channel == null || clock == null || settings == null)
        {
            throw new ArgumentNullException(channel == null ? "channel" : (clock == null ? "clock" : "settings"));
        }

        if (settings.ReceiveBufferSize < 16 || settings.TransmitBufferSize < 16 || settings.InFlightCount < 1
            || settings.InFlightBytes < 16 || settings.PingTimeoutMs < 1 || settings.WriteTimeoutMs < 1)
        {
            throw new ArgumentOutOfRangeException("settings", "a size, count or timeout is out of range");
        }

        _channel = channel;
        _clock = clock;
        _pingTimeoutMs = settings.PingTimeoutMs;
        _writeTimeoutMs = settings.WriteTimeoutMs;
        _rx = new byte[settings.ReceiveBufferSize];
        _tx = new byte[settings.TransmitBufferSize];
        _slab = new byte[settings.InFlightBytes];
        _flightId = new int[settings.InFlightCount];
        _flightOffset = new int[settings.InFlightCount];
        _flightLength = new int[settings.InFlightCount];
        _flightSent = new bool[settings.InFlightCount];
        _message.Buffer = _rx;
    }

    /// <summary>Called for each incoming PUBLISH, with views into the receive buffer.</summary>
    public MqttMessageHandler MessageReceived { get; set; }

    /// <summary>Called for each incoming packet larger than the receive buffer (drained; a QoS 1 PUBLISH is still acknowledged).</summary>
    public MqttOversizeHandler OversizeReceived { get; set; }

    /// <summary>Called with the return code of each SUBACK.</summary>
    public MqttSubscribeHandler SubscribeAcknowledged { get; set; }

    /// <summary>Called when an outgoing QoS 1 message is acknowledged.</summary>
    public MqttPublishAckHandler PublishAcknowledged { get; set; }

    /// <summary>True while the broker has the session up.</summary>
    public bool IsConnected => _connected;

    /// <summary>Why the last session ended or the last <see cref="Connect"/> failed; <see cref="MqttStatus.Ok"/> while connected, <see cref="MqttStatus.NotConnected"/> before any.</summary>
    public MqttStatus LastReason => _lastReason;

    /// <summary>The last failure the channel returned to a read or write (<see cref="ChannelStatus.Ok"/> when none).</summary>
    public ChannelStatus LastChannelStatus => _lastChannelStatus;

    /// <summary>The CONNACK session-present flag of the current session.</summary>
    public bool SessionPresent => _sessionPresent;

    /// <summary>The packet identifier of the last QoS 1 publish or subscribe.</summary>
    public int LastPacketId => _lastPacketId;

    /// <summary>How many outgoing QoS 1 messages wait for PUBACK.</summary>
    public int InFlightCount => _flightCount;

    /// <summary>
    /// Starts a session over the channel its owner has just opened: sends CONNECT (the strings written as UTF-8 straight
    /// into the transmit buffer, which is wiped afterwards), waits up to <paramref name="timeoutMs"/> for CONNACK, then
    /// sends the in-flight QoS 1 messages again.
    /// </summary>
    /// <param name="clientId">The MQTT client identifier.</param>
    /// <param name="username">The user name, or null to send none.</param>
    /// <param name="password">The password (a secret), or null to send none; MQTT 3.1.1 allows one only with a user name.</param>
    /// <param name="keepAliveSeconds"><see cref="MinKeepAliveSeconds"/> to <see cref="MaxKeepAliveSeconds"/>.</param>
    /// <param name="cleanSession">True to start with a fresh session on the broker.</param>
    /// <param name="timeoutMs">How long to wait for CONNACK.</param>
    /// <returns><see cref="MqttStatus.Ok"/> once accepted (also when already connected); otherwise why not, with the channel closed.</returns>
    public MqttStatus Connect(string clientId, string username, string password, int keepAliveSeconds, bool cleanSession, int timeoutMs)
    {
        if (_connected)
        {
            return MqttStatus.Ok;
        }

        if (clientId == null || (password != null && username == null) || keepAliveSeconds < MinKeepAliveSeconds
            || keepAliveSeconds > MaxKeepAliveSeconds || timeoutMs < 1)
        {
            return MqttStatus.InvalidArgument;
        }

        _generation++;
        _rxStart = 0;
        _rxEnd = 0;
        _drainLeft = 0;
        _pingOutstanding = false;
        _keepAliveMs = keepAliveSeconds * 1000;
        _connecting = true;
        _connackDeadlineMs = _clock.MonotonicMs + timeoutMs;
        _lastChannelStatus = ChannelStatus.Ok;
        int n = MqttCodec.WriteConnect(_tx, 0, clientId, username, password, cleanSession, keepAliveSeconds);
        if (n < 0)
        {
            End(MqttStatus.TxBufferTooSmall);
            return _lastReason;
        }

        MqttStatus sent = Send(_tx, 0, n);
        Array.Clear(_tx, 0, n);
        if (sent == MqttStatus.Ok)
        {
            Run(_connackDeadlineMs);
            if (_connecting)
            {
                End(MqttStatus.ConnackTimeout); // a clock that stood still while nothing arrived
            }
        }

        return _connected ? MqttStatus.Ok : _lastReason;
    }

    /// <summary>Ends the session: sends DISCONNECT and closes the channel. In-flight messages are kept for the next session.</summary>
    public void Disconnect()
    {
        if (_connected)
        {
            Send(_ctl, 0, MqttCodec.WriteEmpty(_ctl, 0, MqttCodec.Disconnect));
        }

        End(MqttStatus.ClosedByCaller);
    }

    /// <summary>Runs the session for up to <paramref name="timeoutMs"/>: reads and dispatches packets and keeps it alive.</summary>
    /// <remarks>Returns early when the session ends. Yield(0) does one pass without waiting.</remarks>
    /// <returns><see cref="MqttStatus.Ok"/> while connected, otherwise <see cref="LastReason"/>.</returns>
    public MqttStatus Yield(int timeoutMs)
    {
        if (_connected)
        {
            Run(_clock.MonotonicMs + (timeoutMs > 0 ? timeoutMs : 0));
        }

        return _connected ? MqttStatus.Ok : _lastReason;
    }

    /// <summary>Publishes to a topic given as bytes (no per-message string). QoS 1 messages enter the in-flight set and are sent again in each later session until acknowledged.</summary>
    /// <returns><see cref="MqttStatus.Ok"/> when sent (QoS 0) or kept for delivery (QoS 1, even without a session); else why not.</returns>
    public MqttStatus Publish(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount, int qos, bool retain)
    {
        if (topic == null || topicCount <= 0 || topicCount > 65535 || !MqttCodec.IsTopicName(topic, topicOffset, topicCount))
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

    /// <summary>Sends SUBSCRIBE for one topic filter (written as UTF-8 straight into the packet; allocates a char copy of it); nothing is remembered for later sessions.</summary>
    /// <returns><see cref="MqttStatus.Ok"/> once sent; the SUBACK code arrives through <see cref="SubscribeAcknowledged"/> with <see cref="LastPacketId"/>.</returns>
    public MqttStatus Subscribe(string filter, int qos)
    {
        if (filter == null || qos < 0 || qos > 1)
        {
            return MqttStatus.InvalidArgument;
        }

        if (!_connected)
        {
            return MqttStatus.NotConnected;
        }

        char[] chars = filter.ToCharArray();
        int count = Utf8.ByteCount(chars, 0, chars.Length);
        if (count <= 0 || count > 65535)
        {
            return MqttStatus.InvalidArgument;
        }

        int id = NextPacketId();
        int n = MqttCodec.WriteSubscribe(_tx, 0, id, chars, count, qos);
        if (n < 0)
        {
            return MqttStatus.TxBufferTooSmall;
        }

        if (!MqttCodec.IsValidString(_tx, n - 1 - count, count))
        {
            return MqttStatus.InvalidArgument;
        }

        _lastPacketId = id;
        return Send(_tx, 0, n);
    }

    /// <summary>Names a status for log lines.</summary>
    public static string Name(MqttStatus status)
    {
        switch (status)
        {
            case MqttStatus.Ok: return "ok";
            case MqttStatus.RefusedProtocolVersion: return "refused: protocol version";
            case MqttStatus.RefusedIdentifier: return "refused: client id";
            case MqttStatus.RefusedServerUnavailable: return "refused: server unavailable";
            case MqttStatus.RefusedBadCredentials: return "refused: bad user name or password";
            case MqttStatus.RefusedNotAuthorized: return "refused: not authorized";
            case MqttStatus.RefusedUnknownCode: return "refused: unknown code";
            case MqttStatus.NotConnected: return "not connected";
            case MqttStatus.InFlightFull: return "in-flight set full";
            case MqttStatus.TxBufferTooSmall: return "transmit buffer too small";
            case MqttStatus.InvalidArgument: return "invalid argument";
            case MqttStatus.ChannelFailed: return "channel failed";
            case MqttStatus.ConnackTimeout: return "no CONNACK in time";
            case MqttStatus.PingTimeout: return "no PINGRESP in time";
            case MqttStatus.WriteTimeout: return "write timed out";
            case MqttStatus.ClosedByCaller: return "closed";
            case MqttStatus.MalformedRemainingLength: return "malformed remaining length";
            case MqttStatus.MalformedPacketType: return "malformed packet type";
            case MqttStatus.MalformedFlags: return "malformed flags";
            case MqttStatus.MalformedLength: return "malformed length";
            case MqttStatus.MalformedPacketId: return "malformed packet id";
            case MqttStatus.MalformedTopic: return "malformed topic";
            case MqttStatus.MalformedField: return "malformed field";
            case MqttStatus.ProtocolViolation: return "protocol violation";
            default: return "unknown";
        }
    }

    // ---- session work ----

    /// <summary>Reads and services until <paramref name="deadline"/>, or until the session ends or (while connecting) is accepted.</summary>
    private void Run(long deadline)
    {
        int generation = _generation;
        bool connecting = _connecting;
        while (true)
        {
            long now = _clock.MonotonicMs;
            Service(now);
            if (generation != _generation || connecting != _connecting)
            {
                return; // a timer ended the session
            }

            long next = NextTimerMs();
            long until = next < deadline ? next : deadline;
            int wait = until > now ? (int)(until - now) : 0;
            if (_rxStart > 0 && _rxEnd == _rx.Length)
            {
                // Move a partial packet to the front only when the buffer's end is reached: one copy per buffer, not per read.
                Array.Copy(_rx, _rxStart, _rx, 0, _rxEnd - _rxStart);
                _rxEnd -= _rxStart;
                _rxStart = 0;
            }

            int n = _channel.Read(_rx, _rxEnd, _rx.Length - _rxEnd, wait);
            if (n > 0)
            {
                _rxEnd += n;
                _lastRxMs = _clock.MonotonicMs;
                Parse();
            }
            else if (n < 0)
            {
                _lastChannelStatus = (ChannelStatus)n;
                End(MqttStatus.ChannelFailed);
            }

            long end = _clock.MonotonicMs;
            if (generation != _generation || connecting != _connecting || end >= deadline || (n == 0 && end == now && wait > 0))
            {
                return; // ended, accepted, done, or a clock that did not move while waiting (a test clock): return rather than spin
            }
        }
    }

    private void Service(long now)
    {
        if (_connecting)
        {
            if (now >= _connackDeadlineMs)
            {
                End(MqttStatus.ConnackTimeout);
            }

            return;
        }

        if (!_connected)
        {
            return;
        }

        if (_pingOutstanding)
        {
            if (now - _pingSentMs >= _pingTimeoutMs)
            {
                End(MqttStatus.PingTimeout);
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

    private long NextTimerMs()
    {
        if (_connecting)
        {
            return _connackDeadlineMs;
        }

        if (_pingOutstanding)
        {
            return _pingSentMs + _pingTimeoutMs;
        }

        return (_lastTxMs < _lastRxMs ? _lastTxMs : _lastRxMs) + _keepAliveMs;
    }

    /// <summary>Ends the session (or the attempt) and closes the channel; nothing happens when there is none.</summary>
    private void End(MqttStatus reason)
    {
        if (!_connected && !_connecting)
        {
            return;
        }

        _channel.Close();
        _connected = false;
        _connecting = false;
        _generation++;
        _rxStart = 0;
        _rxEnd = 0;
        _drainLeft = 0;
        _pingOutstanding = false;
        _lastReason = reason;
    }

    private void OnAccepted(bool sessionPresent)
    {
        _connecting = false;
        _connected = true;
        _sessionPresent = sessionPresent;
        long now = _clock.MonotonicMs;
        _lastRxMs = now;
        _lastTxMs = now;
        int generation = _generation;
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

        if (generation == _generation)
        {
            _lastReason = MqttStatus.Ok;
        }
    }

    private MqttStatus Send(byte[] buffer, int offset, int count)
    {
        if (!_connected && !_connecting)
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
                _lastChannelStatus = (ChannelStatus)n;
                End(MqttStatus.ChannelFailed);
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
                    End(MqttStatus.WriteTimeout);
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

    private MqttStatus PublishFrame(byte[] topic, int topicOffset, int topicCount, char[] topicText, byte[] payload, int payloadOffset, int payloadCount, int qos, bool retain)
    {
        if (qos < 0 || qos > 1 || payloadCount < 0 || (payloadCount > 0 && (payload == null || payloadOffset < 0 || payloadOffset + payloadCount > payload.Length)))
        {
            return MqttStatus.InvalidArgument;
        }

        int size = MqttCodec.PublishSize(topicCount, payloadCount, qos);
        if (qos == 0)
        {
            if (!_connected)
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
        _lastPacketId = id;
        if (_connected)
        {
            _flightSent[slot] = true;
            Send(_slab, off, len); // on failure the message stays in flight and goes out in the next session
        }

        return MqttStatus.Ok;
    }

    private void RemoveInFlight(int slot)
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

    private int NextPacketId()
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

    // ---- receive path ----

    /// <summary>Consumes every complete packet in the receive buffer; stops at a partial one, or when the connection is lost.</summary>
    private void Parse()
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

            // A well-formed PUBLISH (QoS 0 without DUP, or QoS 1) and a remaining length of one or two bytes, the
            // common case, are decoded here without a call.
            byte[] rx = _rx;
            int first = rx[_rxStart];
            if ((first & 0xF6) != 0x32 && (first & 0xFE) != 0x30)
            {
                MqttStatus header = MqttCodec.CheckServerHeader(first);
                if (header != MqttStatus.Ok)
                {
                    End(header);
                    return;
                }
            }

            int remaining = rx[_rxStart + 1];
            int used = 1;
            if (remaining >= 0x80)
            {
                if (avail > 2 && rx[_rxStart + 2] < 0x80)
                {
                    remaining = (remaining & 0x7F) | (rx[_rxStart + 2] << 7);
                    used = 2;
                }
                else
                {
                    used = MqttCodec.ReadRemainingLength(rx, _rxStart + 1, avail - 1, out remaining);
                    if (used < 0)
                    {
                        End(MqttStatus.MalformedRemainingLength);
                        return;
                    }

                    if (used == 0)
                    {
                        break;
                    }
                }
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
            if ((first >> 4) != MqttCodec.Publish || _connecting)
            {
                Dispatch(first, body, remaining);
                continue;
            }

            // A PUBLISH in session, the common packet, is handled here rather than through Dispatch: one call less.
            MqttStatus status = ReadPublish(first, body, remaining, remaining);
            if (status != MqttStatus.Ok)
            {
                End(status);
                return;
            }

            MqttMessageHandler handler = MessageReceived;
            if (handler != null)
            {
                handler(_message);
            }

            if (_ackId != 0)
            {
                Acknowledge();
            }
        }

        if (_rxStart == _rxEnd && generation == _generation)
        {
            _rxStart = 0;
            _rxEnd = 0;
        }
    }

    private void Dispatch(int first, int body, int length)
    {
        int type = first >> 4;
        byte[] rx = _rx;
        if (_connecting)
        {
            if (type != MqttCodec.Connack)
            {
                End(MqttStatus.ProtocolViolation);
                return;
            }

            if (length != 2)
            {
                End(MqttStatus.MalformedLength);
                return;
            }

            int ackFlags = rx[body];
            int code = rx[body + 1];
            if ((ackFlags & 0xFE) != 0)
            {
                End(MqttStatus.MalformedField);
                return;
            }

            if (code != 0)
            {
                End(code <= 5 ? (MqttStatus)code : MqttStatus.RefusedUnknownCode);
                return;
            }

            OnAccepted((ackFlags & 1) != 0);
            return;
        }

        switch (type)
        {
            case MqttCodec.Puback:
            case MqttCodec.Unsuback:
                {
                    if (length != 2)
                    {
                        End(MqttStatus.MalformedLength);
                        return;
                    }

                    int id = (rx[body] << 8) | rx[body + 1];
                    if (id == 0)
                    {
                        End(MqttStatus.MalformedPacketId);
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
                    End(MqttStatus.MalformedLength);
                    return;
                }

                _pingOutstanding = false;
                return;
            default:
                End(MqttStatus.ProtocolViolation); // a second CONNACK, or a QoS 2 flow this client never starts (PUBLISH is handled in Parse)
                return;
        }
    }

    private void Oversize(int first, int headerLength, int remaining)
    {
        MqttMessage m = _message;
        m.Set(0, 0, 0, 0, 0, 0);
        _ackId = 0;
        if (!_connected)
        {
            End(MqttStatus.ProtocolViolation);
            return;
        }

        if ((first >> 4) == MqttCodec.Publish)
        {
            MqttStatus status = ReadPublish(first, headerLength, remaining, _rx.Length - headerLength);
            if (status != MqttStatus.Ok)
            {
                End(status);
                return;
            }

            // The view holds the part of the payload that fit (so an id near its start can still be read).
            int offset = m.PayloadOffset;
            int fit = m.TopicCount == 0 ? 0 : _rx.Length - offset;
            if (fit <= 0)
            {
                fit = 0;
                if (offset > _rx.Length)
                {
                    offset = _rx.Length; // the payload lies beyond the buffer: an empty view at its end
                }
            }

            m.SetPayloadView(offset, fit < m.PayloadSize ? fit : m.PayloadSize);
        }

        MqttOversizeHandler handler = OversizeReceived;
        if (handler != null)
        {
            handler(m, headerLength + remaining);
        }

        Acknowledge();
    }

    /// <summary>Fills <see cref="_message"/> from a PUBLISH body of <paramref name="length"/> bytes, of which <paramref name="visible"/> are in the buffer.</summary>
    private MqttStatus ReadPublish(int first, int body, int length, int visible)
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

        int payloadOffset = body + 2 + topicCount + idBytes;
        int payloadCount = length - 2 - topicCount - idBytes;
        _ackId = 0;
        if (topicCount + 2 > visible)
        {
            m.Set(first, body + 2, 0, 0, payloadOffset, payloadCount);
            return MqttStatus.Ok; // oversize with a topic beyond the buffer: report it without one
        }

        if (!MqttCodec.IsTopicName(rx, body + 2, topicCount))
        {
            return MqttStatus.MalformedTopic;
        }

        int id = 0;
        if (qos > 0 && topicCount + 4 <= visible)
        {
            id = (rx[body + 2 + topicCount] << 8) | rx[body + 3 + topicCount];
            if (id == 0)
            {
                return MqttStatus.MalformedPacketId;
            }
        }

        m.Set(first, body + 2, topicCount, id, payloadOffset, payloadCount);
        _ackId = id;
        return MqttStatus.Ok;
    }

    private void Acknowledge()
    {
        if (_ackId != 0 && _connected)
        {
            Send(_ctl, 0, MqttCodec.WriteAck(_ctl, 0, MqttCodec.Puback, _ackId));
        }
    }

    private void OnPuback(int id)
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

    private void OnSuback(int body, int length)
    {
        if (length < 3)
        {
            End(MqttStatus.MalformedLength);
            return;
        }

        byte[] rx = _rx;
        int id = (rx[body] << 8) | rx[body + 1];
        if (id == 0)
        {
            End(MqttStatus.MalformedPacketId);
            return;
        }

        int end = body + length;
        for (int p = body + 2; p < end; p++)
        {
            int c = rx[p];
            if (c > 2 && c != 0x80)
            {
                End(MqttStatus.MalformedField);
                return;
            }
        }

        MqttSubscribeHandler handler = SubscribeAcknowledged;
        if (handler != null)
        {
            handler(id, rx[body + 2]);
        }
    }
}
