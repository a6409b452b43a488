using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Network;

/// <summary>HTTP/1.1 (GET with Range, form POST) over a board's <see cref="IByteChannel"/>, in fixed buffers: the firmware's download and registration client.</summary>
/// <remarks>
/// One request per connection (<c>Connection: close</c>). The URL's path and query go out byte for byte as given (a
/// signed OSS query must). The response head must fit the head buffer; its status, <c>Content-Length</c>,
/// <c>Content-Range</c> and <c>Transfer-Encoding: chunked</c> are read from the bytes, and the body is read straight
/// into the caller's buffer: nothing is allocated per read. The channel's TLS (root CA, host name) is the board's.
/// Status codes of the channel map onto <see cref="HttpStatus"/>: a refused certificate is
/// <see cref="HttpStatus.TlsFailed"/>.
/// </remarks>
public sealed class ChannelHttpClient : IHttpClient
{
    private const int DefaultHttpsPort = 443;
    private const int DefaultHttpPort = 80;
    private const int MaxHostLength = 253;

    private static readonly byte[] GetMethod = Utf8.GetBytes("GET ");
    private static readonly byte[] PostMethod = Utf8.GetBytes("POST ");
    private static readonly byte[] Version = Utf8.GetBytes(" HTTP/1.1\r\nHost: ");
    private static readonly byte[] RangeHeader = Utf8.GetBytes("\r\nRange: bytes=");
    private static readonly byte[] FormHeaders = Utf8.GetBytes("\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ");
    private static readonly byte[] HeadEnd = Utf8.GetBytes("\r\nConnection: close\r\nUser-Agent: CotaFirmware\r\n\r\n");
    private static readonly byte[] ContentLengthName = Utf8.GetBytes("content-length");
    private static readonly byte[] ContentRangeName = Utf8.GetBytes("content-range");
    private static readonly byte[] TransferEncodingName = Utf8.GetBytes("transfer-encoding");
    private static readonly byte[] Chunked = Utf8.GetBytes("chunked");
    private static readonly byte[] BytesUnit = Utf8.GetBytes("bytes");

    private readonly IByteChannel _channel;
    private readonly IClock _clock;
    private readonly byte[] _request;
    private readonly byte[] _head;
    private int _buffered;      // bytes of the head buffer that hold received data
    private int _position;      // the next of them to hand out as body
    private bool _open;
    private bool _chunked;
    private long _chunkLeft;    // chunked: body bytes left in the current chunk; -1 before the first size line
    private long _contentLength = -1;
    private long _contentRangeStart = -1;
    private long _received;

    /// <summary>
    /// A client over <paramref name="channel"/> whose request lines take URLs up to <paramref name="maxUrlLength"/>
    /// bytes and whose response heads fit <paramref name="headBufferSize"/> bytes (OSS answers with about 600).
    /// </summary>
    public ChannelHttpClient(IByteChannel channel, IClock clock, int maxUrlLength, int headBufferSize)
    {
        _channel = channel;
        _clock = clock;
        _request = new byte[maxUrlLength + 160];
        _head = new byte[headBufferSize];
    }

    /// <inheritdoc />
    public long ContentLength => _contentLength;

    /// <inheritdoc />
    public long ContentRangeStart => _contentRangeStart;

    /// <inheritdoc />
    public int Get(string url, long rangeStart, int timeoutMs) => Send(GetMethod, url, rangeStart, null, 0, 0, timeoutMs);

    /// <inheritdoc />
    public int PostForm(string url, byte[] body, int offset, int count, int timeoutMs) => Send(PostMethod, url, 0, body, offset, count, timeoutMs);

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (!_open || count <= 0 || (_contentLength >= 0 && _received >= _contentLength))
        {
            return 0;
        }

        long deadline = _clock.MonotonicMs + timeoutMs;
        if (_chunked)
        {
            if (_chunkLeft <= 0)
            {
                int size = NextChunkSize(deadline);
                if (size <= 0)
                {
                    return size;
                }
            }

            if (count > _chunkLeft)
            {
                count = (int)_chunkLeft;
            }
        }
        else if (_contentLength >= 0 && _contentLength - _received < count)
        {
            count = (int)(_contentLength - _received);
        }

