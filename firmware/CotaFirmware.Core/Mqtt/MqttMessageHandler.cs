namespace CotaFirmware.Mqtt;

/// <summary>Receives an incoming PUBLISH; a QoS 1 message is acknowledged after this returns.</summary>
/// <param name="message">Views into the receive buffer, valid only during the call.</param>
public delegate void MqttMessageHandler(MqttMessage message);
