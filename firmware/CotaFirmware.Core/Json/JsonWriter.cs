using System;
using CotaFirmware.Crypto;
using CotaFirmware.Text;

namespace CotaFirmware.Json;

/// <summary>Writes one JSON text into a fixed byte buffer, allocation-free, with commas and escaping handled.</summary>
/// <remarks>
/// The writer only appends: names and values are placed in the order they are called, and commas are added
/// between members. When a write does not fit, nothing of it is written, the writer is marked
/// <see cref="Overflowed"/> and every later write returns false, so a caller may write a whole message and check
/// once at the end. Names and strings given as bytes are taken to be UTF-8 already and allocate nothing: steady-state
/// messages keep their names as bytes, encoded once. Those given as <see cref="string"/> go through the UTF-8 codec
/// (a lone surrogate becomes U+FFFD), which allocates. Misuse (closing what was not opened, nesting deeper than
/// <see cref="MaxDepth"/>) is a programming error and throws <see cref="InvalidOperationException"/>.
/// </remarks>
public sealed class JsonWriter
{
    /// <summary>The deepest nesting of objects and arrays the writer tracks.</summary>
    public const int MaxDepth = 32;

    private static readonly byte[] NullLiteral = Utf8.GetBytes("null");

    private readonly byte[] _buffer;
    private readonly int _start;
    private readonly int _end;
    private int _position;
    private bool _needComma;
    private bool _overflowed;
    private int _depth;

    // Bit i set: level i is an array; clear: an object.
    private uint _arrayLevels;

    /// <summary>Creates a writer over <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
    public JsonWriter(byte[] buffer, int offset, int count)
    {
        ByteView.Check(buffer, offset, count);

        _buffer = buffer;
        _start = offset;
        _end = offset + count;
        _position = offset;
    }

    /// <summary>The buffer written into.</summary>
    public byte[] Buffer => _buffer;

    /// <summary>Where the text starts in <see cref="Buffer"/>.</summary>
    public int Offset => _start;

    /// <summary>The number of bytes written so far.</summary>
    public int Length => _position - _start;

    /// <summary>The number of bytes the buffer can hold in all.</summary>
    public int Capacity => _end - _start;

    /// <summary>True once a write did not fit; the text is then incomplete and must not be sent.</summary>
    public bool Overflowed => _overflowed;

    /// <summary>The number of objects and arrays opened and not yet closed.</summary>
    public int Depth => _depth;

    /// <summary>True when at least one value was written, every object and array is closed, and nothing overflowed.</summary>
    public bool IsComplete => !_overflowed && _depth == 0 && _position > _start;

    /// <summary>Forgets everything written and starts a new text at <see cref="Offset"/>.</summary>
    public void Reset()
    {
        _position = _start;
        _needComma = false;
        _overflowed = false;
        _depth = 0;
        _arrayLevels = 0;
    }

    /// <summary>Opens an object (<c>{</c>).</summary>
    /// <returns>False when it did not fit.</returns>
    public bool BeginObject() => Open(false, (byte)'{');

    /// <summary>Closes the innermost object (<c>}</c>).</summary>
    /// <returns>False when it did not fit.</returns>
    public bool EndObject() => Close(false, (byte)'}');

    /// <summary>Opens an array (<c>[</c>).</summary>
    /// <returns>False when it did not fit.</returns>
    public bool BeginArray() => Open(true, (byte)'[');

    /// <summary>Closes the innermost array (<c>]</c>).</summary>
    /// <returns>False when it did not fit.</returns>
    public bool EndArray() => Close(true, (byte)']');

