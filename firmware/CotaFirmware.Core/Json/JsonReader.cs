using System;
using CotaFirmware.Crypto;
using CotaFirmware.Text;

namespace CotaFirmware.Json;

/// <summary>A strict RFC 8259 pull reader: a cursor over a JSON document with one current token, in constant memory.</summary>
/// <remarks>
/// <para>
/// Two ways in: <see cref="Begin(IJsonSource)"/> streams a document of any size through the caller's fixed window,
/// refilling it as the cursor advances; <see cref="Begin(byte[], int, int)"/> reads a complete document already in
/// memory (e.g. an MQTT receive buffer) in place, with no copy and no token length limit. Either way the reader can
/// be started again for the next document; after construction nothing is allocated.
/// </para>
/// <para>
/// Limits when streaming: a string (with its quotes) or a literal must fit in <see cref="WindowLength"/> bytes, a
/// number in <see cref="WindowLength"/> - 1 (the reader must see the byte after it); longer gives
/// <see cref="JsonError.TokenTooLong"/>. Containers nest at most <see cref="MaxDepth"/> deep. Token accessors
/// (<see cref="TokenBuffer"/>, <see cref="TokenIndex"/>) stay valid only until the next <see cref="Read"/>, which
/// may move the window's contents.
/// </para>
/// <para>
/// Errors are values: <see cref="Read"/> returns false and <see cref="Error"/>, <see cref="ErrorOffset"/> say why and
/// where; the reader then stays in that state until the next Begin. No input makes it throw.
/// </para>
/// </remarks>
public sealed class JsonReader
{
    /// <summary>The nesting limit used when none is given.</summary>
    public const int DefaultMaxDepth = 32;

    // Scanner results other than an end index.
    private const int NeedMore = -1;
    private const int Failed = -2;

    // Fill outcomes.
    private const int FillAdded = 0;
    private const int FillEnd = 1;
    private const int FillFull = 2;
    private const int FillFailed = 3;

    // What the grammar expects next. Done: no document, its end was read, or an error.
    private enum State
    {
        Done,
        Value,
        ValueOrEndArray,
        NameOrEndObject,
        Name,
        Colon,
        CommaOrEnd,
        End,
    }

    private const byte InArray = 0;
    private const byte InObject = 1;

    private static readonly byte[] TrueLiteral = new byte[] { (byte)'t', (byte)'r', (byte)'u', (byte)'e' };
    private static readonly byte[] FalseLiteral = new byte[] { (byte)'f', (byte)'a', (byte)'l', (byte)'s', (byte)'e' };
    private static readonly byte[] NullLiteral = new byte[] { (byte)'n', (byte)'u', (byte)'l', (byte)'l' };

    // What a byte can start where a token may start; Read dispatches on it.
    // Numbered from 0 so the dispatch is one table jump; the four that may end a number come first.
    private const byte ClassSpace = 0;
    private const byte ClassComma = 1;
    private const byte ClassCloseObject = 2;
    private const byte ClassCloseArray = 3;
    private const byte ClassQuote = 4;
    private const byte ClassColon = 5;
    private const byte ClassOpenObject = 6;
    private const byte ClassOpenArray = 7;
    private const byte ClassNumber = 8;
    private const byte ClassTrue = 9;
    private const byte ClassFalse = 10;
    private const byte ClassNull = 11;
    private const byte ClassOther = 12;

    private static readonly byte[] ByteClass = TokenClasses();

    private static readonly bool LittleEndian = BitConverter.IsLittleEndian;

    // 0 for the bytes a string may hold as they are (printable ASCII but the quote and the backslash); the scan
    // loops stop at anything else: the closing quote, an escape, a control character or a UTF-8 lead byte.
    private static readonly byte[] SpecialBytes = SpecialStringBytes();

    private readonly byte[] _window;
    private readonly byte[] _containers;
    private readonly byte[] _codePoint = new byte[4];
    private readonly int _maxDepth;

    private byte[] _buffer;
    private int _pos;
    private int _end;
    private int _origin; // absolute offset = _origin + index into _buffer
    private bool _atEnd;
    private IJsonSource _source;

