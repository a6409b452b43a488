using CotaFirmware.Json;
using CotaFirmware.Text;

namespace CotaFirmware.App;

/// <summary>A strict settings document (board.json, device.json) read in place: one JSON object of known keys, each once, with typed values.</summary>
/// <remarks>
/// <see cref="Walk"/> hands each key's value to the document's <see cref="ApplyValue"/>, which reads it with the typed
/// readers; the first error ends the walk and is kept with the key it concerns (its name, never a value) and the byte
/// where it was found.
/// </remarks>
public abstract class SettingsDocument
{
    // An unknown key is shown cut to this many characters.
    private const int MaxShownKey = 40;

    private readonly string[] _names;
    private readonly byte[][] _keys;
    private JsonReader _reader;
    private int _seen;
    private bool _inside;
    private SettingsError _error;
    private string _errorKey;
    private int _errorOffset = -1;
    private int _mark;

    /// <summary>A document whose keys are <paramref name="keyNames"/> (at most 32); a key's index is its place there.</summary>
    protected SettingsDocument(string[] keyNames)
    {
        _names = keyNames;
        _keys = Utf8.GetBytes(keyNames);
    }

    /// <summary>Why the last document was refused, or <see cref="SettingsError.None"/>.</summary>
    public SettingsError Error => _error;

    /// <summary>The key the error concerns, or null when it concerns no key.</summary>
    public string ErrorKey => _errorKey;

    /// <summary>The byte offset in the document where the error was found, or -1.</summary>
    public int ErrorOffset => _errorOffset;

    /// <summary>The reader of the walk, on the current value.</summary>
    protected JsonReader Reader => _reader;

    /// <summary>Where the current token starts in the document, in bytes (a byte order mark counted).</summary>
    protected int ValueOffset => _reader.TokenOffset + _mark;

    /// <summary>Reads the document in <paramref name="buffer"/>[<paramref name="offset"/>..+<paramref name="count"/>] over <paramref name="reader"/>, each key's value through <see cref="ApplyValue"/>.</summary>
    /// <returns><see cref="SettingsError.None"/>, or the first error (also in <see cref="Error"/>, with its key and byte).</returns>
    protected SettingsError Walk(byte[] buffer, int offset, int count, JsonReader reader)
    {
        _reader = reader;

        // A UTF-8 byte order mark (some Windows editors write one) is not JSON: read past it; offsets still count it.
        _mark = buffer != null && offset >= 0 && count >= 3 && offset + 3 <= buffer.Length
            && buffer[offset] == 0xEF && buffer[offset + 1] == 0xBB && buffer[offset + 2] == 0xBF ? 3 : 0;
        reader.Begin(buffer, offset + _mark, count - _mark);
        _seen = 0;
        _inside = false;
        _error = SettingsError.None;
        _errorKey = null;
        _errorOffset = -1;
        for (int key = NextKey(); key >= 0; key = NextKey())
        {
            _error = ApplyValue(key);
            if (_error != SettingsError.None)
            {
                return _error;
            }
        }

        if (_error == SettingsError.None)
        {
            _errorKey = null;
            _errorOffset = -1;
        }

        return _error;
    }

    /// <summary>
    /// Refuses a document its walk accepted, for a value only the whole document shows wrong (a pin the board's target,
    /// which may come later or not at all, keeps for its flash): keeps the error with the key and the byte of its value.
    /// </summary>
    /// <returns><paramref name="error"/>.</returns>
    protected SettingsError Refuse(SettingsError error, int key, int valueOffset)
    {
        _error = error;
        _errorKey = _names[key];
        _errorOffset = valueOffset;
        return error;
    }

    /// <summary>Reads the value of the key at <paramref name="key"/> in the key names, with <see cref="Reader"/> on it.</summary>
    /// <returns><see cref="SettingsError.None"/>, or why the value refuses the document.</returns>
    protected abstract SettingsError ApplyValue(int key);

