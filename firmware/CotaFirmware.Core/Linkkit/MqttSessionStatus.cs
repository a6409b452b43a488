namespace CotaFirmware.Linkkit;

/// <summary>Result codes of <see cref="IMqttSession"/>: zero is success, every failure is negative.</summary>
public static class MqttSessionStatus
{
    /// <summary>The operation succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The session is not connected.</summary>
    public const int NotConnected = -1;

    /// <summary>The network connection could not be set up (unreachable, refused, TLS).</summary>
    public const int NetworkFailed = -2;

    /// <summary>The broker refused the CONNECT (bad credentials, not authorised, bad client id).</summary>
    public const int Refused = -3;

    /// <summary>Nothing arrived in the time given.</summary>
    public const int Timeout = -4;

    /// <summary>The message does not fit the session's buffers.</summary>
    public const int TooLarge = -5;

    /// <summary>Any other failure.</summary>
    public const int Failed = -6;

    /// <summary>Names a status code for log lines.</summary>
    public static string Name(int status)
    {
        switch (status)
        {
            case Ok: return "ok";
            case NotConnected: return "not connected";
            case NetworkFailed: return "network failed";
            case Refused: return "refused";
            case Timeout: return "timeout";
            case TooLarge: return "too large";
            case Failed: return "failed";
            default: return status > 0 ? "ok" : "unknown";
        }
    }
}
