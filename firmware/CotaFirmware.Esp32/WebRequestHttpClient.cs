using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>
/// HTTP(S) as an <see cref="IHttpClient"/> over nanoFramework's HttpWebRequest: the one client there that sends a
/// Range header (HttpClient refuses it) and streams the body.
/// </summary>
/// <remarks>
/// HTTPS verifies the server against the board's root CA only, with TLS 1.2 (SslProtocols and SslVerification must
/// both be set: their defaults are None and "verify nothing"). A failed verification is <see cref="HttpStatus.TlsFailed"/>.
/// <see cref="Read"/> is one read bounded by the body stream's ReadTimeout, so a short <c>timeoutMs</c> bounds the
/// call and a timeout leaves the exchange open. Running out of memory (HttpWebRequest and TLS allocate per request) is
/// <see cref="HttpStatus.OutOfMemory"/>, not a network failure.
/// </remarks>
public sealed class WebRequestHttpClient : IHttpClient
{
    private readonly X509Certificate _rootCa;
    private HttpWebRequest _request;
    private HttpWebResponse _response;
    private Stream _body;
    private long _contentLength = -1;
    private long _contentRangeStart = -1;
    private long _received;
    private int _readTimeoutMs;

    /// <summary>Creates a client whose HTTPS requests trust only <paramref name="rootCa"/>.</summary>
    public WebRequestHttpClient(X509Certificate rootCa)
    {
        _rootCa = rootCa;
    }

    /// <inheritdoc />
    public long ContentLength => _contentLength;

    /// <inheritdoc />
    public long ContentRangeStart => _contentRangeStart;

    /// <inheritdoc />
    public int Get(string url, long rangeStart, int timeoutMs)
    {
        if (rangeStart > int.MaxValue)
        {
            // AddRange takes int only.
            return (int)HttpStatus.BadUrl;
        }

        HttpWebRequest request = Create(url, "GET", timeoutMs);
        if (request == null)
        {
            return (int)HttpStatus.BadUrl;
        }

        if (rangeStart > 0)
        {
            request.AddRange((int)rangeStart);
        }

        return Send(request, null, 0, 0);
    }

    /// <inheritdoc />
    public int PostForm(string url, byte[] body, int offset, int count, int timeoutMs)
    {
        HttpWebRequest request = Create(url, "POST", timeoutMs);
        if (request == null)
        {
            return (int)HttpStatus.BadUrl;
        }

        request.ContentType = "application/x-www-form-urlencoded";
        request.ContentLength = count;
        return Send(request, body, offset, count);
    }

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (_body == null || count == 0 || (_contentLength >= 0 && _received >= _contentLength))
        {
            return 0;
        }

        if (_contentLength >= 0 && _contentLength - _received < count)
        {
            count = (int)(_contentLength - _received);
        }

