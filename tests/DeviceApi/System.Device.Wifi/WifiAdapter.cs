// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/System.Device.Wifi, System.Device.Wifi/WifiAdapter.cs @ 8ee54687cb11116901fa820a1b0cc87ef702931e,
//         WifiConnectionStatus.cs @ fdb9461b91f9d4ae401b594729ba6468f7354c0f, WifiReconnectionKind.cs @ dc9aa1db40235786c74a1c17f3643f29fb4a3588,
//         WifiConnectionResult.cs @ 59b09f888e62cebe1f191a1b9bb52431c4873258 (the stored copy still spells it WiFi; the type is Wifi since the rename)
//         (scan report types are left out: the glue connects by SSID)
// Package: nanoFramework.System.Device.Wifi 1.5.144.
using System;

namespace System.Device.Wifi
{
    public sealed class WifiAdapter : IDisposable
    {
        internal WifiAdapter() => throw null;
        public int NetworkInterface => throw null;
        public WifiConnectionResult Connect(string ssid, WifiReconnectionKind reconnectionKind, string passwordCredential) => throw null;
        public void Disconnect() => throw null;
        public static WifiAdapter[] FindAllAdapters() => throw null;
        public void ScanAsync() => throw null;
        public void Dispose() => throw null;
    }

    public class WifiConnectionResult
    {
        internal WifiConnectionResult() => throw null;
        public WifiConnectionStatus ConnectionStatus => throw null;
    }

    public enum WifiConnectionStatus
    {
        AccessRevoked,
        InvalidCredential,
        NetworkNotAvailable,
        Success,
        Timeout,
        UnspecifiedFailure,
        UnsupportedAuthenticationProtocol,
    }

    public enum WifiReconnectionKind
    {
        Automatic,
        Manual,
    }
}
