// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/System.Net.Http, nanoFramework.System.Net.Http/Http/System.Net.HttpWebRequest.cs @ 01ff6ebbc346950dcdd1ee3ad2050fba3993f9b1,
//         System.Net.WebRequest.cs, System.Net.WebResponse.cs and System.Net.HttpWebResponse.cs @ 27c00f60f5b24eb7da099856404296defad64f2d
//         (proxy, credentials and continue-delegate members are left out: the glue never sets them)
// Package: nanoFramework.System.Net.Http.Client 1.5.207 (assembly System.Net.Http; the full nanoFramework.System.Net.Http
// package ships the same assembly with the server added, under the same version).
// From the source: SslProtocols defaults to None and must be set for https; HttpsAuthentCert is the root CA;
// AddRange takes int only (files up to 2 GiB) and AddRange(from) asks for "bytes=from-".
using System;
using System.IO;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace System.Net
{
    public abstract class WebRequest : MarshalByRefObject, IDisposable
    {
        protected WebRequest() => throw null;
        public static void Initialize() => throw null;
        public void Dispose() => throw null;
        protected virtual void Dispose(bool disposing) => throw null;
        public virtual string Method { get => throw null; set => throw null; }
        public virtual Uri RequestUri => throw null;
        public virtual WebHeaderCollection Headers { get => throw null; set => throw null; }
        public virtual long ContentLength { get => throw null; set => throw null; }
        public virtual string ContentType { get => throw null; set => throw null; }
        public virtual int Timeout { get => throw null; set => throw null; }
        public virtual Stream GetRequestStream() => throw null;
        public virtual WebResponse GetResponse() => throw null;
        public static WebRequest Create(string requestUriString) => throw null;
        public static WebRequest Create(Uri requestUri) => throw null;
    }

    public class HttpWebRequest : WebRequest
    {
        internal HttpWebRequest() => throw null;
        protected override void Dispose(bool disposing) => throw null;
        public override int Timeout { get => throw null; set => throw null; }
        public X509Certificate HttpsAuthentCert { get => throw null; set => throw null; }
        public SslProtocols SslProtocols { get => throw null; set => throw null; }
        public int ReadWriteTimeout { get => throw null; set => throw null; }
        public override Uri RequestUri => throw null;
        public Uri Address => throw null;
        public bool AllowWriteStreamBuffering { get => throw null; set => throw null; }
        public override long ContentLength { get => throw null; set => throw null; }
        public bool AllowAutoRedirect => throw null;
        public override string Method { get => throw null; set => throw null; }
        public bool KeepAlive { get => throw null; set => throw null; }
        public int MaximumResponseHeadersLength { get => throw null; set => throw null; }
        public override WebHeaderCollection Headers { get => throw null; set => throw null; }
        public bool SendChunked { get => throw null; set => throw null; }
        public Version ProtocolVersion { get => throw null; set => throw null; }
        public override string ContentType { get => throw null; set => throw null; }
        public string Accept { get => throw null; set => throw null; }
        public string UserAgent { get => throw null; set => throw null; }
        public bool HaveResponse => throw null;
        public void Reset() => throw null;
        public void AddRange(int from, int to) => throw null;
        public void AddRange(int range) => throw null;
        public void AddRange(string rangeSpecifier, int range) => throw null;
        public void AddRange(string rangeSpecifier, int from, int to) => throw null;
        public override Stream GetRequestStream() => throw null;
        public override WebResponse GetResponse() => throw null;
    }

    public abstract class WebResponse : MarshalByRefObject, IDisposable
    {
        protected WebResponse() => throw null;
        public virtual long ContentLength { get => throw null; set => throw null; }
        public virtual string ContentType { get => throw null; set => throw null; }
        public virtual Stream GetResponseStream() => throw null;
        public virtual Uri ResponseUri => throw null;
        public virtual WebHeaderCollection Headers => throw null;
        public virtual void Close() => throw null;
        public void Dispose() => throw null;
        protected virtual void Dispose(bool disposing) => throw null;
    }

    public class HttpWebResponse : WebResponse
    {
        internal HttpWebResponse() => throw null;
        public override WebHeaderCollection Headers => throw null;
        public override long ContentLength => throw null;
        public string ContentEncoding => throw null;
        public override string ContentType => throw null;
        public HttpStatusCode StatusCode => throw null;
        public string StatusDescription => throw null;
        public Version ProtocolVersion => throw null;
        public override Stream GetResponseStream() => throw null;
        public string GetResponseHeader(string headerName) => throw null;
        public override Uri ResponseUri => throw null;
        public string Method => throw null;
        protected override void Dispose(bool disposing) => throw null;
        public override void Close() => throw null;
    }
}
