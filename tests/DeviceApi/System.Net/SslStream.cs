// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/System.Net, nanoFramework.System.Net/Security/SslStream.cs @ 0c22f64d5cfb327daa74a1141ab518cdafe09c92
//         and nanoFramework.System.Net/Security/NetworkSecurity.cs @ 2aea028002d81059eff53031c8d6b001218c71fe
// Package: nanoFramework.System.Net 1.11.60.
using System;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace System.Net.Security
{
    public class SslStream : NetworkStream
    {
        public SslStream(Socket socket) : base(socket, false) => throw null;
        public SslVerification SslVerification { get => throw null; set => throw null; }
        public bool UseStoredDeviceCertificate { get => throw null; set => throw null; }
        public void AuthenticateAsClient(string targetHost, SslProtocols enabledSslProtocols) => throw null;
        public void AuthenticateAsClient(string targetHost, X509Certificate clientCertificate, SslProtocols enabledSslProtocols) => throw null;
        public void AuthenticateAsClient(string targetHost, X509Certificate clientCertificate, X509Certificate ca, SslProtocols enabledSslProtocols) => throw null;
        public override int Read(byte[] buffer, int offset, int count) => throw null;
        public override void Write(byte[] buffer, int offset, int count) => throw null;
        protected override void Dispose(bool disposing) => throw null;
    }

    [Flags]
    public enum SslProtocols
    {
        None = 0x00,
        Tls = 0x10,
        Tls11 = 0x20,
        Tls12 = 0x40,
    }

    public enum SslVerification
    {
        NoVerification = 1,
        VerifyPeer = 2,
        CertificateRequired = 4,
        VerifyClientOnce = 8,
    }
}
