using CotaFirmware.Mqtt;
using CotaFirmware.Platform;

namespace CotaFirmware.Linkkit;

/// <summary>The <see cref="IMqttSession"/> port over the core's own <see cref="MqttClient"/> and a board's <see cref="IByteChannel"/>.</summary>
/// <remarks>
/// The one owner of the channel: <see cref="Connect"/> opens it and starts an MQTT session over it, and the session
/// closes it when the MQTT session fails to start, is lost (noticed in <see cref="Yield"/>) or is ended with
/// <see cref="Disconnect"/>; the client itself never opens or closes it. The client is built once, in the constructor,
/// so its buffers are allocated once and its in-flight QoS 1 messages outlive a lost connection: they go out again
/// (DUP set) after the next <see cref="Connect"/>. A SUBACK that refuses a filter is reported as it is read, in <see cref="Yield"/>.
/// </remarks>
public sealed class MqttClientSession : IMqttSession
{
    private readonly IByteChannel _channel;
    private readonly MqttClient _client;
    private readonly ILog _log;
    private readonly PendingSubscriptions _subscriptions = new PendingSubscriptions();
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
        _client.SubscribeAcknowledged = OnSubscribed;
    }

    /// <summary>The client underneath (in-flight count, last reason, for diagnostics).</summary>
    public MqttClient Client => _client;

    /// <inheritdoc/>
    public bool IsConnected => _client.IsConnected;

    /// <inheritdoc/>
    public void SetListener(IMqttSessionListener listener) => _listener = listener;

    /// <inheritdoc/>
    public MqttStatus Connect(ConnectionCredentials credentials, int timeoutMs)
    {
        Disconnect();
        _subscriptions.Clear();
        ChannelStatus opened = _channel.Connect(credentials.Host, credentials.Port, credentials.UseTls, timeoutMs);
        if (opened != ChannelStatus.Ok)
        {
            _channel.Close();
            _log.Write(LogLevel.Warning, "mqtt", "cannot reach " + credentials.Host + ":" + credentials.Port.ToString() + ": " + PlatformNames.Of(opened));
            return MqttStatus.ChannelFailed;
        }

        MqttStatus status = _client.Connect(credentials, timeoutMs);
        if (status != MqttStatus.Ok)
        {
            _channel.Close();
        }

        _up = status == MqttStatus.Ok;
        return status;
    }

    /// <inheritdoc/>
    public MqttStatus Subscribe(string topic, int qos)
    {
        MqttStatus status = _client.Subscribe(topic, qos);
        if (status == MqttStatus.Ok)
        {
            _subscriptions.Add(_client.LastPacketId, topic);
        }

        return status;
    }

    /// <inheritdoc/>
    public MqttStatus Publish(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount, int qos) =>
        _client.Publish(topic, topicOffset, topicCount, payload, payloadOffset, payloadCount, qos, false);

    /// <inheritdoc/>
    public void Yield(int timeoutMs)
    {
        _client.Yield(timeoutMs);
        if (_up && !_client.IsConnected)
        {
            // Lost here or in an earlier publish or subscribe: closed and reported once, from Yield.
            _up = false;
            _channel.Close();
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
        _channel.Close();
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

    private void OnSubscribed(int packetId, int returnCode)
    {
        string refused = _subscriptions.Acknowledge(packetId, returnCode);
        IMqttSessionListener listener = _listener;
        if (refused != null && listener != null)
        {
            listener.OnSubscribeRefused(refused);
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
}
