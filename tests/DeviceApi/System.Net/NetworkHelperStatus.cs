// Device API reference stub: the public signatures the ESP32 glue uses.
// Source: nanoframework/System.Net, nanoFramework.System.Net/NetworkHelper/NetworkHelperStatus.cs @ 055d4fe792f3a3c0eac63dcdec4032d1a2667679
//         (WifiNetworkHelper.Status returns this type, so it lives in System.Net, not in System.Device.Wifi).
//         The newest source also has Reconnecting; it is left out because it is not established for the 1.11 line.
// Package: nanoFramework.System.Net 1.11.60.
namespace nanoFramework.Networking
{
    public enum NetworkHelperStatus
    {
        None,
        Started,
        NetworkIsReady,
        FailedNoNetworkInterface,
        TokenExpiredWaitingIPAddress,
        TokenExpiredWaitingDateTime,
        ErrorConnetingToWiFiWhileScanning,
        ExceptionOccurred,
    }
}
