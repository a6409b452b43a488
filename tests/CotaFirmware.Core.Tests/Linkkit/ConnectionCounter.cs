using CotaFirmware.Linkkit;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>Counts connect and disconnect notifications.</summary>
public sealed class ConnectionCounter
{
    /// <summary>How many of each arrived.</summary>
    public int Connects, Disconnects;

    /// <summary>Handler for <see cref="LinkkitDevice.Connected"/>.</summary>
    public void OnConnected(LinkkitDevice device) => Connects++;

    /// <summary>Handler for <see cref="LinkkitDevice.Disconnected"/>.</summary>
    public void OnDisconnected(LinkkitDevice device) => Disconnects++;
}