    private State _state;
    private int _depth;

    private JsonTokenKind _kind;
    private int _tokenDepth;
    private int _tokenStart;
    private bool _hasEscapes;
    private bool _isInteger;
    private int _stringLength;

    private JsonError _error;
    private int _errorOffset;
    private int _sourceStatus;

    private HashFunction _hash;
    private int _hashFrom;

    // While Skip runs: the depth of the container being skipped (Read then returns only at its end), else -1.
    private int _skipDepth;

    /// <summary>Creates a reader that streams through <paramref name="window"/> and allows <see cref="DefaultMaxDepth"/> levels of nesting.</summary>
    /// <param name="window">The read window, owned by the reader from now on; may be null when only in-memory documents are read.</param>
    public JsonReader(byte[] window)
        : this(window, DefaultMaxDepth)
    {
    }

    /// <summary>Creates a reader that streams through <paramref name="window"/> and allows <paramref name="maxDepth"/> levels of nesting.</summary>
    /// <param name="window">The read window, owned by the reader from now on; may be null when only in-memory documents are read.</param>
    /// <param name="maxDepth">How many containers may be open at once (at least 1).</param>
    public JsonReader(byte[] window, int maxDepth)
    {
        if (window != null && window.Length < 1)
        {
            throw new ArgumentException("window");
        }

        if (maxDepth < 1)
        {
            throw new ArgumentOutOfRangeException("maxDepth");
        }

        _window = window;
        _maxDepth = maxDepth;
        _containers = new byte[maxDepth];
        Reset();
    }

    /// <summary>How many containers may be open at once.</summary>
    public int MaxDepth => _maxDepth;

    /// <summary>The length of the streaming window (0 without one): the longest string or literal a streamed document may hold.</summary>
    public int WindowLength => _window == null ? 0 : _window.Length;

    /// <summary>The current token's kind.</summary>
    public JsonTokenKind TokenKind => _kind;

    /// <summary>The current token's nesting depth: 0 for a top-level value and for the brackets of the top-level container.</summary>
    public int Depth => _tokenDepth;

    /// <summary>The absolute byte offset in the document where the current token starts (its opening quote for strings).</summary>
    public int TokenOffset => _origin + _tokenStart;

    /// <summary>The array holding the current token's raw bytes (the window, or the in-memory document).</summary>
    public byte[] TokenBuffer => _buffer;

    /// <summary>Where the current token's raw bytes start in <see cref="TokenBuffer"/> (quotes included for strings).</summary>
    public int TokenIndex => _tokenStart;

    /// <summary>The current token's raw length in bytes (quotes and escapes included for strings).</summary>
    public int TokenLength => _pos - _tokenStart;

    /// <summary>For a string or property name: whether it holds escapes, so its raw bytes differ from its value.</summary>
    public bool HasEscapes => _hasEscapes;

    /// <summary>For a string or property name: its length in bytes once unescaped (what <see cref="CopyString"/> writes).</summary>
    public int StringLength => _stringLength;

    /// <summary>What went wrong, or <see cref="JsonError.None"/>.</summary>
    public JsonError Error => _error;

    /// <summary>The absolute byte offset in the document where the error was found (the token's start for <see cref="JsonError.TokenTooLong"/>).</summary>
    public int ErrorOffset => _errorOffset;

    /// <summary>The negative code the source returned when <see cref="Error"/> is <see cref="JsonError.SourceFailed"/> (or its too-large count).</summary>
    public int SourceStatus => _sourceStatus;

    /// <summary>Forgets the current document; <see cref="Read"/> returns false until the next Begin.</summary>
    public void Reset()
    {
        _source = null;
        _buffer = _window;
        _pos = 0;
        _end = 0;
        _origin = 0;
        _atEnd = true;
        _state = State.Done;
        _skipDepth = -1;
        _depth = 0;
        _kind = JsonTokenKind.None;
        _tokenDepth = 0;
        _tokenStart = 0;
        _hasEscapes = false;
        _isInteger = false;
        _stringLength = 0;
        _error = JsonError.None;
        _errorOffset = 0;
        _sourceStatus = 0;
        _hash = null;
        _hashFrom = 0;
    }

