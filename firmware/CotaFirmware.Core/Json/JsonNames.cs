namespace CotaFirmware.Json;

/// <summary>The names of the Json layer's values, for log lines and results (the device prints an enum as its number).</summary>
public static class JsonNames
{
    /// <summary>The name of <paramref name="error"/> in snake case (<c>unexpected_character</c>, <c>token_too_long</c>, ...).</summary>
    public static string Of(JsonError error)
    {
        switch (error)
        {
            case JsonError.None: return "none";
            case JsonError.UnexpectedEnd: return "unexpected_end";
            case JsonError.UnexpectedCharacter: return "unexpected_character";
            case JsonError.TrailingData: return "trailing_data";
            case JsonError.InvalidLiteral: return "invalid_literal";
            case JsonError.InvalidNumber: return "invalid_number";
            case JsonError.LeadingZero: return "leading_zero";
            case JsonError.ControlCharacter: return "control_character";
            case JsonError.InvalidEscape: return "invalid_escape";
            case JsonError.InvalidSurrogate: return "invalid_surrogate";
            case JsonError.InvalidUtf8: return "invalid_utf8";
            case JsonError.DepthExceeded: return "depth_exceeded";
            case JsonError.TokenTooLong: return "token_too_long";
            case JsonError.SourceFailed: return "source_failed";
            default: return "json_error";
        }
    }
}
