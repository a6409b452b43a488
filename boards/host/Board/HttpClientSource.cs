using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using CotaFirmware.Platform;

namespace CotaFirmware.Host.Board;

/// <summary>
/// The host board's <see cref="IHttpClient"/> on .NET's <see cref="HttpClient"/>: ranged GETs streamed from the
/// response headers on (the body is never buffered whole), a form POST, per-call timeouts, and optional trust in
/// one given root CA instead of the system store. Failures come back as <see cref="HttpStatus"/> codes.
/// </summary>
/// <remarks>
/// Redirects are not followed (a redirect could downgrade HTTPS) and responses are not decompressed, so
/// Content-Length is the byte count the caller will read. URLs are sent byte-exact (no escape is rewritten); a URL
/// with a space, a control character or a non-ASCII character is refused as <see cref="HttpStatus.BadUrl"/>. Like the
/// device's client it takes <c>http://</c> and <c>https://</c>: whether plain HTTP may be used is the core's to say
/// (<c>DownloadSettings.AllowPlainHttp</c>, <c>LinkkitSettings.AllowPlainTransport</c>).
/// </remarks>
public sealed class HttpClientSource : IHttpClient, IDisposable
{
    private readonly HttpClient _client;
    private readonly X509Certificate2? _rootCa;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private Task<int>? _pendingRead;
    private byte[] _pendingBuffer = Array.Empty<byte>();
    private int _leftOffset;
    private int _leftCount;

