namespace CotaFirmware.Mqtt;

/// <summary>Outcome of an MQTT client call, and the reason a session ended.</summary>
/// <remarks>Values from <see cref="RefusedProtocolVersion"/> to <see cref="RefusedNotAuthorized"/> are the CONNACK return codes 1..5.</remarks>
public enum MqttStatus
{
    /// <summary>The call succeeded.</summary>
    Ok = 0,

    /// <summary>CONNACK 1: the broker does not speak MQTT 3.1.1.</summary>
    RefusedProtocolVersion = 1,

    /// <summary>CONNACK 2: the broker rejected the client id.</summary>
    RefusedIdentifier = 2,

    /// <summary>CONNACK 3: the MQTT service is unavailable.</summary>
    RefusedServerUnavailable = 3,

    /// <summary>CONNACK 4: wrong user name or password.</summary>
    RefusedBadCredentials = 4,

    /// <summary>CONNACK 5: the client is not authorised to connect.</summary>
    RefusedNotAuthorized = 5,

    /// <summary>CONNACK with a return code above 5, which MQTT 3.1.1 does not define.</summary>
    RefusedUnknownCode = 6,

    /// <summary>No session: none was started yet, or a call needs one (QoS 0 publish, subscribe).</summary>
    NotConnected = 10,

    /// <summary>The QoS 1 in-flight set has no free slot or not enough bytes for this message.</summary>
    InFlightFull = 11,

    /// <summary>The packet does not fit the transmit buffer.</summary>
    TxBufferTooSmall = 12,

    /// <summary>An argument is out of range (QoS, keep-alive, empty topic, invalid UTF-8 or wildcards in a publish topic).</summary>
    InvalidArgument = 15,

    /// <summary>The byte channel failed to open, read or write (for reads and writes, <see cref="MqttClient.LastChannelStatus"/> holds its code).</summary>
    ChannelFailed = 20,

    /// <summary>No CONNACK arrived within the connect timeout.</summary>
    ConnackTimeout = 21,

    /// <summary>No PINGRESP arrived within the ping timeout.</summary>
    PingTimeout = 22,

    /// <summary>A write made no progress within the write timeout.</summary>
    WriteTimeout = 23,

    /// <summary>The caller ended the session.</summary>
    ClosedByCaller = 24,

    /// <summary>Malformed frame: the remaining length used more than 4 bytes.</summary>
    MalformedRemainingLength = 30,

    /// <summary>Malformed frame: packet type 0 or 15, or a type a broker never sends.</summary>
    MalformedPacketType = 31,

    /// <summary>Malformed frame: the fixed header's flag bits are not the ones the packet type requires.</summary>
    MalformedFlags = 32,

    /// <summary>Malformed frame: a length inside the packet runs past its end, or the packet has the wrong size.</summary>
    MalformedLength = 33,

    /// <summary>Malformed frame: packet identifier 0 where one is required.</summary>
    MalformedPacketId = 34,

    /// <summary>Malformed frame: a topic that is not valid UTF-8, contains U+0000 or wildcards.</summary>
    MalformedTopic = 35,

    /// <summary>Malformed frame: a CONNACK or SUBACK field holds a value MQTT 3.1.1 does not allow.</summary>
    MalformedField = 36,

    /// <summary>A valid packet that is not allowed now (a second CONNACK, a QoS 2 flow, an ack for an unknown id).</summary>
    ProtocolViolation = 37,
}
