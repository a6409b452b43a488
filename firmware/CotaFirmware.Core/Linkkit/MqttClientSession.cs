using CotaFirmware.Mqtt;
using CotaFirmware.Platform;

namespace CotaFirmware.Linkkit;

/// <summary>The <see cref="IMqttSession"/> port over the core's own <see cref="MqttClient"/>.</summary>
/// <remarks>
/// LinkKit owns reconnection (it signs every connection anew), so after a loss this session stops the client's
/// own reconnect timer; the client keeps its in-flight QoS 1 messages and subscriptions, and resends them when
/// LinkKit connects again. The client is built at the first <see cref="Connect"/> (its buffers are sized by the
/// options given here) and rebuilt only if the endpoint changes.
/// </remarks>
public sealed class MqttClientSession : IMqttSession
{
    readonly IByteChannel _channel;
    readonly IClock _clock;
    readonly MqttClientOptions _sizes;
    MqttClient _client;
    IMqttSessionListener _listener;
    bool _connected;
    string _endpointHost;
    int _endpointPort;
    bool _endpointTls;
    int _endpointKeepAlive;
    bool _endpointClean;
    int _endpointTimeout;

    /// <summary>Creates the session over <paramref name="channel"/>; <paramref name="sizes"/> gives buffer sizes, in-flight bounds and timeouts (its endpoint and credentials are ignored).</summary>
    public MqttClientSession(IByteChannel channel, IClock clock, MqttClientOptions sizes)
    {
        _channel = channel;
        _clock = clock;
        _sizes = sizes;
    }

    /// <summary>The client underneath, once the first <see cref="Connect"/> has built it (for diagnostics).</summary>
    public MqttClient Client => _client;

    /// <inheritdoc/>
    public bool IsConnected => _connected;

    /// <inheritdoc/>
    public void SetListener(IMqttSessionListener listener) => _listener = listener;

    /// <inheritdoc/>
    public int Connect(string host, int port, bool useTls, string clientId, string username, string password,
        int keepAliveSeconds, bool cleanSession, int timeoutMs)
    {
        if (_client == null || !SameEndpoint(host, port, useTls, keepAliveSeconds, cleanSession, timeoutMs))
        {
            if (_client != null)
            {
                _client.Disconnect();
            }

            _client = Build(host, port, useTls, clientId, keepAliveSeconds, cleanSession, timeoutMs);
        }

        _client.SetCredentials(clientId, username, password);
        MqttStatus status = _client.Connect();
        _connected = status == MqttStatus.Ok;
        if (!_connected)
        {
            _client.Disconnect();
        }

        return Map(status);
    }

    /// <inheritdoc/>
    public int Subscribe(string topic, int qos) => _client == null ? MqttSessionStatus.NotConnected : Map(_client.Subscribe(topic, qos));

    /// <inheritdoc/>
    public int Publish(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount, int qos)
    {
        if (!_connected)
        {
            return MqttSessionStatus.NotConnected;
        }

        return Map(_client.Publish(topic, topicOffset, topicCount, payload, payloadOffset, payloadCount, qos, false));
    }

    /// <inheritdoc/>
    public void Yield(int timeoutMs)
    {
        if (_connected)
        {
            _client.Yield(timeoutMs);
        }
    }

    /// <inheritdoc/>
    public void Disconnect()
    {
        _connected = false;
        if (_client != null)
        {
            _client.Disconnect();
        }
    }

    MqttClient Build(string host, int port, bool useTls, string clientId, int keepAliveSeconds, bool cleanSession, int timeoutMs)
    {
        var options = new MqttClientOptions
        {
            Host = host,
            Port = port,
            Tls = useTls,
            ClientId = clientId,
            KeepAliveSeconds = keepAliveSeconds,
            CleanSession = cleanSession,
            ConnectTimeoutMs = timeoutMs > 0 ? timeoutMs : _sizes.ConnectTimeoutMs,
            ReceiveBufferSize = _sizes.ReceiveBufferSize,
            TransmitBufferSize = _sizes.TransmitBufferSize,
            InFlightCount = _sizes.InFlightCount,
            InFlightBytes = _sizes.InFlightBytes,
            MaxSubscriptions = _sizes.MaxSubscriptions,
            SubscriptionBytes = _sizes.SubscriptionBytes,
            PingTimeoutMs = _sizes.PingTimeoutMs,
            WriteTimeoutMs = _sizes.WriteTimeoutMs,
            ReconnectMinMs = _sizes.ReconnectMinMs,
            ReconnectMaxMs = _sizes.ReconnectMaxMs,
            JitterSeed = _sizes.JitterSeed,
        };
        var client = new MqttClient(_channel, _clock, options);
        client.MessageReceived = OnMessage;
        client.ConnectionChanged = OnConnectionChanged;
        _endpointHost = host;
        _endpointPort = port;
        _endpointTls = useTls;
        _endpointKeepAlive = keepAliveSeconds;
        _endpointClean = cleanSession;
        _endpointTimeout = timeoutMs;
        return client;
    }

    bool SameEndpoint(string host, int port, bool useTls, int keepAliveSeconds, bool cleanSession, int timeoutMs) =>
        host == _endpointHost && port == _endpointPort && useTls == _endpointTls && keepAliveSeconds == _endpointKeepAlive
        && cleanSession == _endpointClean && timeoutMs == _endpointTimeout;

    void OnMessage(MqttMessage message)
    {
        IMqttSessionListener listener = _listener;
        if (listener != null)
        {
            listener.OnMessage(message.Buffer, message.TopicOffset, message.TopicCount,
                message.Buffer, message.PayloadOffset, message.PayloadCount);
        }
    }

    void OnConnectionChanged(bool connected, MqttStatus reason)
    {
        if (connected || !_connected)
        {
            return;
        }

        // An established connection ended: hand reconnection to LinkKit, and stop the client's own timer.
        _connected = false;
        _client.Disconnect();
        if (reason != MqttStatus.ClosedByCaller && _listener != null)
        {
            _listener.OnConnectionLost();
        }
    }

    static int Map(MqttStatus status)
    {
        switch (status)
        {
            case MqttStatus.Ok:
                return MqttSessionStatus.Ok;
            case MqttStatus.NotConnected:
                return MqttSessionStatus.NotConnected;
            case MqttStatus.RefusedProtocolVersion:
            case MqttStatus.RefusedIdentifier:
            case MqttStatus.RefusedServerUnavailable:
            case MqttStatus.RefusedBadCredentials:
            case MqttStatus.RefusedNotAuthorized:
            case MqttStatus.RefusedUnknownCode:
                return MqttSessionStatus.Refused;
            case MqttStatus.ChannelFailed:
                return MqttSessionStatus.NetworkFailed;
            case MqttStatus.ConnackTimeout:
            case MqttStatus.WriteTimeout:
                return MqttSessionStatus.Timeout;
            case MqttStatus.TxBufferTooSmall:
            case MqttStatus.InFlightFull:
                return MqttSessionStatus.TooLarge;
            default:
                return MqttSessionStatus.Failed;
        }
    }
}
