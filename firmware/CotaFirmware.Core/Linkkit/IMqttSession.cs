namespace CotaFirmware.Linkkit;

/// <summary>
/// What LinkKit needs from an MQTT 3.1.1 session: the port an adapter over the core's MQTT client (or a board's
/// M2Mqtt) implements.
/// </summary>
/// <remarks>
/// Calls return <see cref="MqttSessionStatus"/> codes instead of throwing. Received messages and connection loss
/// are reported to the <see cref="IMqttSessionListener"/> set with <see cref="SetListener"/>, only from within
/// <see cref="Yield"/> (or <see cref="Connect"/>), on the caller's thread. The views passed to the listener are
/// valid only during the call. The session never reconnects on its own: after a loss LinkKit signs anew (fresh
/// timestamp) and calls <see cref="Connect"/> again, then resubscribes.
/// </remarks>
public interface IMqttSession
{
    /// <summary>Sets who receives messages and connection loss; null stops delivery.</summary>
    void SetListener(IMqttSessionListener listener);

    /// <summary>
    /// Opens the network connection to <paramref name="host"/>:<paramref name="port"/> (TLS when
    /// <paramref name="useTls"/>), sends CONNECT and waits for CONNACK, at most <paramref name="timeoutMs"/>.
    /// </summary>
    /// <returns><see cref="MqttSessionStatus.Ok"/> once accepted, or a negative <see cref="MqttSessionStatus"/> code.</returns>
    int Connect(string host, int port, bool useTls, string clientId, string username, string password,
        int keepAliveSeconds, bool cleanSession, int timeoutMs);

    /// <summary>Subscribes to <paramref name="topic"/> (filters with <c>+</c> allowed) at QoS <paramref name="qos"/> (0 or 1).</summary>
    /// <returns><see cref="MqttSessionStatus.Ok"/> once sent, or a negative <see cref="MqttSessionStatus"/> code.</returns>
    int Subscribe(string topic, int qos);

    /// <summary>Publishes the payload view to the topic view (both UTF-8 bytes) at QoS <paramref name="qos"/> (0 or 1), not retained.</summary>
    /// <returns><see cref="MqttSessionStatus.Ok"/> once handed to the network, or a negative <see cref="MqttSessionStatus"/> code.</returns>
    int Publish(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount, int qos);

    /// <summary>Services the session for up to <paramref name="timeoutMs"/>: reads and dispatches messages, keeps alive, retries QoS 1.</summary>
    void Yield(int timeoutMs);

    /// <summary>Sends DISCONNECT when connected and closes the connection. Safe to call at any time.</summary>
    void Disconnect();

    /// <summary>True between an accepted <see cref="Connect"/> and the loss or end of the connection.</summary>
    bool IsConnected { get; }
}
