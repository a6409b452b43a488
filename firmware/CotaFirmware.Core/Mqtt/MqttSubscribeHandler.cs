namespace CotaFirmware.Mqtt;

/// <summary>Learns the broker's answer to a SUBSCRIBE for one topic filter.</summary>
/// <param name="filter">Buffer holding the topic filter (the client's subscription table; read it during the call only).</param>
/// <param name="offset">Where the filter starts in <paramref name="filter"/>.</param>
/// <param name="count">The filter's length in bytes.</param>
/// <param name="returnCode">The granted QoS (0, 1 or 2), or 0x80 when the broker refused the subscription.</param>
public delegate void MqttSubscribeHandler(byte[] filter, int offset, int count, int returnCode);
