namespace CotaFirmware.Mqtt;

/// <summary>Learns that the session came up, went down, or that a connection attempt failed.</summary>
/// <param name="connected">True once CONNACK accepted the connection (after resubscribing and resending in-flight messages).</param>
/// <param name="reason"><see cref="MqttStatus.Ok"/> when connected; otherwise why the connection ended or the attempt failed.</param>
public delegate void MqttConnectionHandler(bool connected, MqttStatus reason);
