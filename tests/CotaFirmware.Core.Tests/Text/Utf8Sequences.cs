namespace CotaFirmware.Tests.Text;

/// <summary>The byte sequences every UTF-8 check of the core is held to: well-formed ones of each length, and malformed ones by name.</summary>
public static class Utf8Sequences
{
    /// <summary>Well-formed: two, three and four bytes, U+10FFFF, and nothing.</summary>
    public static readonly byte[][] WellFormed =
    {
        new byte[] { 0xC3, 0xA9 },
        new byte[] { 0xE4, 0xB8, 0xAD },
        new byte[] { 0xF0, 0x9F, 0x98, 0x80 },
        new byte[] { 0xF4, 0x8F, 0xBF, 0xBF },
        new byte[0],
    };

    /// <summary>Not UTF-8, each named at the same index in <see cref="MalformedNames"/>.</summary>
    public static readonly byte[][] Malformed =
    {
        new byte[] { 0xC0, 0x80 },
        new byte[] { 0xE0, 0x80, 0xAF },
        new byte[] { 0xF0, 0x80, 0x80, 0xAF },
        new byte[] { 0xED, 0xA0, 0x80 },
        new byte[] { 0xF4, 0x90, 0x80, 0x80 },
        new byte[] { 0x80 },
        new byte[] { 0xE4, 0xB8 },
        new byte[] { 0xC3, 0x41 },
        new byte[] { 0xFF },
    };

    /// <summary>What is wrong with each of <see cref="Malformed"/>.</summary>
    public static readonly string[] MalformedNames =
    {
        "overlong NUL", "overlong 3-byte", "overlong 4-byte", "surrogate", "above U+10FFFF", "stray continuation",
        "truncated", "bad continuation", "a byte UTF-8 never uses",
    };
}
