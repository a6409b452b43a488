// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/System.Net, nanoFramework.System.Net/X509Certificates/X509Certificate.cs @ 215b2f786526ce5eabb04b0e115e9fec862bf712
// Package: nanoFramework.System.Net 1.11.60.
using System;

namespace System.Security.Cryptography.X509Certificates
{
    public class X509Certificate
    {
        public X509Certificate() => throw null;
        public X509Certificate(byte[] certificate) => throw null;
        public X509Certificate(string certificate) => throw null;
        public virtual string Issuer => throw null;
        public virtual string Subject => throw null;
        public virtual DateTime GetEffectiveDate() => throw null;
        public virtual DateTime GetExpirationDate() => throw null;
        public virtual byte[] GetRawCertData() => throw null;
    }
}
