namespace CotaFirmware.Network;

/// <summary>What the layers above hear from Wi-Fi bring-up: exactly one call per transition into and out of <see cref="NetworkState.Online"/>.</summary>
/// <remarks>Calls come from inside <see cref="WifiConnection.Step"/>, on the caller's thread.</remarks>
public interface INetworkListener
{
    /// <summary>The network became ready: link, address and (when required) a valid clock.</summary>
    public void OnNetworkReady();

    /// <summary>The network was ready and is not any more; <paramref name="reason"/> says why (<see cref="NetworkFailure.None"/> when it was stopped on purpose).</summary>
    public void OnNetworkLost(NetworkFailure reason);
}
