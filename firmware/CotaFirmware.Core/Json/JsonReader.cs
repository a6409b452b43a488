using System;
using CotaFirmware.Crypto;

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
/// In az_json_reader's shape, one job per file: this one holds the document (construction, Begin, Skip, errors);
/// JsonReader.Read.cs the one dispatcher and the fast path fenced off in it; JsonReader.Scanners.cs one scanner per
/// scalar kind and the window's refill; JsonReader.Tokens.cs the current token's accessors.
/// </para>
/// <para>
/// Errors are values: <see cref="Read"/> returns false and <see cref="Error"/>, <see cref="ErrorOffset"/> say why and
/// where; the reader then stays in that state until the next Begin. No input makes it throw.
/// </para>
/// </remarks>
public sealed partial class JsonReader
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
        ByteView.Check(buffer, offset, count);

        Reset();
        _buffer = buffer;
        _pos = offset;
        _end = offset + count;
        _origin = -offset;
        _tokenStart = offset;
        _state = State.Value;
    }

    /// <summary>Skips the current value: from a property name its value, from a bracket to the matching one; a scalar stays where it is.</summary>
    /// <returns>True when the reader stands on the value's last token; false on an error.</returns>
    public bool Skip()
    {
        if (!AtValue())
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

        if (!AtValue())
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

    /// <summary>Names <see cref="Error"/> (<see cref="JsonNames.Of"/>) with its offset and, where it has one, the limit or code behind it.</summary>
    /// <remarks>Builds a new string: meant for logs after an error, not for the steady state.</remarks>
    public string DescribeError()
    {
        string what = JsonNames.Of(_error);
        switch (_error)
        {
            case JsonError.None:
                return what;
            case JsonError.DepthExceeded:
                what += " (at most " + _maxDepth.ToString() + " levels)";
                break;
            case JsonError.TokenTooLong:
                // A number needs one byte more: the reader must see the byte after it.
                what += " (strings and literals fit the " + WindowLength.ToString() + "-byte window, numbers " + (WindowLength - 1).ToString() + " bytes)";
                break;
            case JsonError.SourceFailed:
                what += " (" + _sourceStatus.ToString() + ")";
                break;
        }

        return what + " at byte " + _errorOffset.ToString();
    }

    // True when the reader stands on a value, moving from a property name to its value; false on an error.
    private bool AtValue() => _error == JsonError.None && (_kind != JsonTokenKind.PropertyName || Read());
}