    /// <summary>Starts a document streamed from <paramref name="source"/> through the window.</summary>
    public void Begin(IJsonSource source)
    {
        if (source == null)
        {
            throw new ArgumentNullException("source");
        }

        if (_window == null)
        {
            throw new InvalidOperationException("no window");
        }

        Reset();
        _source = source;
        _atEnd = false;
        _state = State.Value;
    }

    /// <summary>Starts the complete document held in <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>, read in place.</summary>
    /// <remarks>Offsets are counted from <paramref name="offset"/>. The bytes must stay unchanged while they are read.</remarks>
    public void Begin(byte[] buffer, int offset, int count)
    {
        if (buffer == null)
        {
            throw new ArgumentNullException("buffer");
        }

        if (offset < 0 || count < 0 || offset > buffer.Length - count)
        {
            throw new ArgumentOutOfRangeException("offset");
        }

        Reset();
        _buffer = buffer;
        _pos = offset;
        _end = offset + count;
        _origin = -offset;
        _tokenStart = offset;
        _state = State.Value;
    }

    /// <summary>Advances to the next token.</summary>
    /// <returns>True on a token; false at the clean end of the document (<see cref="Error"/> is None) or on an error.</returns>
    /// <remarks>
    /// Written for the device's interpreter, where every IL instruction costs alike and a call or a field access
    /// costs several: the cursor and the grammar state live in locals, one table jump dispatches on the byte,
    /// separators and whitespace loop here, and plain ASCII strings, positive integers and literals are scanned in
    /// place. Only strings with escapes or non-ASCII bytes, other numbers and tokens cut by the window's end call a
    /// scanner. While <see cref="Skip"/> runs, tokens inside the skipped value do not return.
    /// </remarks>
    public bool Read()
    {
        State s = _state;
        if (s == State.Done)
        {
            return false;
        }

        byte[] buf = _buffer;
        byte[] classes = ByteClass;
        int p = _pos;
        int e = _end;
        int depth = _depth;
        int skipDepth = _skipDepth;
        JsonTokenKind kind;
        int start;
        int i;
        ulong v;
        while (true)
        {
            if (p >= e)
            {
                _pos = p;
                i = Fill();
                p = _pos;
                e = _end;
                if (i == FillAdded)
                {
                    continue;
                }

                if (i == FillFailed)
                {
                    return false;
                }

                if (s == State.End)
                {
                    _state = State.Done;
                    _kind = JsonTokenKind.None;
                    return false;
                }

                return Fail(JsonError.UnexpectedEnd, p);
            }

            switch (classes[buf[p]])
            {
                case ClassSpace:
                    p++;
                    continue;

                case ClassComma:
                    if (s != State.CommaOrEnd)
                    {
                        goto Unexpected;
                    }

                    p++;
                    s = _containers[depth - 1] == InObject ? State.Name : State.Value;
                    continue;

                case ClassColon:
                    if (s != State.Colon)
                    {
                        goto Unexpected;
                    }

                    p++;
                    s = State.Value;
                    continue;

                case ClassQuote:
                    if (s == State.Value || s == State.ValueOrEndArray)
                    {
                        kind = JsonTokenKind.String;
                        s = depth == 0 ? State.End : State.CommaOrEnd;
                        goto String;
                    }

                    if (s == State.Name || s == State.NameOrEndObject)
                    {
                        kind = JsonTokenKind.PropertyName;
                        s = State.Colon;
                        goto String;
                    }

                    goto Unexpected;

                case ClassOpenObject:
                case ClassOpenArray:
                    if (s != State.Value && s != State.ValueOrEndArray)
                    {
                        goto Unexpected;
                    }

                    if (depth >= _maxDepth)
                    {
                        return Fail(JsonError.DepthExceeded, p);
                    }

                    if (buf[p] == '{')
                    {
                        _containers[depth] = InObject;
                        kind = JsonTokenKind.BeginObject;
                        s = State.NameOrEndObject;
                    }
                    else
                    {
                        _containers[depth] = InArray;
                        kind = JsonTokenKind.BeginArray;
                        s = State.ValueOrEndArray;
                    }

                    depth++;
                    p++;
                    if (skipDepth >= 0)
                    {
                        continue;
                    }

                    start = p - 1;
                    i = depth - 1;
                    goto Token;

                case ClassCloseObject:
                    if (s == State.NameOrEndObject || (s == State.CommaOrEnd && _containers[depth - 1] == InObject))
                    {
                        kind = JsonTokenKind.EndObject;
                        goto EndContainer;
                    }

                    goto Unexpected;

                case ClassCloseArray:
                    if (s == State.ValueOrEndArray || (s == State.CommaOrEnd && _containers[depth - 1] == InArray))
                    {
                        kind = JsonTokenKind.EndArray;
                        goto EndContainer;
                    }

                    goto Unexpected;

                case ClassNumber:
                    if (s != State.Value && s != State.ValueOrEndArray)
                    {
                        goto Unexpected;
                    }

                    kind = JsonTokenKind.Number;
                    s = depth == 0 ? State.End : State.CommaOrEnd;

                    // The common numbers, integers and plain fractions (no exponent), are scanned here; anything
                    // else, malformed numbers included, goes to the scanner from the start.
                    i = buf[p] == '-' ? p + 1 : p;
                    if (i < e && (uint)(buf[i] - '1') <= 8)
                    {
                        i++;
                        while (i < e && (uint)(buf[i] - '0') <= 9)
                        {
                            i++;
                        }
                    }
                    else if (i < e && buf[i] == '0')
                    {
                        i++;
                    }
                    else
                    {
                        i = e;
                    }

                    _isInteger = true;
                    if (i < e && buf[i] == '.')
                    {
                        _isInteger = false;
                        start = ++i;
                        while (i < e && (uint)(buf[i] - '0') <= 9)
                        {
                            i++;
                        }

                        if (i == start)
                        {
                            i = e;
                        }
                    }

                    if (i < e && classes[buf[i]] <= ClassCloseArray)
                    {
                        goto ScalarEnd;
                    }

                    i = ScanNumber(p);
                    goto Scanned;

                case ClassTrue:
                case ClassFalse:
                case ClassNull:
                    if (s != State.Value && s != State.ValueOrEndArray)
                    {
                        goto Unexpected;
                    }

                    s = depth == 0 ? State.End : State.CommaOrEnd;
                    i = p + 4;
                    if (buf[p] == 't')
                    {
                        kind = JsonTokenKind.True;
                        if (i <= e && buf[p + 1] == 'r' && buf[p + 2] == 'u' && buf[p + 3] == 'e')
                        {
                            goto ScalarEnd;
                        }
                    }
                    else if (buf[p] == 'n')
                    {
                        kind = JsonTokenKind.Null;
                        if (i <= e && buf[p + 1] == 'u' && buf[p + 2] == 'l' && buf[p + 3] == 'l')
                        {
                            goto ScalarEnd;
                        }
                    }
                    else
                    {
                        kind = JsonTokenKind.False;
                        i++;
                        if (i <= e && buf[p + 1] == 'a' && buf[p + 2] == 'l' && buf[p + 3] == 's' && buf[p + 4] == 'e')
                        {
                            goto ScalarEnd;
                        }
                    }

                    // A literal cut by the window's end, or a wrong one: the scanner tells which.
                    i = ScanLiteral(p, kind);
                    goto Scanned;
            }

        Unexpected:
            return Fail(s == State.End ? JsonError.TrailingData : JsonError.UnexpectedCharacter, p);

        String:
            // The common string, printable ASCII up to the closing quote, is scanned here without a call, 8 bytes
            // per step. A top bit in the mask marks a byte that is not plain: one of its own (0x80 and up), or a
            // borrow out of a byte below 0x20, or out of a quote or backslash turned to 0 by the XOR. Borrows only
            // run upward, so the lowest marked byte is the first byte that is not plain.
            i = p + 1;
            while (true)
            {
                if (i > e - 8)
                {
                    // Fewer than 8 bytes left in the window: the scanner goes on byte by byte (and refills).
                    break;
                }

                v = BitConverter.ToUInt64(buf, i);
                v = (v | (v - 0x2020202020202020UL) | ((v ^ 0x2222222222222222UL) - 0x0101010101010101UL)
                    | ((v ^ 0x5C5C5C5C5C5C5C5CUL) - 0x0101010101010101UL)) & 0x8080808080808080UL;
                if (v != 0)
                {
                    // Little-endian, the lowest marked byte is the first in memory: its top bit, moved to the bottom
                    // of the byte, times this constant puts the byte's index in the top byte. Elsewhere (no such
                    // device or PC is known) the scanner finds it.
                    if (LittleEndian)
                    {
                        i += (int)((((v & (0UL - v)) >> 7) * 0x0001020304050607UL) >> 56);
                    }

                    break;
                }

                i += 8;
            }

            if (i < e && buf[i] == '"')
            {
                if (skipDepth < 0)
                {
                    _hasEscapes = false;
                    _stringLength = i - p - 1;
                }

                i++;
                goto ScalarEnd;
            }

            // An escape, a non-ASCII or control byte, or the window's end: the scanner goes on from there.
            i = ScanString(p, i);

        Scanned:
            if (i < 0)
            {
                if (i == Failed)
                {
                    return false;
                }

                // The window ends inside the token: refill and scan it again from its start.
                i = Rescan(p, kind);
                if (i < 0)
                {
                    return false;
                }

                p = _tokenStart;
                e = _end;
            }

        ScalarEnd:
            // A scalar (i is the index after it, p its start) never ends a skip: only its container's end does.
            if (skipDepth >= 0)
            {
                p = i;
                continue;
            }

            start = p;
            p = i;
            i = depth;
            goto Token;

        EndContainer:
            depth--;
            s = depth == 0 ? State.End : State.CommaOrEnd;
            p++;
            if (skipDepth >= 0 && depth != skipDepth)
            {
                continue;
            }

            start = p - 1;
            i = depth;

        Token:
            // The token runs from start to p; i is its depth.
            _kind = kind;
            _tokenDepth = i;
            _tokenStart = start;
            _pos = p;
            _state = s;
            _depth = depth;
            return true;
        }
    }