    /// <summary>Writes a member name and its colon; the next call writes the member's value (allocates: see the remarks).</summary>
    /// <returns>False when it did not fit.</returns>
    public bool WriteName(string name)
    {
        if (name == null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        byte[] bytes = Utf8.GetBytes(name);
        return WriteName(bytes, 0, bytes.Length);
    }

    /// <summary>Writes a member name given as UTF-8 bytes (all of <paramref name="name"/>) and its colon.</summary>
    /// <returns>False when it did not fit.</returns>
    public bool WriteName(byte[] name) => WriteName(name, 0, name.Length);

    /// <summary>Writes a member name given as UTF-8 bytes and its colon; the next call writes the member's value.</summary>
    /// <returns>False when it did not fit.</returns>
    public bool WriteName(byte[] name, int offset, int count)
    {
        int position = _position;
        bool needComma = _needComma;
        if (!WriteString(name, offset, count))
        {
            return false;
        }

        if (!PutColon())
        {
            // Nothing of a write that does not fit stays: not the name without its colon either.
            _position = position;
            _needComma = needComma;
            return false;
        }

        return true;
    }

    /// <summary>Writes a string value, escaped, or <c>null</c> when <paramref name="value"/> is null (allocates: see the remarks).</summary>
    /// <returns>False when it did not fit.</returns>
    public bool WriteString(string value)
    {
        if (value == null)
        {
            return WriteRaw(NullLiteral, 0, 4);
        }

        byte[] bytes = Utf8.GetBytes(value);
        return WriteString(bytes, 0, bytes.Length);
    }

    /// <summary>Writes a string value given as UTF-8 bytes, escaping quotes, backslashes and control characters.</summary>
    /// <returns>False when it did not fit.</returns>
    public bool WriteString(byte[] value, int offset, int count)
    {
        ByteView.Check(value, offset, count);
        int p = Place(1);
        if (p < 0)
        {
            return false;
        }

        byte[] b = _buffer;
        int end = _end;
        b[p++] = (byte)'"';
        int stop = offset + count;
        for (int i = offset; i < stop; i++)
        {
            int c = value[i];
            if (c >= 0x20 && c != '"' && c != '\\')
            {
                if (p >= end)
                {
                    return Overflow();
                }

                b[p++] = (byte)c;
                continue;
            }

            p = WriteEscape(b, p, end, c);
            if (p < 0)
            {
                return Overflow();
            }
        }

        if (p >= end)
        {
            return Overflow();
        }

        b[p++] = (byte)'"';
        _position = p;
        _needComma = true;
        return true;
    }

    /// <summary>Writes an integer value in decimal.</summary>
    /// <returns>False when it did not fit.</returns>
    public bool WriteInteger(long value)
    {
        // Digits are produced from the negative side so that long.MinValue needs no special case.
        long v = value < 0 ? value : -value;
        int digits = 1;
        for (long t = v / 10; t != 0; t /= 10)
        {
            digits++;
        }

        int p = Place(digits + (value < 0 ? 1 : 0));
        if (p < 0)
        {
            return false;
        }

        byte[] b = _buffer;
        if (value < 0)
        {
            b[p++] = (byte)'-';
        }

        int last = p + digits - 1;
        for (int i = last; i >= p; i--)
        {
            b[i] = (byte)('0' - (int)(v % 10));
            v /= 10;
        }

        _position = last + 1;
        _needComma = true;
        return true;
    }

    /// <summary>Writes bytes that already are one JSON value (a number, an object, ...), unchecked, as a value.</summary>
    /// <returns>False when it did not fit.</returns>
    public bool WriteRaw(byte[] json, int offset, int count)
    {
        ByteView.Check(json, offset, count);
        int p = Place(count);
        if (p < 0)
        {
            return false;
        }

        Array.Copy(json, offset, _buffer, p, count);
        _position = p + count;
        _needComma = true;
        return true;
    }

    /// <summary>Writes a member whose value is a string.</summary>
    /// <returns>False when it did not fit.</returns>
    public bool WriteProperty(string name, string value) => WriteName(name) && WriteString(value);

    /// <summary>Writes a member whose value is an integer.</summary>
    /// <returns>False when it did not fit.</returns>
    public bool WriteProperty(string name, long value) => WriteName(name) && WriteInteger(value);

    /// <summary>Writes a member whose name and string value are given as UTF-8 bytes (all of each array).</summary>
    /// <returns>False when it did not fit.</returns>
    public bool WriteProperty(byte[] name, byte[] value) => WriteName(name, 0, name.Length) && WriteString(value, 0, value.Length);

    /// <summary>Writes a member whose name is given as UTF-8 bytes and whose value is an integer.</summary>
    /// <returns>False when it did not fit.</returns>
    public bool WriteProperty(byte[] name, long value) => WriteName(name, 0, name.Length) && WriteInteger(value);

    private bool Open(bool array, byte mark)
    {
        if (_depth >= MaxDepth)
        {
            throw new InvalidOperationException("JSON nesting deeper than " + MaxDepth);
        }

        // The nesting is tracked even after an overflow, so a caller may write the whole message and check once.
        if (array)
        {
            _arrayLevels |= 1u << _depth;
        }
        else
        {
            _arrayLevels &= ~(1u << _depth);
        }

        _depth++;
        int p = Place(1);
        if (p < 0)
        {
            return false;
        }

        _buffer[p++] = mark;
        _position = p;
        _needComma = false;
        return true;
    }

    private bool Close(bool array, byte mark)
    {
        if (_depth == 0 || ((_arrayLevels >> (_depth - 1)) & 1u) != (array ? 1u : 0u))
        {
            throw new InvalidOperationException(array ? "no open JSON array to close" : "no open JSON object to close");
        }

        _depth--;
        if (_overflowed)
        {
            return false;
        }

        if (_position >= _end)
        {
            return Overflow();
        }

        _buffer[_position++] = mark;
        _needComma = true;
        return true;
    }

    // Makes room for a value of count bytes and the comma before it, when one is due, and writes the comma: where the
    // value goes, or -1 when it does not fit (the writer has overflowed; its position has not moved).
    private int Place(int count)
    {
        int p = _position;
        if (_overflowed || p + count + (_needComma ? 1 : 0) > _end)
        {
            Overflow();
            return -1;
        }

        if (_needComma)
        {
            _buffer[p++] = (byte)',';
        }

        return p;
    }

    private bool PutColon()
    {
        if (_position >= _end)
        {
            return Overflow();
        }

        _buffer[_position++] = (byte)':';
        _needComma = false;
        return true;
    }

    private bool Overflow()
    {
        _overflowed = true;
        return false;
    }

    // Writes the escape of an ASCII character that JSON strings cannot hold as is (quote, backslash, controls);
    // returns the position after it, or -1 when it does not fit before end.
    private static int WriteEscape(byte[] b, int p, int end, int c)
    {
        int e = EscapeLetter(c);
        if (e != 0)
        {
            if (p + 2 > end)
            {
                return -1;
            }

            b[p++] = (byte)'\\';
            b[p++] = (byte)e;
            return p;
        }

        if (p + 6 > end)
        {
            return -1;
        }

        b[p++] = (byte)'\\';
        b[p++] = (byte)'u';
        b[p++] = (byte)'0';
        b[p++] = (byte)'0';
        b[p++] = (byte)Hex.Digit(c >> 4, false);
        b[p++] = (byte)Hex.Digit(c & 0xF, false);
        return p;
    }

    private static int EscapeLetter(int c)
    {
        switch (c)
        {
            case '"': return '"';
            case '\\': return '\\';
            case '\b': return 'b';
            case '\f': return 'f';
            case '\n': return 'n';
            case '\r': return 'r';
            case '\t': return 't';
            default: return 0;
        }
    }
}
