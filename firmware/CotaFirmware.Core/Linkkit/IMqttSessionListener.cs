using CotaFirmware.Mqtt;

namespace CotaFirmware.Linkkit;

/// <summary>Receives what an <see cref="IMqttSession"/> reports: messages, messages too large for it, refused subscriptions, and the loss of the connection.</summary>
public interface IMqttSessionListener
{
    /// <summary>A PUBLISH arrived. Topic and payload are views valid only during the call.</summary>
    public void OnMessage(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount);

    /// <summary>
    /// A PUBLISH of <paramref name="payloadSize"/> bytes arrived that is larger than the session's receive buffer: it was
    /// drained (and acknowledged). The prefix view holds the first bytes of its payload, as many as fit. Views are valid
    /// only during the call.
    /// </summary>
    public void OnOversize(byte[] topic, int topicOffset, int topicCount, int payloadSize, byte[] prefix, int prefixOffset, int prefixCount);

    /// <summary>The broker refused the subscription to <paramref name="filter"/> (SUBACK 0x80): nothing published to it arrives on this connection.</summary>
    public void OnSubscribeRefused(string filter);

    /// <summary>The connection was lost or closed by the peer, for <paramref name="reason"/> (not called for <see cref="IMqttSession.Disconnect"/>).</summary>
    public void OnConnectionLost(MqttStatus reason);
}
