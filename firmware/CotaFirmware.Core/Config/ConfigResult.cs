using System;
using CotaFirmware.Json;
using CotaFirmware.Text;

namespace CotaFirmware.Config;

/// <summary>The outcome of one config: its id, applied / rejected / rolled_back, and per-module errors, in fixed storage.</summary>
/// <remarks>
/// <para>Modules add errors while validating (<see cref="AddError(ConfigErrorCode, byte[])"/>); the applier fills in the
/// module name. At most the capacity given at construction is kept; further errors are only counted
/// (<see cref="DroppedErrors"/>). Names longer than <see cref="MaxNameLength"/> bytes are cut at a UTF-8 boundary.</para>
/// <para>JSON form (<see cref="WriteJson"/>; <see cref="WriteMembers"/> writes the same members as the <c>params</c> of a
/// LinkKit event): <c>{"configId":"..","status":"rejected","errors":[{"module":"wifi","key":"ssid","code":"too_long"}]}</c>,
/// plus <c>"errorsDropped":n</c> when errors were dropped and <c>"jsonError":"..","jsonErrorOffset":n</c> for broken JSON.
/// An unknown (or repeated) top-level key is reported with an empty <c>module</c> and the name as <c>key</c>; broken
/// JSON as a general_error with both empty.</para>
/// </remarks>
public sealed class ConfigResult : IJsonMembers
{
    /// <summary>The LinkKit event identifier results are posted under unless the board names another (<c>thing/event/ConfigResult/post</c>).</summary>
    public const string DefaultEventIdentifier = "ConfigResult";

    /// <summary>The longest module name or key a result keeps, in bytes.</summary>
    public const int MaxNameLength = 32;

    private readonly byte[] _id = new byte[ConfigStore.MaxConfigIdLength];
    private readonly byte[] _module = new byte[MaxNameLength];
    private readonly int[] _codes;
    private readonly byte[] _modules;
    private readonly int[] _moduleLengths;
    private readonly byte[] _keys;
    private readonly int[] _keyLengths;
    private int _idLength;
    private int _moduleLength;
    private int _count;
    private int _dropped;
    private ConfigResultStatus _status;
    private JsonError _jsonError;
    private int _jsonErrorOffset;

    /// <summary>Creates a result that keeps up to <paramref name="maxErrors"/> errors.</summary>
    public ConfigResult(int maxErrors)
    {
        if (maxErrors < 1)
        {
            throw new ArgumentOutOfRangeException("maxErrors");
        }

        _codes = new int[maxErrors];
        _modules = new byte[maxErrors * MaxNameLength];
        _moduleLengths = new int[maxErrors];
        _keys = new byte[maxErrors * MaxNameLength];
        _keyLengths = new int[maxErrors];
    }

    /// <summary>What became of the config.</summary>
    public ConfigResultStatus Status
    {
        get { return _status; }
    }

    /// <summary>How many errors are kept (at most the capacity).</summary>
    public int ErrorCount
    {
        get { return _count; }
    }

    /// <summary>How many errors did not fit and were only counted.</summary>
    public int DroppedErrors
    {
        get { return _dropped; }
    }

    /// <summary>The JSON error that broke the config, or <see cref="Json.JsonError.None"/>.</summary>
    public JsonError JsonError
    {
        get { return _jsonError; }
    }

    /// <summary>The byte offset in the config file of <see cref="JsonError"/>.</summary>
    public int JsonErrorOffset
    {
        get { return _jsonErrorOffset; }
    }

    /// <summary>The config id's length in bytes.</summary>
    public int ConfigIdLength
    {
        get { return _idLength; }
    }

    /// <summary>Copies the config id into <paramref name="buffer"/> at <paramref name="offset"/>; returns its length.</summary>
    public int CopyConfigId(byte[] buffer, int offset)
    {
        Array.Copy(_id, 0, buffer, offset, _idLength);
        return _idLength;
    }

    /// <summary>The code of error <paramref name="index"/>.</summary>
    public ConfigErrorCode ErrorCode(int index)
    {
        return (ConfigErrorCode)_codes[Checked(index)];
    }

