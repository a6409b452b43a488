using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Network;

// The response head: read into the head buffer up to its blank line, then its status line and the headers this
// client reads (Content-Length, Content-Range, Transfer-Encoding) parsed from the bytes.
public sealed partial class ChannelHttpClient
{
    private static readonly byte[] ContentLengthName = Utf8.GetBytes("content-length");
    private static readonly byte[] ContentRangeName = Utf8.GetBytes("content-range");
    private static readonly byte[] TransferEncodingName = Utf8.GetBytes("transfer-encoding");
    private static readonly byte[] Chunked = Utf8.GetBytes("chunked");
    private static readonly byte[] BytesUnit = Utf8.GetBytes("bytes");

    private long _contentLength = -1;
    private long _contentRangeStart = -1;
    private long _contentRangeTotal = -1;

    // Reads heads up to the final one: an interim response (100 Continue, 103 Early Hints) only announces it (RFC 9110,
    // 15.2), so its head is dropped, with what it said, and the next one read from the bytes after it. Interim heads
    // that keep coming end at the deadline like silence does.
    private int ReadHead(long deadline)
    {
        int status = ReadOneHead(deadline);
        while (status >= 100 && status < 200 && status != 101)
        {
            if (_clock.MonotonicMs - deadline >= 0)
            {
                return (int)HttpStatus.Timeout;
            }

            _buffered -= _position;
            System.Array.Copy(_head, _position, _head, 0, _buffered);
            _position = 0;
            ForgetHead();
            status = ReadOneHead(deadline);
        }

        return status;
    }

    // What a parsed head said, forgotten.
    private void ForgetHead()
    {
        _chunked = false;
        _contentLength = -1;
        _contentRangeStart = -1;
        _contentRangeTotal = -1;
    }

    // Reads until the blank line that ends the head, then parses it; what follows it stays buffered as body. The
    // deadline is judged after every read, not only a quiet one: a head that trickles in must not hold the caller.
    private int ReadOneHead(long deadline)
    {
        int searched = 0;
        bool read = false;
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

            if (read && _clock.MonotonicMs - deadline >= 0)
            {
                return (int)HttpStatus.Timeout;
            }

            int n = _channel.Read(_head, _buffered, _head.Length - _buffered, Remaining(deadline));
            if (n < 0)
            {
                return ReadFailure(n);
            }

            _buffered += n;
            read = true;
        }
    }

    // The status line and the headers this client reads, in _head[0, end).
    private int ParseHead(int end)
    {
        // "HTTP/1.x NNN reason" or "HTTP/1.x NNN": three digits, then a space or the line's end (RFC 9112 4).
        if (end < 12 || !StartsWith(_head, 0, end, "HTTP/1.") || _head[8] != ' ' || (_head[12] != ' ' && _head[12] != '\r'))
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
            if (_head[line] == ' ' || _head[line] == '\t')
            {
                // A folded line (obsolete, RFC 9112 5.2) would continue a header this client might read wrongly.
                return (int)HttpStatus.Broken;
            }

            int colon = line;
            while (colon < lineEnd && _head[colon] != ':')
            {
                colon++;
            }

            // The value without the spaces and tabs around it (RFC 9110 5.5).
            int value = colon + 1;
            while (value < lineEnd && (_head[value] == ' ' || _head[value] == '\t'))
            {
                value++;
            }

            int valueEnd = lineEnd;
            while (valueEnd > value && (_head[valueEnd - 1] == ' ' || _head[valueEnd - 1] == '\t'))
            {
                valueEnd--;
            }

            if (NameIs(line, colon, ContentLengthName))
            {
                // Two lengths that differ leave the body's end unknown (RFC 9112 6.3).
                long length = ReadNumber(value, valueEnd);
                if (length < 0 || (_contentLength >= 0 && length != _contentLength))
                {
                    return (int)HttpStatus.Broken;
                }

                _contentLength = length;
            }
            else if (NameIs(line, colon, ContentRangeName))
            {
                ReadRange(value, valueEnd);
            }
            else if (NameIs(line, colon, TransferEncodingName))
            {
                _chunked = NameIs(value, valueEnd, Chunked);
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

    private int Next(int from, int end)
    {
        while (from + 1 < end && !(_head[from] == '\r' && _head[from + 1] == '\n'))
        {
            from++;
        }

        return from + 2;
    }

    // The first byte position and the complete length (-1 for "*") of "bytes first-last/length" or "bytes first-last/*"
    // (RFC 9110, the unit in any case) in _head[from, to); both stay -1 for anything else: "bytes */length", a last
    // before the first, more than 18 digits.
    private void ReadRange(int from, int to)
    {
        if (to - from < 6 || !NameIs(from, from + 5, BytesUnit) || _head[from + 5] != ' ')
        {
            return;
        }

        int dash = IndexOf(from + 6, to, '-');
        int slash = IndexOf(dash, to, '/');
        long first = ReadNumber(from + 6, dash);
        long last = ReadNumber(dash + 1, slash);
        bool anyLength = slash + 2 == to && _head[slash + 1] == '*';
        long total = anyLength ? -1 : ReadNumber(slash + 1, to);
        if (first >= 0 && last >= first && slash + 1 < to && (anyLength || total >= 0))
        {
            _contentRangeStart = first;
            _contentRangeTotal = total;
        }
    }

    // The first position of c in _head[from, to), or to.
    private int IndexOf(int from, int to, char c)
    {
        while (from < to && _head[from] != c)
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
}
