// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/System.Net, nanoFramework.System.Net/Sockets/Socket.cs @ 165240f8d65e3e85b72bc35d5427ec9e788820d6
//         (enum members: Sockets/AddressFamily.cs, SocketType.cs, ProtocolType.cs, SocketFlags.cs, SelectMode.cs,
//         SocketOptionLevel.cs, SocketOptionName.cs, SocketErrors.cs and SocketException.cs @ a86584d2c88b6d206cb61ee1bce85a8f88784e6e;
//         only the members the glue needs, with the values those files give, which follow .NET's)
// Package: nanoFramework.System.Net 1.11.60 (assembly System.Net, per nanoFramework.System.Net/System.Net.nfproj).
using System;

namespace System.Net.Sockets
{
    public class Socket : IDisposable
    {
        public Socket(AddressFamily addressFamily, SocketType socketType, ProtocolType protocolType) => throw null;
        public int Available => throw null;
        public EndPoint LocalEndPoint => throw null;
        public EndPoint RemoteEndPoint => throw null;
        public int ReceiveTimeout { get => throw null; set => throw null; }
        public int SendTimeout { get => throw null; set => throw null; }
        public SocketType SocketType => throw null;
        public void Bind(EndPoint localEP) => throw null;
        public void Connect(EndPoint remoteEP) => throw null;
        public void Close() => throw null;
        public void Listen(int backlog) => throw null;
        public Socket Accept() => throw null;
        public int Send(byte[] buffer) => throw null;
        public int Send(byte[] buffer, SocketFlags socketFlags) => throw null;
        public int Send(byte[] buffer, int size, SocketFlags socketFlags) => throw null;
        public int Send(byte[] buffer, int offset, int size, SocketFlags socketFlags) => throw null;
        public int Receive(byte[] buffer) => throw null;
        public int Receive(byte[] buffer, SocketFlags socketFlags) => throw null;
        public int Receive(byte[] buffer, int size, SocketFlags socketFlags) => throw null;
        public int Receive(byte[] buffer, int offset, int size, SocketFlags socketFlags) => throw null;
        public void SetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, int optionValue) => throw null;
        public void SetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, bool optionValue) => throw null;
        public void SetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, byte[] optionValue) => throw null;
        public object GetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName) => throw null;
        public void GetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, byte[] val) => throw null;
        public bool Poll(int microSeconds, SelectMode mode) => throw null;
        protected virtual void Dispose(bool disposing) => throw null;
        void IDisposable.Dispose() => throw null;
    }

    public enum AddressFamily
    {
        Unknown = -1,
        Unspecified = 0,
        InterNetwork = 2,
        InterNetworkV6 = 23,
    }

    public enum SocketType
    {
        Unknown = -1,
        Stream = 1,
        Dgram = 2,
        Raw = 3,
        Rdm = 4,
        Seqpacket = 5,
    }

    public enum ProtocolType
    {
        Unknown = -1,
        IP = 0,
        Icmp = 1,
        Tcp = 6,
        Udp = 17,
    }

    [Flags]
    public enum SocketFlags
    {
        None = 0x0000,
        OutOfBand = 0x0001,
        Peek = 0x0002,
        DontRoute = 0x0004,
    }

    public enum SelectMode
    {
        SelectRead = 0,
        SelectWrite = 1,
        SelectError = 2,
    }

    public enum SocketOptionLevel
    {
        Socket = 0xffff,
        IP = ProtocolType.IP,
        Tcp = ProtocolType.Tcp,
        Udp = ProtocolType.Udp,
    }

    public enum SocketOptionName
    {
        ReuseAddress = 0x0004,
        KeepAlive = 0x0008,
        Broadcast = 0x0020,
        Linger = 0x0080,
        DontLinger = ~Linger,
        SendTimeout = 0x1005,
        ReceiveTimeout = 0x1006,
        Error = 0x1007,
        Type = 0x1008,
        NoDelay = 1,
    }

    public enum SocketError
    {
        SocketError = -1,
        Success = 0,
        ConnectionReset = 10054,
        NotConnected = 10057,
        TimedOut = 10060,
        ConnectionRefused = 10061,
        HostUnreachable = 10065,
        HostNotFound = 11001,
    }

    [Serializable]
    public class SocketException : Exception
    {
        public SocketException(SocketError errorCode) => throw null;
        public int ErrorCode => throw null;
        public SocketError SocketErrorCode => throw null;
    }
}
