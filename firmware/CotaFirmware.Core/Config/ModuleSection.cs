using CotaFirmware.Json;

namespace CotaFirmware.Config;

/// <summary>The walk of a module's section object: each of the module's keys once, with unknown and repeated keys reported and skipped.</summary>
public static class ModuleSection
{
    /// <summary>True when the section is an object; otherwise it is reported to <paramref name="errors"/> (<see cref="ConfigErrorCode.ValueFormatNotValid"/>, no key).</summary>
    public static bool IsObject(JsonReader section, ConfigErrors errors)
    {
        if (section.TokenKind == JsonTokenKind.BeginObject)
        {
            return true;
        }

        errors.AddError(ConfigErrorCode.ValueFormatNotValid);
        return false;
    }

    /// <summary>Moves to the next of <paramref name="keys"/> in the section (the reader on its value).</summary>
    /// <param name="section">The section, at its <c>{</c> before the first call.</param>
    /// <param name="keys">The module's keys (at most 32).</param>
    /// <param name="errors">Where validation reports an unknown key (<see cref="ConfigErrorCode.KeyNotRecognized"/>) and a repeated one
    /// (<see cref="ConfigErrorCode.DuplicateKey"/>); null when applying a validated section.</param>
    /// <param name="seen">The mask of the keys found so far: 0 before the first call.</param>
    /// <returns>The key's index in <paramref name="keys"/>, or -1 at the section's end.</returns>
    public static int NextKey(JsonReader section, byte[][] keys, ConfigErrors errors, ref int seen)
    {
        while (section.Read() && section.TokenKind == JsonTokenKind.PropertyName)
        {
            int key = section.IndexOfValue(keys);
            if (key >= 0 && (seen & (1 << key)) == 0)
            {
                seen |= 1 << key;
                section.Read();
                return key;
            }

            if (errors != null && key < 0)
            {
                errors.AddError(ConfigErrorCode.KeyNotRecognized, section);
            }
            else if (errors != null)
            {
                errors.AddError(ConfigErrorCode.DuplicateKey, keys[key]);
            }

            section.Skip();
        }

        return -1;
    }
}
