using System;
using System.Collections;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using CotaFirmware.Linkkit;
using CotaFirmware.Platform;
using CotaFirmware.Text;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;
using MqttStatus = CotaFirmware.Mqtt.MqttStatus;

namespace CotaFirmware.Esp32;

/// <summary>
/// LinkKit's <see cref="IMqttSession"/> over nanoFramework.M2Mqtt (MQTT 3.1.1), the transport a board selects with
/// <c>"mqttTransport": "m2mqtt"</c>.
/// </summary>
/// <remarks>
/// M2Mqtt receives on threads of its own and allocates a buffer and a payload copy for every message. The port asks
/// for delivery on the caller's thread inside <see cref="Yield"/>, so arrivals wait in a fixed ring of
/// <c>queueLength</c> references and the loss of the connection is a flag. M2Mqtt acks a QoS 1 message before its
/// event, so a full ring holds M2Mqtt's event thread until <see cref="Yield"/> makes room (its later events wait in
/// its own queue) rather than lose a message the broker counts as delivered; the loss is reported only once the ring
/// is empty. A message longer than <c>maxMessageSize</c> is reported as oversize with its first <c>maxMessageSize</c>
/// bytes, as the core client reports one larger than its receive buffer. A SUBACK comes as an event too: a refused
/// filter is kept (<see cref="PendingSubscriptions"/>, as the core client's session keeps it) and reported from
/// <see cref="Yield"/>. Outcomes map onto <see cref="MqttStatus"/> here: CONNACK codes one to one, exceptions as
/// <see cref="MqttStatus.ChannelFailed"/>. M2Mqtt applies its own connect timeout; <c>timeoutMs</c> of
/// <see cref="Connect"/> is not passed on.
/// </remarks>
public sealed class M2MqttSession : IMqttSession
{
    private const int MaxTopicBytes = 256;

    private readonly X509Certificate _rootCa;
    private readonly ILog _log;
    private readonly int _maxMessageSize;
    private readonly object _gate = new object();
    private readonly AutoResetEvent _arrived = new AutoResetEvent(false);
    private readonly AutoResetEvent _room = new AutoResetEvent(false);
    private readonly string[] _topics;
    private readonly byte[][] _payloads;
    private readonly byte[] _topicBytes = new byte[MaxTopicBytes];
    private readonly PendingSubscriptions _subscriptions = new PendingSubscriptions(); // under _gate
    private readonly ArrayList _refused = new ArrayList(); // filters, under _gate, reported from Yield
    private int _head;
    private int _count;
    private MqttClient _client;
    private IMqttSessionListener _listener;
    // Set from network threads and read by the loop: single-word writes, no volatile (the device mscorlib lacks IsVolatile).
    private bool _connected;
    private bool _lost;

    /// <summary>Creates a session whose TLS connections trust <paramref name="rootCa"/> (and a CA bundle stored in the device's configuration block, which nanoFramework adds).</summary>
    public M2MqttSession(X509Certificate rootCa, int maxMessageSize, int queueLength, ILog log)
    {
        _rootCa = rootCa;
        _maxMessageSize = maxMessageSize;
        _topics = new string[queueLength];
        _payloads = new byte[queueLength][];
        _log = log;
    }

    /// <inheritdoc />
    public bool IsConnected => _connected && !_lost;

    /// <inheritdoc />
    public void SetListener(IMqttSessionListener listener) => _listener = listener;