    /// <summary>Skips the current value: from a property name its value, from a bracket to the matching one; a scalar stays where it is.</summary>
    /// <returns>True when the reader stands on the value's last token; false on an error.</returns>
    public bool Skip()
    {
        if (_error != JsonError.None)
        {
            return false;
        }

        if (_kind == JsonTokenKind.PropertyName && !Read())
        {
            return false;
        }

        if (_kind != JsonTokenKind.BeginObject && _kind != JsonTokenKind.BeginArray)
        {
            return _kind != JsonTokenKind.None;
        }

        _skipDepth = _tokenDepth;
        bool ended = Read();
        _skipDepth = -1;
        if (!ended && _error == JsonError.None)
        {
            Fail(JsonError.UnexpectedEnd, _end);
        }

        return ended;
    }

    /// <summary>
    /// Feeds the current value's raw bytes (exactly as in the document: quotes, escapes and inner whitespace included)
    /// to <paramref name="hash"/> and skips it like <see cref="Skip"/>, across any number of window refills.
    /// </summary>
    /// <remarks>From a property name, its value is hashed. Only <see cref="HashFunction.Update"/> is called.</remarks>
    /// <returns>True when the whole value was fed; false on an error (the hash then holds a prefix).</returns>
    public bool HashValue(HashFunction hash)
    {
        if (hash == null)
        {
            throw new ArgumentNullException("hash");
        }

        if (_error != JsonError.None)
        {
            return false;
        }

        if (_kind == JsonTokenKind.PropertyName && !Read())
        {
            return false;
        }

        if (_kind == JsonTokenKind.None || _kind == JsonTokenKind.EndObject || _kind == JsonTokenKind.EndArray)
        {
            return false;
        }

        if (_kind != JsonTokenKind.BeginObject && _kind != JsonTokenKind.BeginArray)
        {
            hash.Update(_buffer, _tokenStart, _pos - _tokenStart);
            return true;
        }

        _hash = hash;
        _hashFrom = _tokenStart;
        bool ok = Skip();
        if (ok)
        {
            hash.Update(_buffer, _hashFrom, _pos - _hashFrom);
        }

        _hash = null;
        return ok;
    }