        try
        {
            // A read bounded by the stream's timeout, not a wait on its Length: over TLS that counts only what Mbed TLS
            // has already decrypted, so it stays 0 while the socket holds a whole record.
            int timeout = timeoutMs < 1 ? 1 : timeoutMs;
            if (timeout != _readTimeoutMs)
            {
                _body.ReadTimeout = timeout;
                _readTimeoutMs = timeout;
            }

            int n = _body.Read(buffer, offset, count);
            if (n > 0)
            {
                _received += n;
                return n;
            }

            // The server closed: the end of a body without Content-Length, a truncated one otherwise.
            return _contentLength < 0 ? 0 : (int)HttpStatus.Broken;
        }
        catch (SocketException e)
        {
            return (SocketError)e.ErrorCode == SocketError.TimedOut ? (int)HttpStatus.Timeout : (int)HttpStatus.Broken;
        }
        catch (Exception e)
        {
            return RanOutOfMemory(e) ? (int)HttpStatus.OutOfMemory : (int)HttpStatus.Broken;
        }
    }

    /// <inheritdoc />
    public void Close()
    {
        Stream body = _body;
        HttpWebResponse response = _response;
        HttpWebRequest request = _request;
        _body = null;
        _response = null;
        _request = null;
        _contentLength = -1;
        _contentRangeStart = -1;
        _received = 0;
        _readTimeoutMs = 0;
        try
        {
            if (body != null)
            {
                body.Close();
            }

            if (response != null)
            {
                response.Close();
            }

            if (request != null)
            {
                request.Dispose();
            }
        }
        catch (Exception)
        {
            // A broken connection may throw while closing; it is gone either way.
        }
    }

    /// <summary>
    /// Starts a request for <paramref name="url"/> exactly as given: HttpWebRequest writes the URL's path and query
    /// unchanged (no unescaping or re-escaping), which a signed OSS query needs.
    /// </summary>
    internal HttpWebRequest Create(string url, string method, int timeoutMs)
    {
        Close();
        bool https = url != null && url.StartsWith("https://");
        if (url == null || (!https && !url.StartsWith("http://")))
        {
            return null;
        }

        try
        {
            HttpWebRequest request = (HttpWebRequest)WebRequest.Create(url);
            request.Method = method;
            request.Timeout = timeoutMs;
            request.ReadWriteTimeout = timeoutMs;
            request.KeepAlive = false;
            if (https)
            {
                request.HttpsAuthentCert = _rootCa;
                request.SslProtocols = SslProtocols.Tls12;

                // HttpWebRequest's default verifies nothing.
                request.SslVerification = SslVerification.CertificateRequired;
            }

            _request = request;
            return request;
        }
        catch (Exception)
        {
            return null;
        }
    }

    private int Send(HttpWebRequest request, byte[] body, int offset, int count)
    {
        try
        {
            if (body != null)
            {
                // Not disposed: the request stream shares the connection the response is read from, and closing it
                // makes GetResponse throw ObjectDisposedException (seen on nanoCLR).
                Stream output = request.GetRequestStream();
                output.Write(body, offset, count);
                output.Flush();
            }

            return Accept((HttpWebResponse)request.GetResponse());
        }
        catch (WebException e)
        {
            if (e.Response != null)
            {
                return Accept((HttpWebResponse)e.Response);
            }

            Close();
            SocketException inner = e.InnerException as SocketException;
            return inner != null && TlsSocketChannel.IsVerifyFailure(inner) ? (int)HttpStatus.TlsFailed
                : RanOutOfMemory(e) ? (int)HttpStatus.OutOfMemory : Map(e.Status);
        }
        catch (SocketException e)
        {
            Close();
            return TlsSocketChannel.IsVerifyFailure(e) ? (int)HttpStatus.TlsFailed
                : (SocketError)e.ErrorCode == SocketError.TimedOut ? (int)HttpStatus.Timeout : (int)HttpStatus.Unreachable;
        }
        catch (Exception e)
        {
            Close();
            return RanOutOfMemory(e) ? (int)HttpStatus.OutOfMemory : (int)HttpStatus.Broken;
        }
    }

    // HttpWebRequest wraps what it catches (an OutOfMemoryException too) in a WebException.
    private static bool RanOutOfMemory(Exception e)
    {
        for (; e != null; e = e.InnerException)
        {
            if (e is OutOfMemoryException)
            {
                return true;
            }
        }

        return false;
    }

    private int Accept(HttpWebResponse response)
    {
        _response = response;
        _contentLength = response.ContentLength;
        _contentRangeStart = ContentRange.StartOf(response.Headers["Content-Range"]);
        _received = 0;
        _body = response.GetResponseStream();
        return (int)response.StatusCode;
    }

    /// <summary>Maps a WebException's status onto an <see cref="HttpStatus"/> code.</summary>
    public static int Map(WebExceptionStatus status)
    {
        switch (status)
        {
            case WebExceptionStatus.NameResolutionFailure:
            case WebExceptionStatus.ConnectFailure: return (int)HttpStatus.Unreachable;
            case WebExceptionStatus.Timeout: return (int)HttpStatus.Timeout;
            case WebExceptionStatus.TrustFailure:
            case WebExceptionStatus.SecureChannelFailure: return (int)HttpStatus.TlsFailed;
            default: return (int)HttpStatus.Broken;
        }
    }
}
