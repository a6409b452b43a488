using CotaFirmware.Platform;

namespace CotaFirmware.Network;

// The body: what the head buffer still holds, then the channel; by Content-Length, by chunks, or to the close.
public sealed partial class ChannelHttpClient
{
    private bool _chunked;
    private long _chunkLeft;    // chunked: body bytes left in the current chunk; -1 before the first size line
    private long _received;

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
}
