// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/System.Net, nanoFramework.System.Net/NetworkInformation/NetworkInterface.cs @ 1c1908d6bfbce24f268805e37f3c76d010b14113,
//         NetworkInterfaceType.cs @ a86584d2c88b6d206cb61ee1bce85a8f88784e6e, NetworkChange.cs @ 15202fc36975acd562d10e855602b33c77db3b3f
// Package: nanoFramework.System.Net 1.11.60.
using System;

namespace System.Net.NetworkInformation
{
    public class NetworkInterface
    {
        protected NetworkInterface(int interfaceIndex) => throw null;
        public static bool GetIsNetworkAvailable() => throw null;
        public static NetworkInterface[] GetAllNetworkInterfaces() => throw null;
        public void EnableStaticIPv4(string ipv4Address, string ipv4SubnetMask, string ipv4GatewayAddress) => throw null;
        public void EnableDhcp() => throw null;
        public void EnableStaticIPv4Dns(string[] dnsAddresses) => throw null;
        public bool IsAutomaticDnsEnabled => throw null;
        public string IPv4Address => throw null;
        public string IPv4GatewayAddress => throw null;
        public string IPv4SubnetMask => throw null;
        public bool IsDhcpEnabled => throw null;
        public string[] IPv4DnsAddresses => throw null;
        public void ReleaseDhcpLease() => throw null;
        public void RenewDhcpLease() => throw null;
        public byte[] PhysicalAddress { get => throw null; set => throw null; }
        public NetworkInterfaceType NetworkInterfaceType => throw null;
        public uint SpecificConfigId { get => throw null; set => throw null; }
    }

    public enum NetworkInterfaceType
    {
        Unknown = 1,
        Ethernet = 6,
        Wireless80211 = 71,
    }

    public class NetworkAvailabilityEventArgs : EventArgs
    {
        internal NetworkAvailabilityEventArgs() => throw null;
        public bool IsAvailable => throw null;
    }

    public delegate void NetworkAddressChangedEventHandler(object sender, EventArgs e);

    public delegate void NetworkAvailabilityChangedEventHandler(object sender, NetworkAvailabilityEventArgs e);

    public static class NetworkChange
    {
        public static event NetworkAddressChangedEventHandler NetworkAddressChanged { add => throw null; remove => throw null; }
        public static event NetworkAvailabilityChangedEventHandler NetworkAvailabilityChanged { add => throw null; remove => throw null; }
    }
}