    /// <summary>The module name of error <paramref name="index"/> (a new string: for logs and tests).</summary>
    public string ErrorModule(int index)
    {
        index = Checked(index);
        return Utf8.GetString(_modules, index * MaxNameLength, _moduleLengths[index]);
    }

    /// <summary>The key of error <paramref name="index"/> (a new string: for logs and tests).</summary>
    public string ErrorKey(int index)
    {
        index = Checked(index);
        return Utf8.GetString(_keys, index * MaxNameLength, _keyLengths[index]);
    }

    /// <summary>The config id as text (a new string: for logs and tests).</summary>
    public string ConfigIdText()
    {
        return Utf8.GetString(_id, 0, _idLength);
    }

    /// <summary>Records an error of the module being validated about its section as a whole (no key).</summary>
    public void AddError(ConfigErrorCode code)
    {
        AddError(code, null, 0, 0);
    }

    /// <summary>Records an error of the module being validated for key <paramref name="key"/> (UTF-8).</summary>
    public void AddError(ConfigErrorCode code, byte[] key)
    {
        AddError(code, key, 0, key == null ? 0 : key.Length);
    }

    /// <summary>Records an error of the module being validated for <paramref name="count"/> key bytes of <paramref name="key"/> from <paramref name="offset"/>.</summary>
    public void AddError(ConfigErrorCode code, byte[] key, int offset, int count)
    {
        int slot = NextSlot(code);
        if (slot >= 0)
        {
            _keyLengths[slot] = CopyName(key, offset, count, _keys, slot * MaxNameLength);
        }
    }

    /// <summary>Records an error of the module being validated for the property name <paramref name="reader"/> stands on (its value for a string).</summary>
    public void AddError(ConfigErrorCode code, JsonReader reader)
    {
        int slot = NextSlot(code);
        if (slot < 0)
        {
            return;
        }

        int at = slot * MaxNameLength;
        int n = reader.CopyString(_keys, at, MaxNameLength);
        if (n < 0)
        {
            bool isString = reader.TokenKind == JsonTokenKind.PropertyName || reader.TokenKind == JsonTokenKind.String;
            n = isString ? CopyName(reader.TokenBuffer, reader.TokenIndex + 1, reader.TokenLength - 2, _keys, at) : 0;
        }

        _keyLengths[slot] = n;
    }

    /// <summary>Writes the result's members (no braces): the <c>params</c> of a LinkKit event.</summary>
    public void WriteMembers(JsonWriter writer)
    {
        writer.WriteName("configId");
        writer.WriteString(_id, 0, _idLength);
        writer.WriteProperty("status", StatusName(_status));
        writer.WriteName("errors");
        writer.BeginArray();
        for (int i = 0; i < _count; i++)
        {
            writer.BeginObject();
            writer.WriteName("module");
            writer.WriteString(_modules, i * MaxNameLength, _moduleLengths[i]);
            writer.WriteName("key");
            writer.WriteString(_keys, i * MaxNameLength, _keyLengths[i]);
            writer.WriteProperty("code", CodeName((ConfigErrorCode)_codes[i]));
            writer.EndObject();
        }

        writer.EndArray();
        if (_dropped > 0)
        {
            writer.WriteProperty("errorsDropped", _dropped);
        }

        if (_jsonError != JsonError.None)
        {
            writer.WriteProperty("jsonError", JsonErrorName(_jsonError));
            writer.WriteProperty("jsonErrorOffset", _jsonErrorOffset);
        }
    }

    /// <summary>Writes the result as one JSON object.</summary>
    /// <returns>False when <paramref name="writer"/> ran out of room.</returns>
    public bool WriteJson(JsonWriter writer)
    {
        writer.BeginObject();
        WriteMembers(writer);
        writer.EndObject();
        return !writer.Overflowed;
    }

    /// <summary>The wire name of <paramref name="status"/>: applied, rejected, rolled_back.</summary>
    public static string StatusName(ConfigResultStatus status)
    {
        switch (status)
        {
            case ConfigResultStatus.Applied:
                return "applied";
            case ConfigResultStatus.Rejected:
                return "rejected";
            default:
                return "rolled_back";
        }
    }

