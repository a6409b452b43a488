using CotaFirmware.Mqtt;

namespace CotaFirmware.Linkkit;

/// <summary>Everything an MQTT CONNECT to the platform needs: where, and the signed client id, username and password.</summary>
/// <remarks>
/// <see cref="LinkkitSigner"/> fills it: client id <c>{clientId}|securemode=..,signmethod=..,timestamp=..|</c>, username
/// <c>{dn}&amp;{pk}</c>, password the hex HMAC signature. The password is a secret: never log it.
/// </remarks>
public sealed class ConnectionCredentials : MqttConnectInfo
{
    /// <summary>The MQTT host.</summary>
    public string Host;

    /// <summary>The MQTT port.</summary>
    public int Port;

    /// <summary>True for TLS (securemode=2), false for plain TCP (securemode=3).</summary>
    public bool UseTls;
}
