// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/System.Net.Http, nanoFramework.System.Net.Http/Http/System.Net.HttpStatusCode.cs and System.Net.WebException.cs
//         @ c6a059706c386ed74c469dc95869a3fb4f197c69, System.Net.WebStatus.cs @ c6a059706c386ed74c469dc95869a3fb4f197c69,
//         System.Net.WebHeaders.cs @ d3dbe7b35b0614f5209d941492ebb0b91ab4e878, System.Uri.cs @ 9013e7558c856a7f53de74db9a83e0f641e84c3a
//         (only the members the glue needs; status codes and statuses follow .NET's values, as those files do)
// Package: nanoFramework.System.Net.Http.Client 1.5.207.
using System;

namespace System.Net
{
    public enum HttpStatusCode
    {
        OK = 200,
        NoContent = 204,
        PartialContent = 206,
        MovedPermanently = 301,
        Found = 302,
        NotModified = 304,
        BadRequest = 400,
        Unauthorized = 401,
        Forbidden = 403,
        NotFound = 404,
        RequestedRangeNotSatisfiable = 416,
        InternalServerError = 500,
        ServiceUnavailable = 503,
    }

    public enum WebExceptionStatus
    {
        Success = 0,
        NameResolutionFailure = 1,
        ConnectFailure = 2,
        ReceiveFailure = 3,
        SendFailure = 4,
        PipelineFailure = 5,
        RequestCanceled = 6,
        ProtocolError = 7,
        ConnectionClosed = 8,
        TrustFailure = 9,
        SecureChannelFailure = 10,
        ServerProtocolViolation = 11,
        KeepAliveFailure = 12,
        Pending = 13,
        Timeout = 14,
    }

    public class WebException : InvalidOperationException
    {
        public WebException(string message) => throw null;
        public WebException(string message, WebExceptionStatus status) => throw null;
        public WebExceptionStatus Status => throw null;
        public WebResponse Response => throw null;
    }

    public class WebHeaderCollection
    {
        public WebHeaderCollection() => throw null;
        public void Add(string name, string value) => throw null;
        public void Remove(string name) => throw null;
        public string this[string name] { get => throw null; set => throw null; }
        public string[] AllKeys => throw null;
        public int Count => throw null;
    }
}

namespace System
{
    public class Uri
    {
        public Uri(string uriString) => throw null;
        public string AbsolutePath => throw null;
        public string AbsoluteUri => throw null;
        public string Host => throw null;
        public int Port => throw null;
        public string Scheme => throw null;
        public string OriginalString => throw null;
        public override string ToString() => throw null;
    }
}