    /// <summary>Creates a client.</summary>
    /// <param name="rootCa">The only root CA trusted for HTTPS (the host name must match too); null trusts the system store.</param>
    /// <param name="connectTimeoutMs">How long a TCP/TLS connection may take to open.</param>
    public HttpClientSource(X509Certificate2? rootCa = null, int connectTimeoutMs = 10000)
    {
        _rootCa = rootCa;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromMilliseconds(connectTimeoutMs),
            UseCookies = false,
            UseProxy = false,
        };
        if (rootCa != null)
        {
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = ValidateAgainstRootCa };
        }

        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <inheritdoc/>
    public long ContentLength { get; private set; } = -1;

    /// <inheritdoc/>
    public long ContentRangeStart { get; private set; } = -1;

    /// <inheritdoc/>
    public long ContentRangeTotal { get; private set; } = -1;

    /// <inheritdoc/>
    public int Get(string url, long rangeStart, int timeoutMs)
    {
        var request = NewRequest(HttpMethod.Get, url);
        if (request == null)
        {
            return (int)HttpStatus.BadUrl;
        }

        if (rangeStart > 0)
        {
            request.Headers.Range = new RangeHeaderValue(rangeStart, null);
        }

        return Send(request, timeoutMs);
    }

    /// <inheritdoc/>
    public int PostForm(string url, byte[] body, int offset, int count, int timeoutMs)
    {
        var request = NewRequest(HttpMethod.Post, url);
        if (request == null)
        {
            return (int)HttpStatus.BadUrl;
        }

        request.Content = new ByteArrayContent(body, offset, count);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return Send(request, timeoutMs);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A read that outlasts <paramref name="timeoutMs"/> keeps running: the call returns <see cref="HttpStatus.Timeout"/>
    /// and the next one waits on the same read, so a caller can read in short slices without losing the exchange.
    /// </remarks>
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (_body == null)
        {
            return (int)HttpStatus.Broken;
        }

        if (_leftCount > 0)
        {
            return TakeLeft(buffer, offset, count);
        }

        try
        {
            if (_pendingRead == null)
            {
                if (_pendingBuffer.Length < count)
                {
                    _pendingBuffer = new byte[count];
                }

                _pendingRead = _body.ReadAsync(_pendingBuffer, 0, count);
            }

            if (!_pendingRead.Wait(timeoutMs))
            {
                return (int)HttpStatus.Timeout;
            }

            _leftCount = _pendingRead.GetAwaiter().GetResult();
            _leftOffset = 0;
            _pendingRead = null;
            return _leftCount == 0 ? 0 : TakeLeft(buffer, offset, count);
        }
        catch (Exception e) when (e is AggregateException || e is IOException || e is HttpRequestException
            || e is InvalidOperationException || e is OperationCanceledException)
        {
            Close();
            return (int)HttpStatus.Broken;
        }
    }

    // Bytes a read that outlasted its caller brought in, handed out in the caller's chunks.
    private int TakeLeft(byte[] buffer, int offset, int count)
    {
        int n = Math.Min(_leftCount, count);
        Array.Copy(_pendingBuffer, _leftOffset, buffer, offset, n);
        _leftOffset += n;
        _leftCount -= n;
        return n;
    }

    /// <inheritdoc/>
    public void Close()
    {
        _pendingRead = null;
        _leftCount = 0;
        _body?.Dispose();
        _body = null;
        _response?.Dispose();
        _response = null;
        ContentLength = -1;
        ContentRangeStart = -1;
        ContentRangeTotal = -1;
    }

    /// <summary>Closes any exchange and releases the connection pool.</summary>
    public void Dispose()
    {
        Close();
        _client.Dispose();
    }

    private HttpRequestMessage? NewRequest(HttpMethod method, string url)
    {
        Close();
        if (!Uri.TryCreate(url, ExactPathAndQuery, out var uri) || !uri.IsAbsoluteUri || !FitsARequestLine(url))
        {
            return null;
        }

        bool allowed = uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp;
        return allowed ? new HttpRequestMessage(method, uri) : null;
    }

    // The request-target goes out byte for byte as the cloud wrote it: System.Uri would otherwise rewrite escapes
    // (%41 to A, %7e to ~, %zz and a lone % to %25..), and a signature over the exact query would no longer match.
    // SocketsHttpHandler sends such a Uri's path and query as given.
    private static readonly UriCreationOptions ExactPathAndQuery = new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true };

    // Sent as given, these bytes would break the request line: refuse the URL instead.
    private static bool FitsARequestLine(string url)
    {
        foreach (char c in url)
        {
            if (c <= ' ' || c >= 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    private int Send(HttpRequestMessage request, int timeoutMs)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        try
        {
            _response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            _body = _response.Content.ReadAsStream(timeout.Token);
            ContentLength = _response.Content.Headers.ContentLength ?? -1;
            ContentRangeStart = _response.Content.Headers.ContentRange?.From ?? -1;
            ContentRangeTotal = _response.Content.Headers.ContentRange?.Length ?? -1;
            return (int)_response.StatusCode;
        }
        catch (OperationCanceledException)
        {
            Close();
            return (int)HttpStatus.Timeout;
        }
        catch (HttpRequestException e)
        {
            Close();
            return Classify(e);
        }
        catch (Exception e) when (e is IOException || e is InvalidOperationException || e is NotSupportedException)
        {
            // The seam never throws: anything else that breaks the exchange is a broken connection.
            Close();
            return (int)HttpStatus.Broken;
        }
        finally
        {
            request.Dispose();
        }
    }

    private static int Classify(HttpRequestException e)
    {
        for (Exception? inner = e; inner != null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
            {
                return (int)HttpStatus.TlsFailed;
            }

            if (inner is TimeoutException)
            {
                return (int)HttpStatus.Timeout;
            }
        }

        switch (e.HttpRequestError)
        {
            case HttpRequestError.NameResolutionError:
            case HttpRequestError.ConnectionError:
                return (int)HttpStatus.Unreachable;
            case HttpRequestError.SecureConnectionError:
                return (int)HttpStatus.TlsFailed;
            default:
                return (int)HttpStatus.Broken;
        }
    }

    private bool ValidateAgainstRootCa(object sender, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        // Only chain trust is re-decided here; a missing certificate or a host name mismatch still fails.
        if (certificate == null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_rootCa!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented != null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
