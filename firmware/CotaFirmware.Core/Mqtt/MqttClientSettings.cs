namespace CotaFirmware.Mqtt;

/// <summary>Settings of an <see cref="MqttClient"/>: how much memory it takes and how long it waits.</summary>
/// <remarks>The client reads them once, in its constructor; every buffer is allocated there and never again.</remarks>
public sealed class MqttClientSettings
{
    /// <summary>Receive buffer in bytes: the largest packet the client can take whole. Aliyun pushes carry ~800-character URLs, so keep it at 2048 or more.</summary>
    public int ReceiveBufferSize = 2048;

    /// <summary>Transmit buffer in bytes: the largest CONNECT, SUBSCRIBE or QoS 0 PUBLISH the client can send.</summary>
    public int TransmitBufferSize = 2048;

    /// <summary>How many outgoing QoS 1 messages may wait for PUBACK at once.</summary>
    public int InFlightCount = 8;

    /// <summary>Bytes of storage shared by the in-flight QoS 1 messages (each kept as its encoded packet).</summary>
    public int InFlightBytes = 4096;

    /// <summary>How long to wait for PINGRESP before the session counts as lost, in milliseconds.</summary>
    public int PingTimeoutMs = 5000;

    /// <summary>How long a write may make no progress before the session counts as lost, in milliseconds.</summary>
    public int WriteTimeoutMs = 10000;
}
