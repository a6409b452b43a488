// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/System.Device.Wifi, System.Device.Wifi/NetworkHelper/WifiNetworkHelper.cs @ 606f5099248125d454c45136bd2ac75db0c74191
// Package: nanoFramework.System.Device.Wifi 1.5.144 (assembly System.Device.Wifi).
// From the source: ConnectDhcp returns false and sets Status on failure; a wrong password or an absent network
// only shows as TokenExpiredWaitingIPAddress, because it waits for an address. WifiAdapter.Connect names the cause.
using System;
using System.Device.Wifi;
using System.Threading;

namespace nanoFramework.Networking
{
    public static class WifiNetworkHelper
    {
        public static ManualResetEvent NetworkReady => throw null;
        public static NetworkHelperStatus Status => throw null;
        public static Exception HelperException => throw null;
        public static WifiAdapter WifiAdapter => throw null;
        public static void SetupNetworkHelper(bool requiresDateTime = false) => throw null;
        public static void SetupNetworkHelper(string ssid, string password, WifiReconnectionKind reconnectionKind = WifiReconnectionKind.Automatic, bool requiresDateTime = false) => throw null;
        public static void Disconnect() => throw null;
        public static bool ConnectDhcp(string ssid, string password, WifiReconnectionKind reconnectionKind = WifiReconnectionKind.Automatic, bool requiresDateTime = false, int wifiAdapterId = 0, CancellationToken token = default) => throw null;
        public static bool ScanAndConnectDhcp(string ssid, string password, WifiReconnectionKind reconnectionKind = WifiReconnectionKind.Automatic, bool requiresDateTime = false, int WifiAdapter = 0, CancellationToken token = default) => throw null;
        public static bool Reconnect(bool requiresDateTime = false, int wifiAdapterId = 0, CancellationToken token = default) => throw null;
    }
}
