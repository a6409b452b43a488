using System;
using CotaFirmware.Text;

namespace CotaFirmware.Json;

// One scanner per scalar kind (string, number, literal), each checking its token in full, and the window's refill.
public sealed partial class JsonReader
{
    // 0 for the bytes a string may hold as they are (printable ASCII but the quote and the backslash); the scan
    // loops stop at anything else: the closing quote, an escape, a control character or a UTF-8 lead byte.
    private static readonly byte[] SpecialBytes = SpecialStringBytes();

    // Refills the window after a scan of the scalar at p ran into its end, and scans again from the token's start
    // (moved to the window's start) until the token is whole. Returns the index after it (the token then starts at
    // _tokenStart), or -1 on an error (set).
    private int Rescan(int p, JsonTokenKind kind)
    {
        while (true)
        {
            _pos = p;
            int f = Fill();
            p = _pos;
            if (f == FillFull)
            {
                Fail(JsonError.TokenTooLong, p);
                return -1;
            }

            if (f == FillFailed)
            {
                return -1;
            }

            int r;
            if (kind == JsonTokenKind.String || kind == JsonTokenKind.PropertyName)
            {
                r = ScanString(p, p + 1);
            }
            else
            {
                r = kind == JsonTokenKind.Number ? ScanNumber(p) : ScanLiteral(p, kind);
            }

            if (r >= 0)
            {
                _tokenStart = p;
                return r;
            }

            if (r == Failed)
            {
                return -1;
            }
        }
    }

