using CotaFirmware.Network;

namespace CotaFirmware.Tests.Network;

/// <summary>Counts what the layers above would hear from Wi-Fi bring-up.</summary>
public sealed class RecordingListener : INetworkListener
{
    /// <summary>Calls of OnNetworkReady.</summary>
    public int Ready;

    /// <summary>Calls of OnNetworkLost.</summary>
    public int Lost;

    /// <summary>The reason of the last OnNetworkLost.</summary>
    public NetworkFailure LastLostReason = NetworkFailure.None;

    /// <inheritdoc/>
    public void OnNetworkReady() => Ready++;

    /// <inheritdoc/>
    public void OnNetworkLost(NetworkFailure reason)
    {
        Lost++;
        LastLostReason = reason;
    }
}