    /// <summary>Compares the current string or property name, unescaped, with the UTF-8 bytes of <paramref name="literal"/>.</summary>
    public bool ValueEquals(byte[] literal)
    {
        if (literal == null)
        {
            throw new ArgumentNullException("literal");
        }

        // Names are matched against several literals in turn: a different length answers without a further call.
        return _stringLength == literal.Length && ValueEquals(literal, 0, literal.Length);
    }

    /// <summary>Compares the current string or property name, unescaped, with <paramref name="count"/> UTF-8 bytes of <paramref name="literal"/> from <paramref name="offset"/>.</summary>
    /// <returns>True when equal; false when different or when the current token is not a string or property name.</returns>
    public bool ValueEquals(byte[] literal, int offset, int count)
    {
        if (literal == null)
        {
            throw new ArgumentNullException("literal");
        }

        if (offset < 0 || count < 0 || offset > literal.Length - count)
        {
            throw new ArgumentOutOfRangeException("offset");
        }

        if ((_kind != JsonTokenKind.String && _kind != JsonTokenKind.PropertyName) || _stringLength != count)
        {
            return false;
        }

        byte[] buf = _buffer;
        int i = _tokenStart + 1;
        int o = offset;
        if (!_hasEscapes)
        {
            int stop = offset + count;
            while (o < stop)
            {
                if (buf[i] != literal[o])
                {
                    return false;
                }

                i++;
                o++;
            }

            return true;
        }

        int e = _pos - 1;
        while (i < e)
        {
            int b = buf[i];
            if (b != '\\')
            {
                if (b != literal[o])
                {
                    return false;
                }

                i++;
                o++;
                continue;
            }

            int cp = Unescape(buf, i);
            i += cp > 0xFFFF ? 12 : (buf[i + 1] == 'u' ? 6 : 2);
            byte[] scratch = _codePoint;
            int n = Utf8.EncodeCodePoint(cp, scratch, 0);
            for (int k = 0; k < n; k++)
            {
                if (literal[o + k] != scratch[k])
                {
                    return false;
                }
            }

            o += n;
        }

        return true;
    }

