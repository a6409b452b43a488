namespace CotaFirmware.Linkkit;

/// <summary>Receives what an <see cref="IMqttSession"/> reports: messages and the loss of the connection.</summary>
public interface IMqttSessionListener
{
    /// <summary>A PUBLISH arrived. Topic and payload are views valid only during the call.</summary>
    void OnMessage(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount);

    /// <summary>The connection was lost or closed by the peer (not called for <see cref="IMqttSession.Disconnect"/>).</summary>
    void OnConnectionLost();
}
