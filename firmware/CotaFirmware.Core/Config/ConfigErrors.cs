using System;
using CotaFirmware.Json;
using CotaFirmware.Text;

namespace CotaFirmware.Config;

/// <summary>Why a config was refused or failed in the modules: per-module errors in fixed storage, written as a result's <c>errors</c>.</summary>
/// <remarks>
/// <para>Modules add errors while validating (<see cref="AddError(ConfigErrorCode, byte[])"/>); the applier fills in the
/// module name. At most the capacity given at construction is kept; further errors are only counted
/// (<see cref="DroppedErrors"/>). Names longer than <see cref="MaxNameLength"/> bytes are cut at a UTF-8 boundary.</para>
/// <para>JSON form (<see cref="WriteMembers"/>, members of the result object the COTA layer sends):
/// <c>"errors":[{"module":"wifi","key":"ssid","code":"too_long"}]</c>, plus <c>"errorsDropped":n</c> when errors were
/// dropped and <c>"jsonError":"..","jsonErrorOffset":n</c> for broken JSON. An unknown (or repeated: duplicate_key) top-level key is
/// reported with an empty <c>module</c> and the name as <c>key</c>; broken JSON as a general_error with both empty.</para>
/// </remarks>
public sealed class ConfigErrors : IJsonMembers
{
    /// <summary>The longest module name or key kept, in bytes.</summary>
    public const int MaxNameLength = 32;

    private readonly byte[] _module = new byte[MaxNameLength];
    private readonly int[] _codes;
    private readonly byte[] _modules;
    private readonly int[] _moduleLengths;
    private readonly byte[] _keys;
    private readonly int[] _keyLengths;
    private int _moduleLength;
    private int _count;
    private int _dropped;
    private JsonError _jsonError;
    private int _jsonErrorOffset;

    /// <summary>Creates a list that keeps up to <paramref name="maxErrors"/> errors.</summary>
    public ConfigErrors(int maxErrors)
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

    /// <summary>Where error <paramref name="index"/> is, spelt as results are read: <c>module.key</c>, <c>module</c>
    /// for the whole section, <c>key</c> for a top-level key (a new string: for logs and tests).</summary>
    public string ErrorPath(int index)
    {
        string module = ErrorModule(index);
        string key = ErrorKey(index);
        return module.Length > 0 && key.Length > 0 ? module + "." + key : module + key;
    }

    /// <summary>"1 error", "n errors" (for log lines).</summary>
    public static string Count(int errors)
    {
        return errors.ToString() + (errors == 1 ? " error" : " errors");
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

    /// <summary>Writes the errors as members of an open object: <c>"errors":[..]</c>, then <c>errorsDropped</c> and <c>jsonError</c> when set.</summary>
    public void WriteMembers(JsonWriter writer)
    {
        writer.WriteName("errors");
        writer.BeginArray();
        for (int i = 0; i < _count; i++)
        {
            writer.BeginObject();
            writer.WriteName("module");
            writer.WriteString(_modules, i * MaxNameLength, _moduleLengths[i]);
            writer.WriteName("key");
            writer.WriteString(_keys, i * MaxNameLength, _keyLengths[i]);
            writer.WriteProperty("code", ConfigNames.Of((ConfigErrorCode)_codes[i]));
            writer.EndObject();
        }

        writer.EndArray();
        if (_dropped > 0)
        {
            writer.WriteProperty("errorsDropped", _dropped);
        }

        if (_jsonError != JsonError.None)
        {
            writer.WriteProperty("jsonError", ConfigNames.Of(_jsonError));
            writer.WriteProperty("jsonErrorOffset", _jsonErrorOffset);
        }
    }

    /// <summary>Forgets every error.</summary>
    internal void Clear()
    {
        _count = 0;
        _dropped = 0;
        _moduleLength = 0;
        _jsonError = JsonError.None;
        _jsonErrorOffset = 0;
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
