using CotaFirmware.Mqtt;

namespace CotaFirmware.Linkkit;

/// <summary>
/// What LinkKit needs from an MQTT 3.1.1 session: the port an adapter over the core's MQTT client
/// (<see cref="MqttClientSession"/>) or a board's own client (the ESP32's M2Mqtt) implements.
/// </summary>
/// <remarks>
/// Calls return an <see cref="MqttStatus"/> instead of throwing: the adapter maps its client's outcomes once, here.
/// One thread makes every call. Received messages, refused subscriptions and the loss of the connection are reported to the
/// <see cref="IMqttSessionListener"/> set with <see cref="SetListener"/>, only from within <see cref="Yield"/>, on that
/// thread; the views passed to the listener are valid only during the call. The session never reconnects and keeps no
/// subscriptions: after a loss LinkKit signs anew (fresh timestamp), calls <see cref="Connect"/> again with backoff, and
/// subscribes again.
/// </remarks>
public interface IMqttSession
{
    /// <summary>Sets who receives messages and connection loss; null stops delivery.</summary>
    public void SetListener(IMqttSessionListener listener);

    /// <summary>
    /// Opens the network connection to the credentials' host and port (TLS when they say so), sends CONNECT with their
    /// client id, username, password, keep-alive and clean-session flag, and waits for CONNACK, at most
    /// <paramref name="timeoutMs"/> for each step.
    /// </summary>
    /// <returns><see cref="MqttStatus.Ok"/> once accepted; otherwise why not (a Refused* CONNACK code, <see cref="MqttStatus.ChannelFailed"/>, a timeout).</returns>
    public MqttStatus Connect(ConnectionCredentials credentials, int timeoutMs);

    /// <summary>Subscribes to <paramref name="topic"/> (filters with <c>+</c> allowed) at QoS <paramref name="qos"/> (0 or 1).</summary>
    /// <returns><see cref="MqttStatus.Ok"/> once sent, or why not; a refusal in the SUBACK goes to <see cref="IMqttSessionListener.OnSubscribeRefused"/>.</returns>
    public MqttStatus Subscribe(string topic, int qos);

    /// <summary>Publishes the payload view to the topic view (both UTF-8 bytes) at QoS <paramref name="qos"/> (0 or 1), not retained.</summary>
    /// <returns><see cref="MqttStatus.Ok"/> once handed to the network (QoS 1: kept until acknowledged), or why not.</returns>
    public MqttStatus Publish(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount, int qos);

    /// <summary>Services the session for up to <paramref name="timeoutMs"/>: reads and dispatches messages, keeps alive, notices a loss.</summary>
    public void Yield(int timeoutMs);

    /// <summary>Sends DISCONNECT when connected and closes the connection. Safe to call at any time.</summary>
    public void Disconnect();

    /// <summary>True between an accepted <see cref="Connect"/> and the loss or end of the connection.</summary>
    public bool IsConnected { get; }
}
