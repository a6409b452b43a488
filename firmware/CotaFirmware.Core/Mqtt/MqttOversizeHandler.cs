namespace CotaFirmware.Mqtt;

/// <summary>Learns of an incoming packet larger than the receive buffer, which the client drained and dropped (a QoS 1 PUBLISH is still acknowledged).</summary>
/// <param name="message">For a PUBLISH: its topic, QoS and packet id when they fit the buffer, the part of the payload that fit
/// (<see cref="MqttMessage.PayloadCount"/> bytes) and the payload's whole size (<see cref="MqttMessage.PayloadSize"/>). For another packet type: all counts are 0.</param>
/// <param name="packetSize">The whole packet's size in bytes, fixed header included.</param>
public delegate void MqttOversizeHandler(MqttMessage message, int packetSize);
