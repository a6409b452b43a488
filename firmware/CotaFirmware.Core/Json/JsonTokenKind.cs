namespace CotaFirmware.Json;

/// <summary>The kind of token a <see cref="JsonReader"/> stands on.</summary>
public enum JsonTokenKind
{
    /// <summary>No token: before the first <see cref="JsonReader.Read"/>, at the end of the document, or after an error.</summary>
    None = 0,

    /// <summary><c>{</c>.</summary>
    BeginObject,

    /// <summary><c>}</c>.</summary>
    EndObject,

    /// <summary><c>[</c>.</summary>
    BeginArray,

    /// <summary><c>]</c>.</summary>
    EndArray,

    /// <summary>A string before a colon: the name of an object member.</summary>
    PropertyName,

    /// <summary>A string value.</summary>
    String,

    /// <summary>A number, validated against the RFC 8259 grammar.</summary>
    Number,

    /// <summary><c>true</c>.</summary>
    True,

    /// <summary><c>false</c>.</summary>
    False,

    /// <summary><c>null</c>.</summary>
    Null,
}