        int n;
        if (_position < _buffered)
        {
            n = _buffered - _position < count ? _buffered - _position : count;
            System.Array.Copy(_head, _position, buffer, offset, n);
            _position += n;
        }
        else
        {
            n = _channel.Read(buffer, offset, count, Remaining(deadline));
            if (n == 0)
            {
                return (int)HttpStatus.Timeout;
            }

            if (n == (int)ChannelStatus.OutOfMemory)
            {
                return (int)HttpStatus.OutOfMemory;
            }

            if (n < 0)
            {
                // The server closed: the end of a body that has no length, a cut otherwise.
                return _contentLength < 0 && !_chunked ? 0 : (int)HttpStatus.Broken;
            }
        }

        _received += n;
        if (_chunked)
        {
            _chunkLeft -= n;
        }

        return n;
    }

    /// <inheritdoc />
    public void Close()
    {
        if (_open)
        {
            _channel.Close();
        }

        _open = false;
        _buffered = 0;
        _position = 0;
        _chunked = false;
        _chunkLeft = -1;
        _contentLength = -1;
        _contentRangeStart = -1;
        _received = 0;
    }

    private int Send(byte[] method, string url, long rangeStart, byte[] body, int offset, int count, int timeoutMs)
    {
        Close();
        long deadline = _clock.MonotonicMs + timeoutMs;

        // Read as chars once (indexing a string walks it on the device); a request's setup may allocate, its body may not.
        char[] u = url == null ? null : url.ToCharArray();
        bool tls = u != null && StartsWith(u, "https://");
        if (u == null || (!tls && !StartsWith(u, "http://")))
        {
            return (int)HttpStatus.BadUrl;
        }

        int hostStart = tls ? 8 : 7;
        int hostEnd = hostStart;
        while (hostEnd < u.Length && u[hostEnd] != ':' && u[hostEnd] != '/' && u[hostEnd] != '?')
        {
            hostEnd++;
        }

        int port = tls ? DefaultHttpsPort : DefaultHttpPort;
        int authorityEnd = hostEnd;
        if (authorityEnd < u.Length && u[authorityEnd] == ':')
        {
            port = 0;
            authorityEnd++;
            while (authorityEnd < u.Length && u[authorityEnd] >= '0' && u[authorityEnd] <= '9' && port <= 65535)
            {
                port = (port * 10) + (u[authorityEnd] - '0');
                authorityEnd++;
            }
        }

        if (hostEnd == hostStart || hostEnd - hostStart > MaxHostLength || port < 1 || port > 65535
            || (authorityEnd < u.Length && u[authorityEnd] != '/' && u[authorityEnd] != '?') || !Printable(u))
        {
            return (int)HttpStatus.BadUrl;
        }

        // "GET /path?query HTTP/1.1\r\nHost: host[:port]\r\n..." with the path and query as given.
        int w = Copy(method, _request, 0);
        if (authorityEnd == u.Length || u[authorityEnd] == '?')
        {
            _request[w++] = (byte)'/';
        }

        if (w + (u.Length - authorityEnd) + Version.Length + (authorityEnd - hostStart) + RangeHeader.Length + FormHeaders.Length + 40
            + HeadEnd.Length > _request.Length)
        {
            return (int)HttpStatus.BadUrl;
        }

        w = CopyAscii(u, authorityEnd, u.Length, _request, w);
        w = Copy(Version, _request, w);
        w = CopyAscii(u, hostStart, authorityEnd, _request, w);
        if (rangeStart > 0)
        {
            w = Copy(RangeHeader, _request, w);
            w = WriteNumber(rangeStart, _request, w);
            _request[w++] = (byte)'-';
        }

        if (body != null)
        {
            w = Copy(FormHeaders, _request, w);
            w = WriteNumber(count, _request, w);
        }

        w = Copy(HeadEnd, _request, w);

        ChannelStatus connected = _channel.Connect(new string(u, hostStart, hostEnd - hostStart), port, tls, timeoutMs);
        if (connected != ChannelStatus.Ok)
        {
            _channel.Close();
            return Map(connected);
        }

        _open = true;
        int sent = WriteAll(_request, 0, w, deadline);
        if (sent == 0 && body != null)
        {
            sent = WriteAll(body, offset, count, deadline);
        }

        int status = sent != 0 ? sent : ReadHead(deadline);
        if (status < 0)
        {
            Close();
        }

        return status;
    }

    // Reads until the blank line that ends the head, then parses it; what follows it stays buffered as body.
    private int ReadHead(long deadline)
    {
        int searched = 0;
        while (true)
        {
            for (int i = searched > 3 ? searched - 3 : 0; i + 3 < _buffered; i++)
            {
                if (_head[i] == '\r' && _head[i + 1] == '\n' && _head[i + 2] == '\r' && _head[i + 3] == '\n')
                {
                    _position = i + 4;
                    return ParseHead(i + 2);
                }
            }

            searched = _buffered;
            if (_buffered == _head.Length)
            {
                // A head larger than the buffer: not a server this device talks to.
                return (int)HttpStatus.Broken;
            }

            int n = _channel.Read(_head, _buffered, _head.Length - _buffered, Remaining(deadline));
            if (n == 0 && _clock.MonotonicMs - deadline >= 0)
            {
                return (int)HttpStatus.Timeout;
            }

            if (n < 0)
            {
                return (int)HttpStatus.Broken;
            }

            _buffered += n;
        }
    }

    // The status line and the headers this client reads, in _head[0, end).
    private int ParseHead(int end)
    {
        // "HTTP/1.x NNN ..."
        if (end < 12 || !StartsWith(_head, 0, end, "HTTP/1.") || _head[8] != ' ')
        {
            return (int)HttpStatus.Broken;
        }

        int status = 0;
        for (int i = 9; i < 12; i++)
        {
            if (_head[i] < '0' || _head[i] > '9')
            {
                return (int)HttpStatus.Broken;
            }

            status = (status * 10) + (_head[i] - '0');
        }

        int line = Next(0, end);
        while (line < end)
        {
            int lineEnd = Next(line, end) - 2;
            int colon = line;
            while (colon < lineEnd && _head[colon] != ':')
            {
                colon++;
            }

            int value = colon + 1;
            while (value < lineEnd && (_head[value] == ' ' || _head[value] == '\t'))
            {
                value++;
            }

            if (NameIs(line, colon, ContentLengthName))
            {
                _contentLength = ReadNumber(value, lineEnd);
                if (_contentLength < 0)
                {
                    return (int)HttpStatus.Broken;
                }
            }
            else if (NameIs(line, colon, ContentRangeName))
            {
                // "bytes first-last/length"
                _contentRangeStart = value + 6 <= lineEnd && NameIs(value, value + 5, BytesUnit) && _head[value + 5] == ' '
                    ? ReadNumber(value + 6, Dash(value + 6, lineEnd)) : -1;
            }
            else if (NameIs(line, colon, TransferEncodingName))
            {
                _chunked = NameIs(value, lineEnd, Chunked);
            }

            line = lineEnd + 2;
        }

        if (_chunked)
        {
            // A chunked body's length is its chunks'.
            _contentLength = -1;
        }

        return status;
    }

    // Reads a chunk-size line ("1f4;ext\r\n"); the size of the next chunk, 0 at the last chunk, or a failure.
    private int NextChunkSize(long deadline)
    {
        if (_chunkLeft == 0)
        {
            // The CRLF after the chunk just read.
            int crlf = NextByte(deadline);
            if (crlf == '\r')
            {
                crlf = NextByte(deadline);
            }

            if (crlf != '\n')
            {
                return crlf < 0 ? crlf : (int)HttpStatus.Broken;
            }
        }

        long size = 0;
        int digits = 0;
        bool inExtension = false;
        while (true)
        {
            int b = NextByte(deadline);
            if (b < 0)
            {
                return b;
            }

            if (b == '\n')
            {
                break;
            }

            int v = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
            if (inExtension || b == '\r')
            {
                continue;
            }

            if (b == ';')
            {
                inExtension = true;
                continue;
            }

            if (v < 0 || ++digits > 7)
            {
                return (int)HttpStatus.Broken;
            }

            size = (size * 16) + v;
        }

        if (digits == 0)
        {
            return (int)HttpStatus.Broken;
        }

        // The last chunk: the body ends (trailers are not read; the connection closes).
        _chunkLeft = size;
        if (size == 0)
        {
            _contentLength = _received;
        }

        return (int)size;
    }

    // One body byte from the buffer, refilled from the channel; a negative HttpStatus when none comes.
    private int NextByte(long deadline)
    {
        if (_position == _buffered)
        {
            int n = _channel.Read(_head, 0, _head.Length, Remaining(deadline));
            if (n == 0)
            {
                return (int)HttpStatus.Timeout;
            }

            if (n < 0)
            {
                return (int)HttpStatus.Broken;
            }

            _position = 0;
            _buffered = n;
        }

        return _head[_position++];
    }

    private int WriteAll(byte[] buffer, int offset, int count, long deadline)
    {
        while (count > 0)
        {
            int n = _channel.Write(buffer, offset, count);
            if (n < 0)
            {
                return (int)HttpStatus.Broken;
            }

            if (n == 0 && _clock.MonotonicMs - deadline >= 0)
            {
                return (int)HttpStatus.Timeout;
            }

            offset += n;
            count -= n;
        }

        return 0;
    }

    private int Remaining(long deadline)
    {
        long left = deadline - _clock.MonotonicMs;
        return left < 0 ? 0 : (int)left;
    }

    private int Next(int from, int end)
    {
        while (from + 1 < end && !(_head[from] == '\r' && _head[from + 1] == '\n'))
        {
            from++;
        }

        return from + 2;
    }

    private int Dash(int from, int end)
    {
        while (from < end && _head[from] != '-')
        {
            from++;
        }

        return from;
    }

    // Case-insensitive comparison of _head[from, to) with a lower-case ASCII name.
    private bool NameIs(int from, int to, byte[] name)
    {
        if (to - from != name.Length)
        {
            return false;
        }

        for (int i = 0; i < name.Length; i++)
        {
            int c = _head[from + i];
            if (c >= 'A' && c <= 'Z')
            {
                c += 32;
            }

            if (c != name[i])
            {
                return false;
            }
        }

        return true;
    }

    // The decimal number in _head[from, to) (spaces after it allowed), or -1.
    private long ReadNumber(int from, int to)
    {
        long value = 0;
        int digits = 0;
        while (from < to && _head[from] >= '0' && _head[from] <= '9' && digits < 18)
        {
            value = (value * 10) + (_head[from] - '0');
            digits++;
            from++;
        }

        while (from < to && _head[from] == ' ')
        {
            from++;
        }

        return digits == 0 || from != to ? -1 : value;
    }

    private static bool StartsWith(byte[] buffer, int offset, int count, string prefix)
    {
        char[] p = prefix.ToCharArray();
        if (count < p.Length)
        {
            return false;
        }

        for (int i = 0; i < p.Length; i++)
        {
            if (buffer[offset + i] != p[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool StartsWith(char[] text, string prefix)
    {
        char[] p = prefix.ToCharArray();
        if (text.Length < p.Length)
        {
            return false;
        }

        for (int i = 0; i < p.Length; i++)
        {
            if (text[i] != p[i])
            {
                return false;
            }
        }

        return true;
    }

    // A request line carries printable ASCII only (the URL's own escapes stay as they are).
    private static bool Printable(char[] text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] <= ' ' || text[i] > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static int CopyAscii(char[] source, int from, int to, byte[] target, int at)
    {
        for (int i = from; i < to; i++)
        {
            target[at++] = (byte)source[i];
        }

        return at;
    }

    private static int Copy(byte[] source, byte[] target, int at)
    {
        System.Array.Copy(source, 0, target, at, source.Length);
        return at + source.Length;
    }

    private static int WriteNumber(long value, byte[] target, int at)
    {
        long scale = 1;
        while (value / scale >= 10)
        {
            scale *= 10;
        }

        for (; scale > 0; scale /= 10)
        {
            target[at++] = (byte)('0' + ((value / scale) % 10));
        }

        return at;
    }

    private static int Map(ChannelStatus status)
    {
        switch (status)
        {
            case ChannelStatus.TlsFailed: return (int)HttpStatus.TlsFailed;
            case ChannelStatus.OutOfMemory: return (int)HttpStatus.OutOfMemory;
            case ChannelStatus.Timeout: return (int)HttpStatus.Timeout;
            case ChannelStatus.Refused:
            case ChannelStatus.Unreachable: return (int)HttpStatus.Unreachable;
            default: return (int)HttpStatus.Broken;
        }
    }
}
