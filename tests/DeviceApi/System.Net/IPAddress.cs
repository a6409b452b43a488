// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/System.Net, nanoFramework.System.Net/IPAddress.cs @ 98a0c07b39be51bf817e3b8ab7cac532e51afd66,
//         EndPoint.cs, IPEndPoint.cs and IPHostEntry.cs @ a86584d2c88b6d206cb61ee1bce85a8f88784e6e, DNS.cs @ 95faa29aa0578d6fd748b236f19440a36bd21140
//         (EndPoint.Serialize/Create and SocketAddress are left out: the glue never calls them)
// Package: nanoFramework.System.Net 1.11.60.
using System;
using System.Net.Sockets;

namespace System.Net
{
    [Serializable]
    public class IPAddress
    {
        public static readonly IPAddress Any;
        public static readonly IPAddress Loopback;
        public IPAddress(long newAddress) => throw null;
        public IPAddress(byte[] address) => throw null;
        public AddressFamily AddressFamily => throw null;
        public byte[] GetAddressBytes() => throw null;
        public static IPAddress Parse(string ipString) => throw null;
        public override bool Equals(object obj) => throw null;
        public override int GetHashCode() => throw null;
        public override string ToString() => throw null;
    }

    [Serializable]
    public abstract class EndPoint
    {
    }

    [Serializable]
    public class IPEndPoint : EndPoint
    {
        public const int MinPort = 0x00000000;
        public const int MaxPort = 0x0000FFFF;
        public IPEndPoint(long address, int port) => throw null;
        public IPEndPoint(IPAddress address, int port) => throw null;
        public IPAddress Address => throw null;
        public AddressFamily AddressFamily => throw null;
        public int Port => throw null;
        public override string ToString() => throw null;
        public override bool Equals(object obj) => throw null;
        public override int GetHashCode() => throw null;
    }

    public class IPHostEntry
    {
        public string HostName => throw null;
        public IPAddress[] AddressList => throw null;
    }

    public static class Dns
    {
        public static IPHostEntry GetHostEntry(string hostNameOrAddress) => throw null;
    }
}