    /// <summary>Writes the current string or property name, unescaped to UTF-8 (surrogate pairs joined), into <paramref name="destination"/>.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="offset">Where in <paramref name="destination"/> to start.</param>
    /// <param name="count">How many bytes may be written.</param>
    /// <returns>The number of bytes written; -1, with nothing written, when the value needs more than <paramref name="count"/> bytes (see <see cref="StringLength"/>) or the token is not a string or property name.</returns>
    public int CopyString(byte[] destination, int offset, int count)
    {
        if (destination == null)
        {
            throw new ArgumentNullException("destination");
        }

        if (offset < 0 || count < 0 || offset > destination.Length - count)
        {
            throw new ArgumentOutOfRangeException("offset");
        }

        if ((_kind != JsonTokenKind.String && _kind != JsonTokenKind.PropertyName) || _stringLength > count)
        {
            return -1;
        }

        byte[] buf = _buffer;
        int i = _tokenStart + 1;
        if (!_hasEscapes)
        {
            Array.Copy(buf, i, destination, offset, _stringLength);
            return _stringLength;
        }

        int o = offset;
        int e = _pos - 1;
        while (i < e)
        {
            int b = buf[i];
            if (b != '\\')
            {
                destination[o++] = (byte)b;
                i++;
                continue;
            }

            int cp = Unescape(buf, i);
            i += cp > 0xFFFF ? 12 : (buf[i + 1] == 'u' ? 6 : 2);
            o += Utf8.EncodeCodePoint(cp, destination, o);
        }

        return o - offset;
    }

    /// <summary>Reads the current number as an int32.</summary>
    /// <returns>False, with <paramref name="value"/> 0, when the token is not a number, has a fraction or exponent, or is out of range.</returns>
    public bool TryGetInt32(out int value)
    {
        value = 0;
        long v;
        if (!TryGetInt64(out v) || v < int.MinValue || v > int.MaxValue)
        {
            return false;
        }

        value = (int)v;
        return true;
    }

