using CotaFirmware.Network;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>Logs when the network becomes ready or is lost; LinkKit notices a lost connection itself.</summary>
public sealed class NetworkEvents : INetworkListener
{
    private readonly ILog _log;

    /// <summary>Logs through <paramref name="log"/>.</summary>
    public NetworkEvents(ILog log)
    {
        _log = log;
    }

    /// <inheritdoc />
    public void OnNetworkReady() => _log.Write(LogLevel.Info, "app", "network ready");

    /// <inheritdoc />
    public void OnNetworkLost(NetworkFailure reason) => _log.Write(LogLevel.Warning, "app", "network lost: " + WifiConnection.Name(reason));
}
