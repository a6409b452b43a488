using CotaFirmware.Platform;

namespace CotaFirmware.Network;

/// <summary>HTTP/1.1 (GET with Range, form POST) over a board's <see cref="IByteChannel"/>, in fixed buffers: the firmware's download and registration client.</summary>
/// <remarks>
/// One request per connection (<c>Connection: close</c>). The URL's path and query go out byte for byte as given (a
/// signed OSS query must). The response head must fit the head buffer; its status, <c>Content-Length</c>,
/// <c>Content-Range</c> and <c>Transfer-Encoding: chunked</c> are read from the bytes (past any interim 1xx head), and the body is read straight
/// into the caller's buffer: nothing is allocated per read. A head whose status is not three digits, with a folded line
/// or with two different <c>Content-Length</c>s, and a body whose chunk framing breaks, are <see cref="HttpStatus.Broken"/>
/// (every later read of that body fails too). The time limit holds while bytes keep coming, not only in silence: interim
/// heads or chunk framing that never end give <see cref="HttpStatus.Timeout"/> at it. The channel's TLS (root CA, host
/// name) is the board's.
/// Status codes of the channel map onto <see cref="HttpStatus"/>: a refused certificate is
/// <see cref="HttpStatus.TlsFailed"/>.
/// The files: this one runs a request over the channel; ChannelHttpClient.Request.cs writes the request head,
/// ChannelHttpClient.Head.cs reads and parses the response head, ChannelHttpClient.Body.cs reads the body.
/// </remarks>
public sealed partial class ChannelHttpClient : IHttpClient
{
    private readonly IByteChannel _channel;
    private readonly IClock _clock;
    private readonly int _maxUrlLength;
    private readonly byte[] _request;
    private readonly byte[] _head;
    private int _buffered;      // bytes of the head buffer that hold received data
    private int _position;      // the next of them to hand out as body
    private bool _open;

    /// <summary>
    /// A client over <paramref name="channel"/> whose request lines take URLs up to <paramref name="maxUrlLength"/>
    /// bytes and whose response heads fit <paramref name="headBufferSize"/> bytes (OSS answers with about 600).
    /// </summary>
    public ChannelHttpClient(IByteChannel channel, IClock clock, int maxUrlLength, int headBufferSize)
    {
        _channel = channel;
        _clock = clock;
        _maxUrlLength = maxUrlLength;
        _request = new byte[maxUrlLength + HeadRoom()];
        _head = new byte[headBufferSize];
    }

    /// <inheritdoc />
    public long ContentLength => _contentLength;

    /// <inheritdoc />
    public long ContentRangeStart => _contentRangeStart;

    /// <inheritdoc />
    public long ContentRangeTotal => _contentRangeTotal;

    /// <inheritdoc />
    public int Get(string url, long rangeStart, int timeoutMs) => Send(GetMethod, url, rangeStart, null, 0, 0, timeoutMs);

    /// <inheritdoc />
    public int PostForm(string url, byte[] body, int offset, int count, int timeoutMs) => Send(PostMethod, url, 0, body, offset, count, timeoutMs);

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
        _part = ChunkPart.Size;
        _cr = false;
        _chunkLeft = 0;
        _received = 0;
        ForgetHead();
    }

    private int Send(byte[] method, string url, long rangeStart, byte[] body, int offset, int count, int timeoutMs)
    {
        Close();
        long deadline = _clock.MonotonicMs + timeoutMs;
        int length = WriteRequest(method, url, rangeStart, body, count, out string host, out int port, out bool tls);
        if (length < 0)
        {
            return length;
        }

        ChannelStatus connected = _channel.Connect(host, port, tls, timeoutMs);
        if (connected != ChannelStatus.Ok)
        {
            _channel.Close();
            return Map(connected);
        }

        _open = true;
        int sent = WriteAll(_request, 0, length, deadline);
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

    // A failed channel read as an HttpStatus: out of memory says so (a TLS read allocates), anything else broke the exchange.
    private static int ReadFailure(int channelResult) =>
        channelResult == (int)ChannelStatus.OutOfMemory ? (int)HttpStatus.OutOfMemory : (int)HttpStatus.Broken;

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