    /// <summary>Reads the current number as an int64.</summary>
    /// <returns>False, with <paramref name="value"/> 0, when the token is not a number, has a fraction or exponent, or is out of range.</returns>
    public bool TryGetInt64(out long value)
    {
        value = 0;
        if (_kind != JsonTokenKind.Number || !_isInteger)
        {
            return false;
        }

        byte[] buf = _buffer;
        int i = _tokenStart;
        int e = _pos;
        bool negative = buf[i] == '-';
        if (negative)
        {
            i++;
        }

        // Overflow is checked against 2^63 - 1 (or 2^63 when negative) before each step, without a division.
        int lastDigitMax = negative ? 8 : 7;
        ulong acc = 0;
        while (i < e)
        {
            int d = buf[i] - '0';
            if (acc >= 922337203685477580UL && (acc > 922337203685477580UL || d > lastDigitMax))
            {
                return false;
            }

            acc = (acc * 10) + (ulong)d;
            i++;
        }

        value = negative ? (long)(0UL - acc) : (long)acc;
        return true;
    }

    /// <summary>Says in words what <see cref="Error"/> means, with its offset and, for a too-long token, the window's limit.</summary>
    /// <remarks>Builds a new string: meant for logs after an error, not for the steady state.</remarks>
    public string DescribeError()
    {
        string where = " at byte " + _errorOffset.ToString();
        switch (_error)
        {
            case JsonError.None:
                return "no error";
            case JsonError.UnexpectedEnd:
                return "document ends early" + where;
            case JsonError.UnexpectedCharacter:
                return "unexpected character" + where;
            case JsonError.TrailingData:
                return "data after the document's value" + where;
            case JsonError.InvalidLiteral:
                return "invalid literal (true, false, null)" + where;
            case JsonError.InvalidNumber:
                return "invalid number" + where;
            case JsonError.LeadingZero:
                return "number with a leading zero" + where;
            case JsonError.ControlCharacter:
                return "unescaped control character in a string" + where;
            case JsonError.InvalidEscape:
                return "invalid escape in a string" + where;
            case JsonError.InvalidSurrogate:
                return "lone or misordered \\u surrogate escape" + where;
            case JsonError.InvalidUtf8:
                return "invalid UTF-8 in a string" + where;
            case JsonError.DepthExceeded:
                return "nesting deeper than " + _maxDepth.ToString() + where;
            case JsonError.TokenTooLong:
                return "token longer than the " + WindowLength.ToString() + "-byte window (strings and literals may have at most "
                    + WindowLength.ToString() + " bytes, numbers " + (WindowLength - 1).ToString() + ")" + where;
            case JsonError.SourceFailed:
                return "source failed with " + _sourceStatus.ToString() + where;
            default:
                return "error" + where;
        }
    }

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
            else if (kind == JsonTokenKind.Number)
            {
                r = ScanNumber(p);
            }
            else
            {
                r = ScanLiteral(p, kind);
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
                return _atEnd ? FailScan(JsonError.UnexpectedEnd, e) : NeedMore;
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
                    return _atEnd ? FailScan(JsonError.UnexpectedEnd, e) : NeedMore;
                }

                int c = buf[i + 1];
                if (c == 'u')
                {
                    int hexEnd = i + 6 <= e ? i + 6 : e;
                    int u = HexValue(buf, i + 2, hexEnd);
                    if (u < 0)
                    {
                        return FailScan(JsonError.InvalidEscape, i);
                    }

                    if (hexEnd < i + 6)
                    {
                        return _atEnd ? FailScan(JsonError.UnexpectedEnd, e) : NeedMore;
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

                        int lowEnd = j + 6 <= e ? j + 6 : e;
                        int low = HexValue(buf, j + 2, lowEnd);
                        if (low < 0)
                        {
                            return FailScan(JsonError.InvalidEscape, j);
                        }

                        if (lowEnd < j + 6)
                        {
                            return _atEnd ? FailScan(JsonError.UnexpectedEnd, e) : NeedMore;
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
                return _atEnd ? FailScan(JsonError.UnexpectedEnd, e) : NeedMore;
            }

            i += length;
        }
    }

