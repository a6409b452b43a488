namespace CotaFirmware.Mqtt;

/// <summary>Learns that the broker acknowledged an outgoing QoS 1 message, which then leaves the in-flight set.</summary>
/// <param name="packetId">The packet identifier <see cref="MqttClient.LastPacketId"/> gave when it was published.</param>
public delegate void MqttPublishAckHandler(int packetId);
