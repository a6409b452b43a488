namespace CotaFirmware.Mqtt;

/// <summary>What a CONNECT says: who the client is, how it signs in, and how the session is kept.</summary>
/// <remarks><see cref="Password"/> is a secret: never log it. Where to connect belongs to the channel's owner, not here.</remarks>
public class MqttConnectInfo
{
    /// <summary>The MQTT client identifier.</summary>
    public string ClientId;

    /// <summary>The user name, or null to send none.</summary>
    public string Username;

    /// <summary>The password (a secret), or null to send none; MQTT 3.1.1 allows one only with a user name.</summary>
    public string Password;

    /// <summary>The keep-alive in seconds: <see cref="MqttClient.MinKeepAliveSeconds"/> to <see cref="MqttClient.MaxKeepAliveSeconds"/>.</summary>
    public int KeepAliveSeconds;

    /// <summary>True to start with a fresh session on the broker.</summary>
    public bool CleanSession;
}
