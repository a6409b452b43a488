namespace CotaFirmware.Network;

/// <summary>The names of the network layer's values, for log lines.</summary>
public static class NetworkNames
{
    /// <summary>Names a state for log lines.</summary>
    public static string Of(NetworkState state)
    {
        switch (state)
        {
            case NetworkState.Idle: return "idle";
            case NetworkState.Joining: return "joining";
            case NetworkState.WaitingForAddress: return "waiting for address";
            case NetworkState.WaitingForClock: return "waiting for clock";
            case NetworkState.Online: return "online";
            case NetworkState.BackingOff: return "backing off";
            default: return "unknown";
        }
    }

    /// <summary>Names a failure for log lines.</summary>
    public static string Of(NetworkFailure failure)
    {
        switch (failure)
        {
            case NetworkFailure.None: return "none";
            case NetworkFailure.WrongPassword: return "wrong password";
            case NetworkFailure.NetworkNotFound: return "network not found";
            case NetworkFailure.Rejected: return "rejected by the access point";
            case NetworkFailure.UnsupportedSecurity: return "unsupported security";
            case NetworkFailure.JoinTimeout: return "join timed out";
            case NetworkFailure.NoAddress: return "no DHCP address";
            case NetworkFailure.NoClock: return "no SNTP time";
            case NetworkFailure.LinkLost: return "link lost";
            case NetworkFailure.RadioFailed: return "radio failed";
            default: return "unknown";
        }
    }
}
