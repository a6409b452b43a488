namespace CotaFirmware.Mqtt;

/// <summary>Settings of an <see cref="MqttClient"/>: where to connect, who to be, and how much memory to take.</summary>
/// <remarks>The client reads them once, in its constructor; every buffer is allocated there and never again.</remarks>
public sealed class MqttClientOptions
{
    /// <summary>The broker's host name (also the name a TLS channel checks the certificate against).</summary>
    public string Host { get; set; }

    /// <summary>The broker's TCP port.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>True to ask the channel for TLS.</summary>
    public bool Tls { get; set; }

    /// <summary>The MQTT client identifier.</summary>
    public string ClientId { get; set; }

    /// <summary>The user name, or null to send none.</summary>
    public string Username { get; set; }

    /// <summary>The password, or null to send none (MQTT 3.1.1 allows a password only with a user name).</summary>
    public string Password { get; set; }

    /// <summary>True to start every connection with a fresh session on the broker.</summary>
    public bool CleanSession { get; set; } = true;

    /// <summary>The keep-alive interval in seconds, 30 to 1200 (the range Alibaba Cloud IoT Platform accepts).</summary>
    public int KeepAliveSeconds { get; set; } = 60;

    /// <summary>Receive buffer in bytes: the largest packet the client can take whole. Aliyun pushes carry ~800-character URLs, so keep it at 2048 or more.</summary>
    public int ReceiveBufferSize { get; set; } = 2048;

    /// <summary>Transmit buffer in bytes: the largest CONNECT, SUBSCRIBE or QoS 0 PUBLISH the client can send.</summary>
    public int TransmitBufferSize { get; set; } = 2048;

    /// <summary>How many outgoing QoS 1 messages may wait for PUBACK at once.</summary>
    public int InFlightCount { get; set; } = 8;

    /// <summary>Bytes of storage shared by the in-flight QoS 1 messages (each kept as its encoded packet).</summary>
    public int InFlightBytes { get; set; } = 4096;

    /// <summary>How many topic filters the client remembers and resubscribes on every reconnect.</summary>
    public int MaxSubscriptions { get; set; } = 8;

    /// <summary>Bytes of storage shared by the remembered topic filters.</summary>
    public int SubscriptionBytes { get; set; } = 512;

    /// <summary>How long a connection attempt may take, up to CONNACK, in milliseconds.</summary>
    public int ConnectTimeoutMs { get; set; } = 10000;

    /// <summary>How long to wait for PINGRESP before the connection counts as lost, in milliseconds.</summary>
    public int PingTimeoutMs { get; set; } = 5000;

    /// <summary>How long a write may make no progress before the connection counts as lost, in milliseconds.</summary>
    public int WriteTimeoutMs { get; set; } = 10000;

    /// <summary>The first reconnect delay in milliseconds; it doubles after each failure, with jitter.</summary>
    public int ReconnectMinMs { get; set; } = 1000;

    /// <summary>The longest reconnect delay in milliseconds.</summary>
    public int ReconnectMaxMs { get; set; } = 60000;

    /// <summary>Seed of the reconnect jitter; 0 picks one from the clock.</summary>
    public int JitterSeed { get; set; }
}