    /// <summary>The wire name of <paramref name="code"/>: key_not_recognized, format_not_valid, out_of_range, too_long, general_error.</summary>
    public static string CodeName(ConfigErrorCode code)
    {
        switch (code)
        {
            case ConfigErrorCode.KeyNotRecognized:
                return "key_not_recognized";
            case ConfigErrorCode.ValueFormatNotValid:
                return "format_not_valid";
            case ConfigErrorCode.ValueOutOfRange:
                return "out_of_range";
            case ConfigErrorCode.StringTooLong:
                return "too_long";
            default:
                return "general_error";
        }
    }

    /// <summary>The wire name of a JSON error (for example unexpected_character).</summary>
    public static string JsonErrorName(JsonError error)
    {
        switch (error)
        {
            case JsonError.None:
                return "none";
            case JsonError.UnexpectedEnd:
                return "unexpected_end";
            case JsonError.UnexpectedCharacter:
                return "unexpected_character";
            case JsonError.TrailingData:
                return "trailing_data";
            case JsonError.InvalidLiteral:
                return "invalid_literal";
            case JsonError.InvalidNumber:
                return "invalid_number";
            case JsonError.LeadingZero:
                return "leading_zero";
            case JsonError.ControlCharacter:
                return "control_character";
            case JsonError.InvalidEscape:
                return "invalid_escape";
            case JsonError.InvalidSurrogate:
                return "invalid_surrogate";
            case JsonError.InvalidUtf8:
                return "invalid_utf8";
            case JsonError.DepthExceeded:
                return "depth_exceeded";
            case JsonError.TokenTooLong:
                return "token_too_long";
            case JsonError.SourceFailed:
                return "storage_failed";
            default:
                return "json_error";
        }
    }

    /// <summary>Starts a new result for the config with the given id.</summary>
    internal void Start(ConfigResultStatus status, byte[] id, int offset, int count)
    {
        _status = status;
        _idLength = count < 0 ? 0 : (count > _id.Length ? _id.Length : count);
        if (_idLength > 0)
        {
            Array.Copy(id, offset, _id, 0, _idLength);
        }

        _count = 0;
        _dropped = 0;
        _moduleLength = 0;
        _jsonError = JsonError.None;
        _jsonErrorOffset = 0;
    }

    /// <summary>Changes the status, keeping id and errors.</summary>
    internal void SetStatus(ConfigResultStatus status)
    {
        _status = status;
    }

    /// <summary>Names the module the next errors belong to (empty for none).</summary>
    internal void SetModule(byte[] name, int offset, int count)
    {
        _moduleLength = CopyName(name, offset, count, _module, 0);
    }

    /// <summary>Records the JSON error that broke the config, as a general error.</summary>
    internal void SetJsonError(JsonError error, int offset)
    {
        _jsonError = error;
        _jsonErrorOffset = offset;
        AddError(ConfigErrorCode.GeneralError, null, 0, 0);
    }

    private int NextSlot(ConfigErrorCode code)
    {
        if (_count == _codes.Length)
        {
            _dropped++;
            return -1;
        }

        int slot = _count++;
        _codes[slot] = (int)code;
        Array.Copy(_module, 0, _modules, slot * MaxNameLength, _moduleLength);
        _moduleLengths[slot] = _moduleLength;
        return slot;
    }

    private int Checked(int index)
    {
        if (index < 0 || index >= _count)
        {
            throw new ArgumentOutOfRangeException("index");
        }

        return index;
    }

    // Copies at most MaxNameLength bytes, cut back to a UTF-8 character boundary.
    private static int CopyName(byte[] source, int offset, int count, byte[] target, int at)
    {
        if (source == null || count <= 0)
        {
            return 0;
        }

        if (count > MaxNameLength)
        {
            count = MaxNameLength;
            while (count > 0 && (source[offset + count] & 0xC0) == 0x80)
            {
                count--;
            }
        }

        Array.Copy(source, offset, target, at, count);
        return count;
    }
}
