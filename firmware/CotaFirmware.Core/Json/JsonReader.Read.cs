using System;

namespace CotaFirmware.Json;

// The dispatcher: Read, the byte classes it dispatches on, and the fast path for the common scalars.
public sealed partial class JsonReader
{
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

    // The literals as little-endian words: "true", "null", and the last four bytes of "false" (its 'f' chose the
    // kind). The fast path compares them whole, ScanLiteral byte by byte.
    private const uint TrueWord = 0x65757274;
    private const uint NullWord = 0x6C6C756E;
    private const uint AlseWord = 0x65736C61;

    /// <summary>Advances to the next token.</summary>
    /// <returns>True on a token; false at the clean end of the document (<see cref="Error"/> is None) or on an error.</returns>
    /// <remarks>
    /// The one dispatcher. Written for the device's interpreter, where every IL instruction costs alike and a call or
    /// a field access costs several: the cursor and the grammar state live in locals, one table jump on the byte's
    /// class checks the grammar, separators and whitespace loop here, and each scalar goes through the fast path (one
    /// fenced block below) and, when that cannot finish it, its kind's scanner (JsonReader.Scanners.cs). While
    /// <see cref="Skip"/> runs, tokens inside the skipped value do not return.
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

                case ClassQuote:
                    if (s == State.Value || s == State.ValueOrEndArray)
                    {
                        kind = JsonTokenKind.String;
                        s = depth == 0 ? State.End : State.CommaOrEnd;
                        goto FastString;
                    }

                    if (s == State.Name || s == State.NameOrEndObject)
                    {
                        kind = JsonTokenKind.PropertyName;
                        s = State.Colon;
                        goto FastString;
                    }

                    goto Unexpected;

                case ClassNumber:
                    if (s != State.Value && s != State.ValueOrEndArray)
                    {
                        goto Unexpected;
                    }

                    kind = JsonTokenKind.Number;
                    s = depth == 0 ? State.End : State.CommaOrEnd;
                    goto FastNumber;

                case ClassTrue:
                    kind = JsonTokenKind.True;
                    goto FastLiteral;

                case ClassFalse:
                    kind = JsonTokenKind.False;
                    goto FastLiteral;

                case ClassNull:
                    kind = JsonTokenKind.Null;
                    goto FastLiteral;
            }

        Unexpected:
            return Fail(s == State.End ? JsonError.TrailingData : JsonError.UnexpectedCharacter, p);

        // ---- The fast path, the only one: the common scalars (plain ASCII strings, integers and plain fractions,
        // whole literals) are scanned here in place, without a call. Whatever it cannot finish goes on to its kind's
        // scanner, which checks it from the start (numbers, literals) or from where this stopped (strings). ----
        FastLiteral:
            if (s != State.Value && s != State.ValueOrEndArray)
            {
                goto Unexpected;
            }

            s = depth == 0 ? State.End : State.CommaOrEnd;
            if (LittleEndian)
            {
                // true and null as one word; false as its last four bytes (its 'f' chose the case).
                i = kind == JsonTokenKind.False ? p + 5 : p + 4;
                if (i <= e && BitConverter.ToUInt32(buf, i - 4)
                    == (kind == JsonTokenKind.True ? TrueWord : (kind == JsonTokenKind.Null ? NullWord : AlseWord)))
                {
                    goto ScalarEnd;
                }
            }

            i = ScanLiteral(p, kind);
            goto Scanned;

        FastNumber:
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

        FastString:
            // 8 bytes per step. A top bit in the mask marks a byte that is not plain: one of its own (0x80 and up), or
            // a borrow out of a byte below 0x20, or out of a quote or backslash turned to 0 by the XOR. Borrows only
            // run upward, so the lowest marked byte is the first byte that is not plain.
            i = p + 1;
            while (i <= e - 8)
            {
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

            i = ScanString(p, i);

        // ---- End of the fast path. ----
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
