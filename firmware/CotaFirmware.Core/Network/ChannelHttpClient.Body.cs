using CotaFirmware.Platform;

namespace CotaFirmware.Network;

// The body: what the head buffer still holds, then the channel; by Content-Length, by chunks, or to the close.
public sealed partial class ChannelHttpClient
{
    private bool _chunked;
    private ChunkPart _part;    // chunked: where the framing stands, kept between reads so a timeout anywhere resumes there
    private bool _cr;           // chunked: a CR of the framing was read, its LF not yet
    private long _chunkLeft;    // chunked: data bytes left in the current chunk; its size while its size line is read
    private long _received;

    private enum ChunkPart
    {
        Size,       // a size line, before its first digit
        Digits,     // in the size's digits
        Extension,  // the rest of a size line (";name=value") or of a trailer line
        Data,       // _chunkLeft bytes of data to go
        DataEnd,    // the CRLF after a chunk's data
        Trailer,    // after the last chunk, at the start of a line: an empty one ends the body
        End,        // the body has ended
        Failed,     // the framing or the channel failed: every later read fails
    }

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
            if (_part != ChunkPart.Data)
            {
                int size = NextChunk(deadline);
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

            if (n < 0)
            {
                // The server closed: the end of a body that has no length, a cut otherwise; out of memory is neither.
                return _contentLength < 0 && !_chunked && n != (int)ChannelStatus.OutOfMemory ? 0 : ReadFailure(n);
            }
        }

        _received += n;
        if (_chunked && (_chunkLeft -= n) == 0)
        {
            _part = ChunkPart.DataEnd;
        }

        return n;
    }

    // Reads the framing up to the next chunk's data ("1f4;ext\r\n", after the CRLF that ends the previous chunk): its
    // size, 0 at the end of the body (the last chunk and its trailer lines read), or a failure.
    private int NextChunk(long deadline)
    {
        if (_part == ChunkPart.Failed)
        {
            return (int)HttpStatus.Broken;
        }

        bool read = false;
        while (_part != ChunkPart.End)
        {
            int b = NextByte(deadline, ref read);
            if (b < 0)
            {
                return b == (int)HttpStatus.Timeout ? b : Broke(b);
            }

            if (b == '\r' && !_cr)
            {
                _cr = true;
                continue;
            }

            if (_cr && b != '\n')
            {
                return Broke((int)HttpStatus.Broken);
            }

            _cr = false;
            if (b == '\n')
            {
                switch (_part)
                {
                    case ChunkPart.DataEnd:
                        _part = ChunkPart.Size;
                        continue;
                    case ChunkPart.Digits:
                    case ChunkPart.Extension:
                        if (_chunkLeft > 0)
                        {
                            _part = ChunkPart.Data;
                            return (int)_chunkLeft;
                        }

                        _part = ChunkPart.Trailer;
                        continue;
                    case ChunkPart.Trailer:
                        _part = ChunkPart.End;
                        continue;
                    default:
                        return Broke((int)HttpStatus.Broken);
                }
            }

            int v = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
            if (_part == ChunkPart.Trailer)
            {
                _part = ChunkPart.Extension;
            }
            else if ((_part == ChunkPart.Size || _part == ChunkPart.Digits) && v >= 0 && _chunkLeft < 0x1000000)
            {
                // Seven hex digits at most: 256 MB, beyond any config.
                _chunkLeft = (_chunkLeft * 16) + v;
                _part = ChunkPart.Digits;
            }
            else if (_part == ChunkPart.Digits && (b == ';' || b == ' ' || b == '\t'))
            {
                _part = ChunkPart.Extension;
            }
            else if (_part != ChunkPart.Extension)
            {
                return Broke((int)HttpStatus.Broken);
            }
        }

        return 0;
    }

    // A failure ends the exchange: no later read hands out what follows it as data.
    private int Broke(int failure)
    {
        _part = ChunkPart.Failed;
        return failure;
    }

    // One body byte from the buffer, refilled from the channel; a negative HttpStatus when none comes. Past the
    // deadline a refill is made only if none was yet (read): framing that keeps coming must not hold the caller.
    private int NextByte(long deadline, ref bool read)
    {
        if (_position == _buffered)
        {
            if (read && _clock.MonotonicMs - deadline >= 0)
            {
                return (int)HttpStatus.Timeout;
            }

            read = true;
            int n = _channel.Read(_head, 0, _head.Length, Remaining(deadline));
            if (n == 0)
            {
                return (int)HttpStatus.Timeout;
            }

            if (n < 0)
            {
                return ReadFailure(n);
            }

            _position = 0;
            _buffered = n;
        }

        return _head[_position++];
    }
}