    // Scans the string whose quote is at start, from the index from (the bytes before it are plain ASCII).
    // Returns the index after the closing quote, NeedMore, or Failed (error set).
    private int ScanString(int start, int from)
    {
        byte[] buf = _buffer;
        int e = _end;
        byte[] special = SpecialBytes;
        int i = from;
        int saved = 0;
        bool escapes = false;
        while (true)
        {
            while (i < e && special[buf[i]] == 0)
            {
                i++;
            }

            if (i >= e)
            {
                return CutOff();
            }

            int b = buf[i];

            if (b == '"')
            {
                _hasEscapes = escapes;
                _isInteger = false;
                _stringLength = i - start - 1 - saved;
                return i + 1;
            }

            if (b == '\\')
            {
                escapes = true;
                if (i + 1 >= e)
                {
                    return CutOff();
                }

                int c = buf[i + 1];
                if (c == 'u')
                {
                    int u = ScanHexEscape(i);
                    if (u < 0)
                    {
                        return u;
                    }

                    if (u >= 0xDC00 && u <= 0xDFFF)
                    {
                        return FailScan(JsonError.InvalidSurrogate, i);
                    }

                    if (u >= 0xD800 && u <= 0xDBFF)
                    {
                        // A high surrogate must be followed by an escaped low one.
                        int j = i + 6;
                        if (j < e && buf[j] != '\\')
                        {
                            return FailScan(JsonError.InvalidSurrogate, i);
                        }

                        if (j + 1 < e && buf[j + 1] != 'u')
                        {
                            return FailScan(JsonError.InvalidSurrogate, i);
                        }

                        int low = ScanHexEscape(j);
                        if (low < 0)
                        {
                            return low;
                        }

                        if (low < 0xDC00 || low > 0xDFFF)
                        {
                            return FailScan(JsonError.InvalidSurrogate, i);
                        }

                        saved += 12 - 4;
                        i += 12;
                    }
                    else
                    {
                        saved += u < 0x80 ? 5 : (u < 0x800 ? 4 : 3);
                        i += 6;
                    }

                    continue;
                }

                if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't')
                {
                    saved++;
                    i += 2;
                    continue;
                }

                return FailScan(JsonError.InvalidEscape, i);
            }

            if (b < 0x20)
            {
                return FailScan(JsonError.ControlCharacter, i);
            }

            // A multi-byte UTF-8 sequence, checked by the codec.
            int length = Utf8.SequenceLength(buf, i, e);
            if (length == 0)
            {
                return FailScan(JsonError.InvalidUtf8, i);
            }

            if (length < 0)
            {
                return CutOff();
            }

            i += length;
        }
    }

    // The value of the \uXXXX escape at i (its backslash), NeedMore, or Failed (error set).
    private int ScanHexEscape(int i)
    {
        int end = i + 6 <= _end ? i + 6 : _end;
        int u = HexValue(_buffer, i + 2, end);
        if (u < 0)
        {
            return FailScan(JsonError.InvalidEscape, i);
        }

        return end < i + 6 ? CutOff() : u;
    }

    // Returns the index after the number, NeedMore, or Failed (error set). The byte after a number must end it.
    private int ScanNumber(int start)
    {
        byte[] buf = _buffer;
        int e = _end;
        int i = start;
        if (buf[i] == '-')
        {
            i++;
        }

        if (i < e && buf[i] == '0')
        {
            i++;
            if (i < e && (uint)(buf[i] - '0') <= 9)
            {
                return FailScan(JsonError.LeadingZero, i - 1);
            }
        }
        else if ((i = ScanDigits(i)) < 0)
        {
            return i;
        }

        bool integer = true;
        if (i < e && buf[i] == '.')
        {
            integer = false;
            if ((i = ScanDigits(i + 1)) < 0)
            {
                return i;
            }
        }

        if (i < e && (buf[i] | 0x20) == 'e')
        {
            integer = false;
            i++;
            if (i < e && (buf[i] == '+' || buf[i] == '-'))
            {
                i++;
            }

            if ((i = ScanDigits(i)) < 0)
            {
                return i;
            }
        }

        if (i >= e)
        {
            if (!_atEnd)
            {
                return NeedMore;
            }
        }
        else if (ByteClass[buf[i]] > ClassCloseArray)
        {
            return FailScan(JsonError.InvalidNumber, i); // only whitespace, a comma or a closing bracket may end it
        }

        _isInteger = integer;
        _hasEscapes = false;
        _stringLength = 0;
        return i;
    }

    // One or more digits from i: the index after them, NeedMore, or Failed (error set).
    private int ScanDigits(int i)
    {
        byte[] buf = _buffer;
        int e = _end;
        if (i >= e)
        {
            return CutOff();
        }

        if ((uint)(buf[i] - '0') > 9)
        {
            return FailScan(JsonError.InvalidNumber, i);
        }

        while (i < e && (uint)(buf[i] - '0') <= 9)
        {
            i++;
        }

        return i;
    }

    // Checks the literal at start (its first byte chose the kind) as far as the window holds it, byte by byte
    // against its word. Returns the index after it, NeedMore, or Failed (error set).
    private int ScanLiteral(int start, JsonTokenKind kind)
    {
        uint rest = kind == JsonTokenKind.True ? TrueWord >> 8 : (kind == JsonTokenKind.Null ? NullWord >> 8 : AlseWord);
        int n = kind == JsonTokenKind.False ? 5 : 4;
        byte[] buf = _buffer;
        int avail = _end - start;
        int m = avail < n ? avail : n;
        for (int k = 1; k < m; k++)
        {
            if (buf[start + k] != (byte)(rest >> (8 * (k - 1))))
            {
                return FailScan(JsonError.InvalidLiteral, start);
            }
        }

        if (avail < n)
        {
            return CutOff();
        }

        _isInteger = false;
        _hasEscapes = false;
        _stringLength = 0;
        return start + n;
    }

    // Moves the unread bytes (from _pos) to the window's start and reads from the source until the window is full.
    private int Fill()
    {
        if (_atEnd)
        {
            return FillEnd;
        }

        byte[] buf = _buffer;
        int keep = _pos;
        if (_hash != null && keep > _hashFrom)
        {
            _hash.Update(buf, _hashFrom, keep - _hashFrom);
            _hashFrom = keep;
        }

        if (keep > 0)
        {
            int n = _end - keep;
            if (n > 0)
            {
                Array.Copy(buf, keep, buf, 0, n);
            }

            _origin += keep;
            _pos = 0;
            _end = n;
            _hashFrom -= keep;
            _tokenStart -= keep;
        }

        int cap = buf.Length;
        if (_end >= cap)
        {
            return FillFull;
        }

        bool added = false;
        while (_end < cap)
        {
            int r = _source.Read(buf, _end, cap - _end);
            if (r > 0 && r <= cap - _end)
            {
                _end += r;
                added = true;
            }
            else if (r == 0)
            {
                _atEnd = true;
                break;
            }
            else
            {
                _sourceStatus = r;
                _atEnd = true;
                Fail(JsonError.SourceFailed, _end);
                return FillFailed;
            }
        }

        return added ? FillAdded : FillEnd;
    }

    // A token cut by the window's end: more input may finish it, unless the document ended there.
    private int CutOff() => _atEnd ? FailScan(JsonError.UnexpectedEnd, _end) : NeedMore;

    private int FailScan(JsonError error, int index)
    {
        Fail(error, index);
        return Failed;
    }

    private bool Fail(JsonError error, int index)
    {
        _error = error;
        _errorOffset = _origin + index;
        _kind = JsonTokenKind.None;
        _state = State.Done;
        _hash = null;
        return false;
    }

    // Decodes the validated escape at i (a backslash) to a code point, joining a surrogate pair.
    private static int Unescape(byte[] buf, int i)
    {
        int c = buf[i + 1];
        switch (c)
        {
            case 'b':
                return 0x08;
            case 'f':
                return 0x0C;
            case 'n':
                return 0x0A;
            case 'r':
                return 0x0D;
            case 't':
                return 0x09;
            case 'u':
                int u = HexValue(buf, i + 2, i + 6);
                if (u >= 0xD800 && u <= 0xDBFF)
                {
                    return 0x10000 + ((u - 0xD800) << 10) + (HexValue(buf, i + 8, i + 12) - 0xDC00);
                }

                return u;
            default:
                return c;
        }
    }

    // The value of the hex digits buf[from..to) (either case), or -1 at the first byte that is not one.
    // Called only for \u escapes, which are rare, so the scanning loops stay free of calls.
    private static int HexValue(byte[] buf, int from, int to)
    {
        int u = 0;
        for (int k = from; k < to; k++)
        {
            int h = buf[k];
            if (h >= '0' && h <= '9')
            {
                u = (u << 4) | (h - '0');
            }
            else if ((h | 0x20) >= 'a' && (h | 0x20) <= 'f')
            {
                u = (u << 4) | ((h | 0x20) - 'a' + 10);
            }
            else
            {
                return -1;
            }
        }

        return u;
    }

    private static byte[] SpecialStringBytes()
    {
        byte[] special = new byte[256];
        for (int b = 0; b < 256; b++)
        {
            special[b] = (byte)(b < 0x20 || b >= 0x80 || b == '"' || b == '\\' ? 1 : 0);
        }

        return special;
    }
}
