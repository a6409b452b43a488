namespace CotaFirmware.Mqtt;

/// <summary>Learns the broker's answer to a SUBSCRIBE.</summary>
/// <param name="packetId">The packet identifier <see cref="MqttClient.LastPacketId"/> gave when it was subscribed.</param>
/// <param name="returnCode">The granted QoS (0, 1 or 2), or 0x80 when the broker refused the subscription.</param>
public delegate void MqttSubscribeHandler(int packetId, int returnCode);
