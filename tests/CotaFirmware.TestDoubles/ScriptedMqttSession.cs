using System.Collections;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;
using CotaFirmware.Tests.Platform;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>An MQTT session that records what LinkKit asks of it and lets the test play the broker.</summary>
public sealed class ScriptedMqttSession : IMqttSession
{
    private IMqttSessionListener _listener;

    /// <summary>What the next <see cref="Connect"/> answers.</summary>
    public MqttStatus ConnectResult { get; set; } = MqttStatus.Ok;

    /// <summary>What <see cref="Subscribe"/> answers.</summary>
    public MqttStatus SubscribeResult { get; set; } = MqttStatus.Ok;

    /// <summary>What <see cref="Publish"/> answers.</summary>
    public MqttStatus PublishResult { get; set; } = MqttStatus.Ok;

    /// <summary>The monotonic time of every connect, in order (when a clock is given).</summary>
    public readonly ArrayList ConnectTimes = new ArrayList();

    /// <summary>The clock whose time <see cref="ConnectTimes"/> records; may be null.</summary>
    public ManualClock Clock { get; set; }

    /// <summary>The arguments of the last connect.</summary>
    public string Host, ClientId, Username, Password;

    /// <summary>The arguments of the last connect.</summary>
    public int Port, KeepAlive, Connects, Disconnects, Yields;

    /// <summary>The arguments of the last connect.</summary>
    public bool Tls, CleanSession;

    /// <summary>Cleared, publishes are only counted (<see cref="Publishes"/>), not kept, so publishing allocates nothing (for benchmarks and long fuzz runs).</summary>
    public bool KeepsPublished = true;

    /// <summary>How many publishes were accepted.</summary>
    public int Publishes;

    /// <summary>Every subscribed filter, in order.</summary>
    public readonly ArrayList Subscriptions = new ArrayList();

    /// <summary>Every published topic, in order.</summary>
    public readonly ArrayList PublishedTopics = new ArrayList();

    /// <summary>Every published payload as text, in order.</summary>
    public readonly ArrayList PublishedPayloads = new ArrayList();

    /// <summary>The QoS of every publish, in order.</summary>
    public readonly ArrayList PublishedQos = new ArrayList();

    /// <summary>Messages handed to the listener at the next <see cref="Yield"/>: topic, payload, topic, payload...</summary>
    public readonly ArrayList Inbox = new ArrayList();

    /// <inheritdoc/>
    public bool IsConnected { get; private set; }

    /// <summary>True while a listener is set.</summary>
    public bool HasListener => _listener != null;

    /// <summary>The last payload published, as text.</summary>
    public string LastPayload => PublishedPayloads.Count == 0 ? null : (string)PublishedPayloads[PublishedPayloads.Count - 1];

    /// <summary>The last topic published.</summary>
    public string LastTopic => PublishedTopics.Count == 0 ? null : (string)PublishedTopics[PublishedTopics.Count - 1];

    /// <inheritdoc/>
    public void SetListener(IMqttSessionListener listener) => _listener = listener;

    /// <inheritdoc/>
    public MqttStatus Connect(ConnectionCredentials credentials, int timeoutMs)
    {
        Connects++;
        if (Clock != null)
        {
            ConnectTimes.Add(Clock.MonotonicMs);
        }

        Host = credentials.Host;
        Port = credentials.Port;
        Tls = credentials.UseTls;
        ClientId = credentials.ClientId;
        Username = credentials.Username;
        Password = credentials.Password;
        KeepAlive = credentials.KeepAliveSeconds;
        CleanSession = credentials.CleanSession;
        IsConnected = ConnectResult == MqttStatus.Ok;
        return ConnectResult;
    }

    /// <inheritdoc/>
    public MqttStatus Subscribe(string topic, int qos)
    {
        if (SubscribeResult == MqttStatus.Ok)
        {
            Subscriptions.Add(topic);
        }

        return SubscribeResult;
    }

    /// <inheritdoc/>
    public MqttStatus Publish(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount, int qos)
    {
        if (PublishResult == MqttStatus.Ok)
        {
            Publishes++;
            if (KeepsPublished)
            {
                PublishedTopics.Add(Ascii.Text(topic, topicOffset, topicCount));
                PublishedPayloads.Add(Ascii.Text(payload, payloadOffset, payloadCount));
                PublishedQos.Add(qos);
            }
        }

        return PublishResult;
    }

    /// <inheritdoc/>
    public void Yield(int timeoutMs)
    {
        Yields++;
        while (Inbox.Count >= 2)
        {
            string topic = (string)Inbox[0];
            byte[] payload = (byte[])Inbox[1];
            Inbox.RemoveAt(0);
            Inbox.RemoveAt(0);
            Deliver(topic, payload);
        }
    }

    /// <inheritdoc/>
    public void Disconnect()
    {
        Disconnects++;
        IsConnected = false;
    }

    /// <summary>Queues a message for the next <see cref="Yield"/>.</summary>
    public void Enqueue(string topic, string payload)
    {
        Inbox.Add(topic);
        Inbox.Add(Ascii.Bytes(payload));
    }

    /// <summary>Hands a message to the listener now, inside a larger buffer so offsets are exercised.</summary>
    public void Deliver(string topic, byte[] payload)
    {
        if (_listener == null)
        {
            return;
        }

        byte[] t = new byte[topic.Length + 5];
        byte[] tb = Ascii.Bytes(topic);
        System.Array.Copy(tb, 0, t, 3, tb.Length);
        byte[] p = new byte[payload.Length + 7];
        System.Array.Copy(payload, 0, p, 4, payload.Length);
        _listener.OnMessage(t, 3, tb.Length, p, 4, payload.Length);
    }

    /// <summary>Hands the listener a message as views into the caller's buffers, allocating nothing (for benchmarks and fuzzing).</summary>
    public void Deliver(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount)
    {
        if (_listener != null)
        {
            _listener.OnMessage(topic, topicOffset, topicCount, payload, payloadOffset, payloadCount);
        }
    }

    /// <summary>Hands the listener a message larger than the session's buffer: its whole size and the prefix that fit.</summary>
    public void DeliverOversize(string topic, int size, string prefix)
    {
        if (_listener == null)
        {
            return;
        }

        DeliverOversize(topic, size, Ascii.Bytes(prefix));
    }

    /// <summary>Hands the listener a message larger than the session's buffer: its whole size and the prefix that fit.</summary>
    public void DeliverOversize(string topic, int size, byte[] prefix)
    {
        if (_listener == null)
        {
            return;
        }

        byte[] t = Ascii.Bytes(topic);
        _listener.OnOversize(t, 0, t.Length, size, prefix, 0, prefix.Length);
    }

    /// <summary>Plays a dropped connection (no PINGRESP).</summary>
    public void Drop() => Drop(MqttStatus.PingTimeout);

    /// <summary>Plays a connection that ended for <paramref name="reason"/> (<see cref="MqttStatus.ChannelFailed"/>: the broker closed it).</summary>
    public void Drop(MqttStatus reason)
    {
        IsConnected = false;
        if (_listener != null)
        {
            _listener.OnConnectionLost(reason);
        }
    }
}