    /// <inheritdoc />
    public MqttStatus Connect(ConnectionCredentials credentials, int timeoutMs)
    {
        bool useTls = credentials.UseTls;
        Drop();
        try
        {
            MqttClient client = new MqttClient(credentials.Host, credentials.Port, useTls, useTls ? _rootCa : null, null,
                useTls ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
            client.ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
            client.MqttMsgPublishReceived += OnPublish;
            client.ConnectionClosed += OnClosed;
            client.MqttMsgSubscribed += OnSubscribed;
            _client = client;
            _lost = false;
            MqttReasonCode code = client.Connect(credentials.ClientId, credentials.Username, credentials.Password,
                credentials.CleanSession, (ushort)credentials.KeepAliveSeconds);
            if (code != MqttReasonCode.Success)
            {
                Drop();
                int refused = (int)code;
                return refused >= 1 && refused <= 5 ? (MqttStatus)refused : MqttStatus.RefusedUnknownCode;
            }

            _connected = true;
            return MqttStatus.Ok;
        }
        catch (Exception e)
        {
            _log.Write(LogLevel.Warning, "m2mqtt", "connect failed: " + e.GetType().Name);
            Drop();
            return MqttStatus.ChannelFailed;
        }
    }

    /// <inheritdoc />
    public MqttStatus Subscribe(string topic, int qos)
    {
        if (!IsConnected)
        {
            return MqttStatus.NotConnected;
        }

        try
        {
            // The id is kept before the SUBACK's event (on M2Mqtt's thread) can look for it.
            lock (_gate)
            {
                ushort id = _client.Subscribe(new string[] { topic }, new MqttQoSLevel[] { qos == 1 ? MqttQoSLevel.AtLeastOnce : MqttQoSLevel.AtMostOnce });
                _subscriptions.Add(id, topic);
            }

            return MqttStatus.Ok;
        }
        catch (Exception)
        {
            return MqttStatus.ChannelFailed;
        }
    }

    /// <inheritdoc />
    public MqttStatus Publish(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount, int qos)
    {
        if (!IsConnected)
        {
            return MqttStatus.NotConnected;
        }

        try
        {
            string name = Utf8.GetString(topic, topicOffset, topicCount);
            // M2Mqtt takes the whole array as the message.
            byte[] message = new byte[payloadCount];
            Array.Copy(payload, payloadOffset, message, 0, payloadCount);
            _client.Publish(name, message, null, null, qos == 1 ? MqttQoSLevel.AtLeastOnce : MqttQoSLevel.AtMostOnce, false);
            return MqttStatus.Ok;
        }
        catch (Exception)
        {
            // MqttClientException when the in-flight queue is full, a broken connection, or no memory for the copies.
            return MqttStatus.ChannelFailed;
        }
    }

    /// <inheritdoc />
    public void Yield(int timeoutMs)
    {
        if (_count == 0 && !_lost && timeoutMs > 0)
        {
            _arrived.WaitOne(timeoutMs, false);
        }

        IMqttSessionListener listener = _listener;
        int budget = _topics.Length;
        while (budget-- > 0)
        {
            string topic;
            byte[] payload;
            lock (_gate)
            {
                if (_count == 0)
                {
                    break;
                }

                topic = _topics[_head];
                payload = _payloads[_head];
                _topics[_head] = null;
                _payloads[_head] = null;
                _head = (_head + 1) % _topics.Length;
                _count--;
            }

            _room.Set();
            int n = Utf8.Encode(topic, _topicBytes, 0);
            if (n < 0)
            {
                continue; // longer than any topic LinkKit subscribes to
            }

            if (listener != null && payload.Length > _maxMessageSize)
            {
                listener.OnOversize(_topicBytes, 0, n, payload.Length, payload, 0, _maxMessageSize);
            }
            else if (listener != null)
            {
                listener.OnMessage(_topicBytes, 0, n, payload, 0, payload.Length);
            }
        }

        while (listener != null && _refused.Count > 0)
        {
            string refused;
            lock (_gate)
            {
                refused = (string)_refused[0];
                _refused.RemoveAt(0);
            }

            listener.OnSubscribeRefused(refused);
        }

        if (_lost && _connected && _count == 0)
        {
            _connected = false;
            Drop();
            if (listener != null)
            {
                listener.OnConnectionLost(MqttStatus.ChannelFailed);
            }
        }
    }

    /// <inheritdoc />
    public void Disconnect()
    {
        MqttClient client = _client;
        _connected = false;
        if (client != null && client.IsConnected)
        {
            try
            {
                client.Disconnect();
            }
            catch (Exception)
            {
                // The connection is going away either way.
            }
        }

        Drop();
    }

    private void OnPublish(object sender, MqttMsgPublishEventArgs e)
    {
        if (sender != _client)
        {
            return;
        }

        byte[] message = e.Message;
        if (message == null)
        {
            return;
        }

        while (true)
        {
            lock (_gate)
            {
                if (sender != _client)
                {
                    return; // dropped while waiting
                }

                if (_count < _topics.Length)
                {
                    int tail = (_head + _count) % _topics.Length;
                    _topics[tail] = e.Topic;
                    _payloads[tail] = message;
                    _count++;
                    break;
                }
            }

            _arrived.Set();
            _room.WaitOne();
        }

        _arrived.Set();
    }

    private void OnSubscribed(object sender, MqttMsgSubscribedEventArgs e)
    {
        if (sender != _client || e.GrantedQoSLevels == null || e.GrantedQoSLevels.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            string refused = _subscriptions.Acknowledge(e.MessageId, (int)e.GrantedQoSLevels[0]);
            if (refused != null)
            {
                _refused.Add(refused);
            }
        }

        _arrived.Set();
    }

    private void OnClosed(object sender, EventArgs e)
    {
        if (sender == _client)
        {
            _lost = true;
            _arrived.Set();
        }
    }

    // Forgets the client (and whatever it still queued) without reporting a loss.
    private void Drop()
    {
        MqttClient client = _client;
        lock (_gate)
        {
            _client = null;
        }

        _room.Set();
        _connected = false;
        if (client != null)
        {
            client.MqttMsgPublishReceived -= OnPublish;
            client.ConnectionClosed -= OnClosed;
            client.MqttMsgSubscribed -= OnSubscribed;
            try
            {
                client.Close();
            }
            catch (Exception)
            {
                // Already closed.
            }
        }

        lock (_gate)
        {
            for (int i = 0; i < _topics.Length; i++)
            {
                _topics[i] = null;
                _payloads[i] = null;
            }

            _head = 0;
            _count = 0;
            _subscriptions.Clear();
            _refused.Clear();
        }
    }
}
