namespace CotaFirmware.Mqtt;

/// <summary>Where an <see cref="MqttClient"/> is in its connection life cycle.</summary>
public enum MqttConnectionState
{
    /// <summary>No connection; one is attempted when the reconnect delay has passed, if the client was started.</summary>
    Disconnected,

    /// <summary>CONNECT was sent; waiting for CONNACK.</summary>
    Connecting,

    /// <summary>The broker accepted the session.</summary>
    Connected,
}
