using CotaFirmware.Mqtt;
using CotaFirmware.Platform;

namespace CotaFirmware.Linkkit;

/// <summary>The <see cref="IMqttSession"/> port over the core's own <see cref="MqttClient"/> and a board's <see cref="IByteChannel"/>.</summary>
/// <remarks>
/// <see cref="Connect"/> opens the channel, then starts an MQTT session over it. The client is built once, in the
/// constructor, so its buffers are allocated once and its in-flight QoS 1 messages outlive a lost connection: they go
/// out again (DUP set) after the next <see cref="Connect"/>.
/// </remarks>
public sealed class MqttClientSession : IMqttSession
{
    private readonly IByteChannel _channel;
    private readonly MqttClient _client;
    private readonly ILog _log;
    private IMqttSessionListener _listener;
    private bool _up;

    /// <summary>Creates the session over <paramref name="channel"/>, with an MQTT client sized by <paramref name="settings"/>.</summary>
    /// <param name="channel">The board's TCP/TLS channel.</param>
    /// <param name="clock">The monotonic clock.</param>
    /// <param name="settings">Buffers, in-flight bounds and timeouts of the client.</param>
    /// <param name="log">Where a channel that does not open is logged (with its status).</param>
    public MqttClientSession(IByteChannel channel, IClock clock, MqttClientSettings settings, ILog log)
    {
        if (channel == null || log == null)
        {
            throw new System.ArgumentNullException(channel == null ? "channel" : "log");
        }

        _channel = channel;
        _log = log;
        _client = new MqttClient(channel, clock, settings);
        _client.MessageReceived = OnMessage;
        _client.OversizeReceived = OnOversize;
    }

    /// <summary>The client underneath (in-flight count, last reason, for diagnostics).</summary>
    public MqttClient Client => _client;

    /// <inheritdoc/>
    public bool IsConnected => _client.IsConnected;

    /// <inheritdoc/>
    public void SetListener(IMqttSessionListener listener) => _listener = listener;

    /// <inheritdoc/>
    public MqttStatus Connect(string host, int port, bool useTls, string clientId, string username, string password,
        int keepAliveSeconds, bool cleanSession, int timeoutMs)
    {
        _up = false;
        _client.Disconnect();
        ChannelStatus opened = _channel.Connect(host, port, useTls, timeoutMs);
        if (opened != ChannelStatus.Ok)
        {
            _channel.Close();
            _log.Write(LogLevel.Warning, "mqtt", "cannot reach " + host + ":" + port.ToString() + ": " + Name(opened));
            return MqttStatus.ChannelFailed;
        }

        MqttStatus status = _client.Connect(clientId, username, password, keepAliveSeconds, cleanSession, timeoutMs);
        if (status != MqttStatus.Ok)
        {
            _channel.Close();
        }

        _up = status == MqttStatus.Ok;
        return status;
    }

    /// <inheritdoc/>
    public MqttStatus Subscribe(string topic, int qos) => _client.Subscribe(topic, qos);

    /// <inheritdoc/>
    public MqttStatus Publish(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount, int qos) =>
        _client.Publish(topic, topicOffset, topicCount, payload, payloadOffset, payloadCount, qos, false);

    /// <inheritdoc/>
    public void Yield(int timeoutMs)
    {
        _client.Yield(timeoutMs);
        if (_up && !_client.IsConnected)
        {
            // Lost here or in an earlier publish or subscribe: reported once, from Yield.
            _up = false;
            IMqttSessionListener listener = _listener;
            if (listener != null)
            {
                listener.OnConnectionLost(_client.LastReason);
            }
        }
    }

    /// <inheritdoc/>
    public void Disconnect()
    {
        _up = false;
        _client.Disconnect();
    }

    private void OnMessage(MqttMessage message)
    {
        IMqttSessionListener listener = _listener;
        if (listener != null)
        {
            listener.OnMessage(message.Buffer, message.TopicOffset, message.TopicCount,
                message.Buffer, message.PayloadOffset, message.PayloadCount);
        }
    }

    private void OnOversize(MqttMessage message, int packetSize)
    {
        IMqttSessionListener listener = _listener;
        if (listener != null)
        {
            listener.OnOversize(message.Buffer, message.TopicOffset, message.TopicCount, message.PayloadSize,
                message.Buffer, message.PayloadOffset, message.PayloadCount);
        }
    }

    private static string Name(ChannelStatus status)
    {
        switch (status)
        {
            case ChannelStatus.Closed: return "closed";
            case ChannelStatus.Unreachable: return "unreachable";
            case ChannelStatus.Refused: return "refused";
            case ChannelStatus.Timeout: return "timeout";
            case ChannelStatus.TlsFailed: return "tls failed";
            default: return "failed";
        }
    }
}
