namespace CotaFirmware.Json;

/// <summary>Why a <see cref="JsonReader"/> stopped; <see cref="JsonReader.ErrorOffset"/> says where.</summary>
public enum JsonError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The document ended inside a value, or held no value at all.</summary>
    UnexpectedEnd,

    /// <summary>A byte that cannot start or continue anything at this point (missing comma or colon, trailing comma, mismatched bracket, stray byte).</summary>
    UnexpectedCharacter,

    /// <summary>Something other than whitespace follows the top-level value.</summary>
    TrailingData,

    /// <summary>A misspelt <c>true</c>, <c>false</c> or <c>null</c>.</summary>
    InvalidLiteral,

    /// <summary>A number that breaks the grammar (missing digits, a bare sign or point, a letter glued to it).</summary>
    InvalidNumber,

    /// <summary>A number with a leading zero, such as <c>012</c>.</summary>
    LeadingZero,

    /// <summary>An unescaped control character (below U+0020) inside a string.</summary>
    ControlCharacter,

    /// <summary>A backslash followed by anything but <c>" \ / b f n r t</c> or <c>u</c> and four hex digits.</summary>
    InvalidEscape,

    /// <summary>A <c>\u</c> escape of a lone or misordered UTF-16 surrogate.</summary>
    InvalidSurrogate,

    /// <summary>A string holding bytes that are not well-formed UTF-8 (overlong, surrogate, above U+10FFFF, truncated, stray continuation).</summary>
    InvalidUtf8,

    /// <summary>Containers nested deeper than the reader's <see cref="JsonReader.MaxDepth"/>.</summary>
    DepthExceeded,

    /// <summary>A token that does not fit in the read window (see <see cref="JsonReader.WindowLength"/>).</summary>
    TokenTooLong,

    /// <summary>The <see cref="IJsonSource"/> reported a failure (see <see cref="JsonReader.SourceStatus"/>).</summary>
    SourceFailed,
}
