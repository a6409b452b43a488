namespace CotaFirmware.Mqtt;

/// <summary>The names of the MQTT layer's values, for log lines.</summary>
public static class MqttNames
{
    /// <summary>Names a status for log lines.</summary>
    public static string Of(MqttStatus status)
    {
        switch (status)
        {
            case MqttStatus.Ok: return "ok";
            case MqttStatus.RefusedProtocolVersion: return "refused: protocol version";
            case MqttStatus.RefusedIdentifier: return "refused: client id";
            case MqttStatus.RefusedServerUnavailable: return "refused: server unavailable";
            case MqttStatus.RefusedBadCredentials: return "refused: bad user name or password";
            case MqttStatus.RefusedNotAuthorized: return "refused: not authorized";
            case MqttStatus.RefusedUnknownCode: return "refused: unknown code";
            case MqttStatus.NotConnected: return "not connected";
            case MqttStatus.InFlightFull: return "in-flight set full";
            case MqttStatus.TxBufferTooSmall: return "transmit buffer too small";
            case MqttStatus.InvalidArgument: return "invalid argument";
            case MqttStatus.ChannelFailed: return "channel failed";
            case MqttStatus.ConnackTimeout: return "no CONNACK in time";
            case MqttStatus.PingTimeout: return "no PINGRESP in time";
            case MqttStatus.WriteTimeout: return "write timed out";
            case MqttStatus.ClosedByCaller: return "closed";
            case MqttStatus.MalformedRemainingLength: return "malformed remaining length";
            case MqttStatus.MalformedPacketType: return "malformed packet type";
            case MqttStatus.MalformedFlags: return "malformed flags";
            case MqttStatus.MalformedLength: return "malformed length";
            case MqttStatus.MalformedPacketId: return "malformed packet id";
            case MqttStatus.MalformedTopic: return "malformed topic";
            case MqttStatus.MalformedField: return "malformed field";
            case MqttStatus.ProtocolViolation: return "protocol violation";
            default: return "unknown";
        }
    }
}
