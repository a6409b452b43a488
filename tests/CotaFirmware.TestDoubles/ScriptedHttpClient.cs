using System.Collections;
using CotaFirmware.Platform;
using CotaFirmware.Tests.Linkkit;

namespace CotaFirmware.Tests.Platform;

/// <summary>
/// The tests' <see cref="IHttpClient"/>: a server holding one resource that it serves with Range support to a GET and
/// answers a POST with, each request answered as the next <see cref="ScriptedResponse"/> says (then as
/// <see cref="Otherwise"/> says once the script is used up); it records what was asked.
/// </summary>
public sealed class ScriptedHttpClient : IHttpClient
{
    private readonly ArrayList _script = new ArrayList();
    private readonly long[] _offsets = new long[256];
    private byte[] _body;
    private int _position;
    private int _end;
    private int _failAt;
    private int _failCode;
    private long _contentLength = -1;
    private long _rangeStart = -1;
    private long _rangeTotal = -1;
    private int _pieceBytes;
    private int _silenceMs;
    private int _pieceEnd;
    private long _nextPieceAt;

    /// <summary>Serves <paramref name="file"/>.</summary>
    public ScriptedHttpClient(byte[] file)
    {
        File = file;
    }

    /// <summary>The resource served.</summary>
    public byte[] File;

    /// <summary>The answer to every request past the script; by default a correct server's.</summary>
    public ScriptedResponse Otherwise = new ScriptedResponse();

    /// <summary>The time a read waits on while a body comes in pieces (<see cref="ScriptedResponse.PieceBytes"/>); may be null otherwise.</summary>
    public ManualClock Clock;

    /// <summary>The most bytes one Read returns.</summary>
    public int ReadChunk = 1 << 20;

    /// <summary>Requests received (GET and POST).</summary>
    public int RequestCount;

    /// <summary>Exchanges closed.</summary>
    public int CloseCount;

    /// <summary>True between a request that got a response and <see cref="Close"/>.</summary>
    public bool IsOpen;

    /// <summary>The URL of the last request.</summary>
    public string LastUrl;

    /// <summary>The body of the last POST, as text.</summary>
    public string LastBody;

    /// <summary>The timeout the last Read was given.</summary>
    public int LastReadTimeoutMs;

    /// <summary>Appends an answer for the next unscripted request.</summary>
    public ScriptedHttpClient Then(ScriptedResponse response)
    {
        _script.Add(response);
        return this;
    }

    /// <summary>The Range start of request <paramref name="index"/> (0 when none was sent).</summary>
    public long OffsetOf(int index)
    {
        return _offsets[index];
    }

    /// <inheritdoc/>
    public long ContentLength
    {
        get { return _contentLength; }
    }

    /// <inheritdoc/>
    public long ContentRangeStart
    {
        get { return _rangeStart; }
    }

    /// <inheritdoc/>
    public long ContentRangeTotal
    {
        get { return _rangeTotal; }
    }

    /// <inheritdoc/>
    public int Get(string url, long rangeStart, int timeoutMs)
    {
        return Answer(url, rangeStart);
    }

    /// <inheritdoc/>
    public int PostForm(string url, byte[] body, int offset, int count, int timeoutMs)
    {
        LastBody = Ascii.Text(body, offset, count);
        return Answer(url, 0);
    }

    /// <inheritdoc/>
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        LastReadTimeoutMs = timeoutMs;
        if (!IsOpen)
        {
            return (int)HttpStatus.Broken;
        }

        // A cut after the last byte cuts nothing: the body ends normally.
        if (_position >= _failAt && _position < _end)
        {
            return _failCode;
        }

        if (_pieceBytes > 0 && _position >= _pieceEnd && _position < _end && !NextPiece(timeoutMs))
        {
            return (int)HttpStatus.Timeout;
        }

        int n = (_pieceBytes > 0 ? _pieceEnd : _end) - _position;
        if (n > count)
        {
            n = count;
        }

        if (n > ReadChunk)
        {
            n = ReadChunk;
        }

        if (_position + n > _failAt)
        {
            n = _failAt - _position;
        }

        System.Array.Copy(_body, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    /// <inheritdoc/>
    public void Close()
    {
        CloseCount++;
        IsOpen = false;
    }

    // Waits on the clock for the next piece, as a blocking read would: true when it came within the timeout.
    private bool NextPiece(int timeoutMs)
    {
        long wait = _nextPieceAt - Clock.MonotonicMs;
        if (wait > timeoutMs)
        {
            Clock.Advance(timeoutMs);
            return false;
        }

        if (wait > 0)
        {
            Clock.Advance(wait);
        }

        _pieceEnd = _position + _pieceBytes < _end ? _position + _pieceBytes : _end;
        _nextPieceAt = Clock.MonotonicMs + _silenceMs;
        return true;
    }

    private int Answer(string url, long rangeStart)
    {
        ScriptedResponse r = RequestCount < _script.Count ? (ScriptedResponse)_script[RequestCount] : Otherwise;
        if (RequestCount < _offsets.Length)
        {
            _offsets[RequestCount] = rangeStart;
        }

        RequestCount++;
        LastUrl = url;
        _contentLength = -1;
        _rangeStart = -1;
        _rangeTotal = -1;
        if (r.Status < 0)
        {
            return r.Status;
        }

        int status;
        if (r.Status != 0 && r.Status != 200 && r.Status != 206)
        {
            status = r.Status;
            _body = r.Body != null ? r.Body : new byte[0];
            _position = 0;
        }
        else if (r.Body != null)
        {
            status = r.Status == 0 ? 200 : r.Status;
            _body = r.Body;
            _position = 0;
        }
        else if (rangeStart > 0 && !r.IgnoreRange)
        {
            status = 206;
            _body = File;
            _position = (int)rangeStart;
            _rangeStart = r.RangeStart == -2 ? rangeStart : r.RangeStart;
            _rangeTotal = r.RangeTotal == -2 ? File.Length : r.RangeTotal;
        }
        else
        {
            status = 200;
            _body = File;
            _position = 0;
        }

        _end = _body.Length;
        _contentLength = r.ContentLength == -2 ? _end - _position : r.ContentLength;
        _failAt = r.FailAfter < 0 ? int.MaxValue : _position + r.FailAfter;
        _failCode = r.FailCode;
        _pieceBytes = r.PieceBytes;
        _silenceMs = r.SilenceMs;
        _pieceEnd = _position;
        _nextPieceAt = Clock != null ? Clock.MonotonicMs : 0;
        IsOpen = true;
        return status;
    }
}
