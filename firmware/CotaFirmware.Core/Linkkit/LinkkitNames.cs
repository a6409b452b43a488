namespace CotaFirmware.Linkkit;

/// <summary>The names of the LinkKit layer's values, for log lines and exception messages.</summary>
public static class LinkkitNames
{
    /// <summary>Names a status for log lines and exception messages.</summary>
    public static string Of(LinkkitStatus status)
    {
        switch (status)
        {
            case LinkkitStatus.Ok: return "ok";
            case LinkkitStatus.BadProductKey: return "bad product key";
            case LinkkitStatus.BadDeviceName: return "bad device name";
            case LinkkitStatus.BadDeviceSecret: return "bad device secret";
            case LinkkitStatus.BadProductSecret: return "bad product secret";
            case LinkkitStatus.BadClientId: return "bad client id";
            case LinkkitStatus.BadKeepAlive: return "bad keep-alive";
            case LinkkitStatus.BadSettings: return "bad settings";
            case LinkkitStatus.PlainTransportNotAllowed: return "plain transport not allowed";
            case LinkkitStatus.NotConnected: return "not connected";
            case LinkkitStatus.ConnectFailed: return "connect failed";
            case LinkkitStatus.SubscribeFailed: return "subscribe failed";
            case LinkkitStatus.PublishFailed: return "publish failed";
            case LinkkitStatus.PayloadTooLarge: return "payload too large";
            case LinkkitStatus.TooManyPending: return "too many pending requests";
            case LinkkitStatus.Closed: return "closed";
            case LinkkitStatus.SigningFailed: return "signing failed";
            case LinkkitStatus.BadTopic: return "bad topic";
            case LinkkitStatus.TooManyTopics: return "too many topics";
            default: return "unknown";
        }
    }
}
