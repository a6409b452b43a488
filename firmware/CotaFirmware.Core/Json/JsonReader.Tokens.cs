using System;
using CotaFirmware.Crypto;
using CotaFirmware.Text;

namespace CotaFirmware.Json;

// The current token: where its bytes are, and its value read in place (compared, copied unescaped, or as an integer).
public sealed partial class JsonReader
{
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

    /// <summary>For a number: whether it is written as an integer (no fraction, no exponent), whatever its size.</summary>
    public bool IsInteger => _kind == JsonTokenKind.Number && _isInteger;

    /// <summary>For a string or property name: its length in bytes once unescaped (what <see cref="CopyString"/> writes).</summary>
    public int StringLength => _stringLength;

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

    /// <summary>The index of the first of <paramref name="literals"/> that the current string or property name equals (as <see cref="ValueEquals(byte[])"/>), or -1.</summary>
    public int IndexOfValue(byte[][] literals)
    {
        for (int i = 0; i < literals.Length; i++)
        {
            if (ValueEquals(literals[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Compares the current string or property name, unescaped, with <paramref name="count"/> UTF-8 bytes of <paramref name="literal"/> from <paramref name="offset"/>.</summary>
    /// <returns>True when equal; false when different or when the current token is not a string or property name.</returns>
    public bool ValueEquals(byte[] literal, int offset, int count)
    {
        ByteView.Check(literal, offset, count);

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
        ByteView.Check(destination, offset, count);

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
}