    // Moves to the next key's value: the key's index, with the reader on its value; or -1 at the end of a whole
    // document, or at an error.
    private int NextKey()
    {
        if (_error != SettingsError.None)
        {
            return -1;
        }

        if (!_reader.Read())
        {
            return Malformed();
        }

        if (!_inside)
        {
            if (_reader.TokenKind != JsonTokenKind.BeginObject)
            {
                _errorOffset = ValueOffset;
                _error = SettingsError.NotAnObject;
                return -1;
            }

            _inside = true;
            if (!_reader.Read())
            {
                return Malformed();
            }
        }

        if (_reader.TokenKind == JsonTokenKind.EndObject)
        {
            // The object must be the whole document.
            return _reader.Read() || _reader.Error != JsonError.None ? Malformed() : -1;
        }

        // Inside the top-level object every other token here is a property name.
        _errorOffset = ValueOffset;
        int key = _reader.IndexOfValue(_keys);
        if (key < 0)
        {
            _errorKey = ShownName();
            _error = SettingsError.UnknownKey;
            return -1;
        }

        _errorKey = _names[key];
        if ((_seen & (1 << key)) != 0)
        {
            _error = SettingsError.DuplicateKey;
            return -1;
        }

        _seen |= 1 << key;
        if (!_reader.Read())
        {
            return Malformed();
        }

        _errorOffset = ValueOffset;
        return key;
    }

    /// <summary>The current value as <c>true</c> or <c>false</c>.</summary>
    protected SettingsError ReadBoolean(out bool value)
    {
        JsonTokenKind kind = _reader.TokenKind;
        value = kind == JsonTokenKind.True;
        return kind == JsonTokenKind.True || kind == JsonTokenKind.False ? SettingsError.None : SettingsError.WrongType;
    }

    /// <summary>The current value as an integer from <paramref name="lowest"/> to <paramref name="highest"/>.</summary>
    /// <returns>An integer out of range is <see cref="SettingsError.OutOfRange"/>; a fraction or exponent is the wrong type for a count.</returns>
    protected SettingsError ReadInt32(int lowest, int highest, out int value)
    {
        value = 0;
        if (_reader.TokenKind != JsonTokenKind.Number)
        {
            return SettingsError.WrongType;
        }

        if (!_reader.TryGetInt32(out value))
        {
            return _reader.IsInteger ? SettingsError.OutOfRange : SettingsError.WrongType;
        }

        return value < lowest || value > highest ? SettingsError.OutOfRange : SettingsError.None;
    }

    /// <summary>The current value as one of the names in <paramref name="table"/> (exactly): its index there.</summary>
    protected SettingsError ReadOneOf(byte[][] table, out int index)
    {
        index = -1;
        if (_reader.TokenKind != JsonTokenKind.String)
        {
            return SettingsError.WrongType;
        }

        index = _reader.IndexOfValue(table);
        return index < 0 ? SettingsError.OutOfRange : SettingsError.None;
    }

    /// <summary>Describes the error for a log line, for example <c>out of range: keepAliveSeconds at byte 120</c>.</summary>
    public string DescribeError()
    {
        string what;
        switch (_error)
        {
            case SettingsError.None: return "none";
            case SettingsError.Malformed: what = "malformed JSON"; break;
            case SettingsError.NotAnObject: what = "not an object"; break;
            case SettingsError.UnknownKey: what = "unknown key"; break;
            case SettingsError.DuplicateKey: what = "duplicate key"; break;
            case SettingsError.WrongType: what = "wrong type"; break;
            case SettingsError.FlashPin: what = "SPI flash pin"; break;
            case SettingsError.WithoutMqttDomain: what = "without mqttDomain"; break;
            default: what = "out of range"; break;
        }

        return (_errorKey == null ? what : what + ": " + _errorKey) + " at byte " + _errorOffset.ToString();
    }

    private int Malformed()
    {
        _error = SettingsError.Malformed;
        _errorKey = null;
        _errorOffset = _reader.ErrorOffset + _mark;
        return -1;
    }

    // The unknown key as it was written, printable ASCII kept and anything else shown as '?', cut to MaxShownKey.
    private string ShownName()
    {
        byte[] b = _reader.TokenBuffer;
        int start = _reader.TokenIndex + 1;
        int n = _reader.TokenLength - 2;
        char[] text = new char[n < 0 ? 0 : n > MaxShownKey ? MaxShownKey : n];
        for (int i = 0; i < text.Length; i++)
        {
            int c = b[start + i];
            text[i] = c >= 0x20 && c < 0x7F ? (char)c : '?';
        }

        return new string(text);
    }
}
