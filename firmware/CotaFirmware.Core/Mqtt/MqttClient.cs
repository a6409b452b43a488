using System;
using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Mqtt;

/// <summary>MQTT 3.1.1 session over an already-connected <see cref="IByteChannel"/>: CONNECT, QoS 0 and 1 both ways and keep-alive, in fixed buffers.</summary>
/// <remarks>
/// <para>Shaped after coreMQTT: a thin session over the serializer (<see cref="MqttCodec"/>) and the in-flight state
/// (MqttInFlight). The channel's owner opens it, <see cref="Connect"/> sends CONNECT and waits for CONNACK, and
/// <see cref="Yield"/> runs the session. One thread makes every call, handlers run inside them, and nothing is locked
/// (a handler may publish, but must not call <see cref="Yield"/>). The client never opens, closes or reconnects the
/// channel and keeps no subscriptions: when a session ends, <see cref="IsConnected"/> turns false and
/// <see cref="LastReason"/> says why; the channel's owner closes it, opens it again, connects and subscribes anew.</para>
/// <para>Outgoing QoS 1 messages stay in a bounded in-flight set until PUBACK, across sessions: each <see cref="Connect"/>
/// sends the unacknowledged ones again, with DUP set on those already sent.</para>
/// <para>All memory is allocated in the constructor: receiving and publishing allocate nothing. Frames are checked
/// before use; a malformed frame ends the session with a Malformed* status, never an exception. A packet larger than
/// the receive buffer is drained and reported to <see cref="OversizeReceived"/> with the part that fit.</para>
/// </remarks>
public sealed partial class MqttClient
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

    // Receive: bytes [_rxStart, _rxEnd) are read but not yet consumed; _drainLeft counts bytes of an oversize packet still to skip.
    private readonly byte[] _rx;
    private int _rxStart;
    private int _rxEnd;
    private int _drainLeft;

    private readonly byte[] _tx;
    private readonly MqttInFlight _inFlight;

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
        _inFlight = new MqttInFlight(settings.InFlightCount, settings.InFlightBytes);
        _message.Buffer = _rx;
    }

    /// <summary>Called for each incoming PUBLISH, with views into the receive buffer.</summary>
    public MqttMessageHandler MessageReceived;

    /// <summary>
    /// Called for each incoming packet larger than the receive buffer (drained). A QoS 1 PUBLISH is still acknowledged
    /// when its packet id lies in the part that fit; behind a topic longer than the buffer it is never read, so the message
    /// is not acknowledged (the broker may send it again).
    /// </summary>
    public MqttOversizeHandler OversizeReceived;

    /// <summary>Called with the return code of each SUBACK.</summary>
    public MqttSubscribeHandler SubscribeAcknowledged;

    /// <summary>Called when an outgoing QoS 1 message is acknowledged.</summary>
    public MqttPublishAckHandler PublishAcknowledged;

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
    public int InFlightCount => _inFlight.Count;

    /// <summary>
    /// Starts a session over the channel its owner has just opened: sends CONNECT as <paramref name="info"/> says (the
    /// strings written as UTF-8 straight into the transmit buffer, which is wiped afterwards), waits up to
    /// <paramref name="timeoutMs"/> for CONNACK, then sends the in-flight QoS 1 messages again.
    /// </summary>
    /// <returns><see cref="MqttStatus.Ok"/> once accepted (also when already connected); otherwise why not (the channel's owner closes it).</returns>
    public MqttStatus Connect(MqttConnectInfo info, int timeoutMs)
    {
        if (_connected)
        {
            return MqttStatus.Ok;
        }

        int keepAlive = info == null ? 0 : info.KeepAliveSeconds;
        if (keepAlive < MinKeepAliveSeconds || keepAlive > MaxKeepAliveSeconds || timeoutMs < 1 || info.ClientId == null
            || (info.Password != null && info.Username == null))
        {
            return MqttStatus.InvalidArgument;
        }

        ResetSession();
        _keepAliveMs = keepAlive * 1000;
        _connecting = true;
        _connackDeadlineMs = _clock.MonotonicMs + timeoutMs;
        _lastChannelStatus = ChannelStatus.Ok;
        int n = MqttCodec.WriteConnect(_tx, 0, info);
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
                End(MqttStatus.ConnackTimeout); // the deadline passed while waiting for a read
            }
        }

        return _connected ? MqttStatus.Ok : _lastReason;
    }

    /// <summary>Ends the session: sends DISCONNECT (the channel's owner then closes the channel). In-flight messages are kept for the next session.</summary>
    public void Disconnect()
    {
        if (_connected)
        {
            Send(_ctl, 0, MqttCodec.WriteEmpty(_ctl, 0, MqttCodec.Disconnect));
        }

        End(MqttStatus.ClosedByCaller);
    }

    /// <summary>Runs the session for up to <paramref name="timeoutMs"/>: reads and dispatches packets and keeps it alive.</summary>
    /// <remarks>
    /// Returns early when the session ends. Yield(0) does one pass without waiting. Packets that came in the read of
    /// the CONNACK are dispatched first, before the channel is read again.
    /// </remarks>
    /// <returns><see cref="MqttStatus.Ok"/> while connected, otherwise <see cref="LastReason"/>.</returns>
    public MqttStatus Yield(int timeoutMs)
    {
        if (_connected && _rxEnd > _rxStart)
        {
            Parse(); // held since Connect, or the start of a packet still arriving (then nothing happens)
        }

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
        if (topic == null || topicOffset < 0 || topicOffset > topic.Length || topicCount <= 0 || topicCount > 65535
            || topicCount > topic.Length - topicOffset || !MqttCodec.IsTopicName(topic, topicOffset, topicCount))
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

    private MqttStatus PublishFrame(byte[] topic, int topicOffset, int topicCount, char[] topicText, byte[] payload, int payloadOffset, int payloadCount, int qos, bool retain)
    {
        if (qos < 0 || qos > 1 || payloadCount < 0 || (payloadCount > 0
            && (payload == null || payloadOffset < 0 || payloadOffset > payload.Length || payloadCount > payload.Length - payloadOffset)))
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

        MqttInFlight inFlight = _inFlight;
        int off = inFlight.Reserve(size);
        if (off < 0)
        {
            return MqttStatus.InFlightFull;
        }

        int id = NextPacketId();
        byte[] slab = inFlight.Slab;
        int len = topicText != null
            ? MqttCodec.WritePublish(slab, off, topicText, topicCount, payload, payloadOffset, payloadCount, 1, retain, false, id)
            : MqttCodec.WritePublish(slab, off, topic, topicOffset, topicCount, payload, payloadOffset, payloadCount, 1, retain, false, id);
        int slot = inFlight.Add(id, len);
        _lastPacketId = id;
        if (_connected)
        {
            Send(slab, inFlight.MarkSent(slot), len); // on failure the message stays in flight and goes out in the next session
        }

        return MqttStatus.Ok;
    }

    private int NextPacketId()
    {
        while (true)
        {
            _nextPacketId = _nextPacketId >= 65535 ? 1 : _nextPacketId + 1;
            if (_inFlight.IndexOf(_nextPacketId) < 0)
            {
                return _nextPacketId;
            }
        }
    }
}