    // Returns the index after the number, NeedMore, or Failed (error set). The byte after a number must end it.
    private int ScanNumber(int start)
    {
        byte[] buf = _buffer;
        int e = _end;
        bool fin = _atEnd;
        int i = start;
        bool integer = true;
        if (buf[i] == '-')
        {
            i++;
            if (i >= e)
            {
                return fin ? FailScan(JsonError.UnexpectedEnd, e) : NeedMore;
            }
        }

        int b = buf[i];
        if (b == '0')
        {
            i++;
            if (i < e && buf[i] >= '0' && buf[i] <= '9')
            {
                return FailScan(JsonError.LeadingZero, i - 1);
            }
        }
        else if (b >= '1' && b <= '9')
        {
            i++;
            while (i < e && buf[i] >= '0' && buf[i] <= '9')
            {
                i++;
            }
        }
        else
        {
            return FailScan(JsonError.InvalidNumber, i);
        }

        if (i < e && buf[i] == '.')
        {
            integer = false;
            i++;
            if (i >= e)
            {
                return fin ? FailScan(JsonError.UnexpectedEnd, e) : NeedMore;
            }

            if (buf[i] < '0' || buf[i] > '9')
            {
                return FailScan(JsonError.InvalidNumber, i);
            }

            while (i < e && buf[i] >= '0' && buf[i] <= '9')
            {
                i++;
            }
        }

        if (i < e && (buf[i] == 'e' || buf[i] == 'E'))
        {
            integer = false;
            i++;
            if (i < e && (buf[i] == '+' || buf[i] == '-'))
            {
                i++;
            }

            if (i >= e)
            {
                return fin ? FailScan(JsonError.UnexpectedEnd, e) : NeedMore;
            }

            if (buf[i] < '0' || buf[i] > '9')
            {
                return FailScan(JsonError.InvalidNumber, i);
            }

            while (i < e && buf[i] >= '0' && buf[i] <= '9')
            {
                i++;
            }
        }

        if (i >= e)
        {
            if (!fin)
            {
                return NeedMore;
            }
        }
        else
        {
            int t = buf[i];
            if (t != ',' && t != ']' && t != '}' && t != ' ' && t != '\n' && t != '\r' && t != '\t')
            {
                return FailScan(JsonError.InvalidNumber, i);
            }
        }

        _isInteger = integer;
        _hasEscapes = false;
        _stringLength = 0;
        return i;
    }

    private int ScanLiteral(int start, JsonTokenKind kind)
    {
        byte[] literal = kind == JsonTokenKind.True ? TrueLiteral : (kind == JsonTokenKind.False ? FalseLiteral : NullLiteral);
        byte[] buf = _buffer;
        int n = literal.Length;
        int avail = _end - start;
        int m = avail < n ? avail : n;
        for (int k = 0; k < m; k++)
        {
            if (buf[start + k] != literal[k])
            {
                return FailScan(JsonError.InvalidLiteral, start);
            }
        }

        if (avail < n)
        {
            return _atEnd ? FailScan(JsonError.UnexpectedEnd, _end) : NeedMore;
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

    private static byte[] TokenClasses()
    {
        byte[] classes = new byte[256];
        for (int b = 0; b < 256; b++)
        {
            classes[b] = ClassOther;
        }

        classes[' '] = ClassSpace;
        classes['\t'] = ClassSpace;
        classes['\n'] = ClassSpace;
        classes['\r'] = ClassSpace;
        classes['"'] = ClassQuote;
        classes[','] = ClassComma;
        classes[':'] = ClassColon;
        classes['{'] = ClassOpenObject;
        classes['['] = ClassOpenArray;
        classes['}'] = ClassCloseObject;
        classes[']'] = ClassCloseArray;
        classes['-'] = ClassNumber;
        for (int d = '0'; d <= '9'; d++)
        {
            classes[d] = ClassNumber;
        }

        classes['t'] = ClassTrue;
        classes['f'] = ClassFalse;
        classes['n'] = ClassNull;
        return classes;
    }
}
