namespace CotaFirmware.Linkkit;

/// <summary>Everything an MQTT CONNECT to the platform needs: where, and the signed client id, username and password.</summary>
/// <remarks><see cref="Password"/> is a secret: never log it. <see cref="ToString"/> leaves it out.</remarks>
public sealed class ConnectionCredentials
{
    /// <summary>The MQTT host.</summary>
    public string Host { get; internal set; }

    /// <summary>The MQTT port.</summary>
    public int Port { get; internal set; }

    /// <summary>True for TLS (securemode=2), false for plain TCP (securemode=3).</summary>
    public bool UseTls { get; internal set; }

    /// <summary>The full MQTT client id: <c>{clientId}|securemode=..,signmethod=..,timestamp=..|</c>.</summary>
    public string ClientId { get; internal set; }

    /// <summary>The MQTT username: <c>{dn}&amp;{pk}</c>.</summary>
    public string Username { get; internal set; }

    /// <summary>The MQTT password: the hex HMAC signature. A secret.</summary>
    public string Password { get; internal set; }

    /// <summary>The keep-alive in seconds.</summary>
    public int KeepAliveSeconds { get; internal set; }

    /// <summary>The clean-session flag.</summary>
    public bool CleanSession { get; internal set; }

    /// <summary>Describes the connection without the password.</summary>
    public override string ToString() => Host + ":" + Port + (UseTls ? " tls " : " tcp ") + ClientId + " " + Username;
}
