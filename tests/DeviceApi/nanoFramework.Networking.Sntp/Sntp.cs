// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/nanoFramework.Networking.Sntp, nanoFramework.Networking.Sntp/Sntp.cs
//         (stored version read through the index, 2026); assembly name from nanoFramework.Networking.Sntp.nfproj @ 036cf188353e459ad67aa0fc67ed3484419eee47
// Package: nanoFramework.Networking.Sntp 1.6.42.
namespace nanoFramework.Networking
{
    public static class Sntp
    {
        public static void Start() => throw null;
        public static void Stop() => throw null;
        public static void UpdateNow() => throw null;
        public static bool IsStarted => throw null;
        public static string Server1 { get => throw null; set => throw null; }
        public static string Server2 { get => throw null; set => throw null; }
    }
}
