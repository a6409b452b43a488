using CotaFirmware.Json;
using CotaFirmware.Text;

namespace CotaFirmware.Config;

/// <summary>A config module whose section is one object of known keys: the walk (each key once, unknown and repeated keys reported and skipped) is here; a module says what each key holds.</summary>
public abstract class SectionModule : IConfigModule
{
    private readonly byte[] _name;
    private readonly ConfigApplyPolicy _policy;
    private readonly bool _keysRequired;

    // The module's keys as UTF-8 bytes; a key's index is its place here.
    private readonly byte[][] _keys;

    /// <summary>A module for the section <paramref name="name"/> whose object may hold <paramref name="keys"/> (at most 32), every one of them when <paramref name="keysRequired"/>.</summary>
    protected SectionModule(string name, ConfigApplyPolicy policy, bool keysRequired, string[] keys)
    {
        _name = Utf8.GetBytes(name);
        _policy = policy;
        _keysRequired = keysRequired;
        _keys = Utf8.GetBytes(keys);
    }

    /// <inheritdoc/>
    public byte[] Name => _name;

    /// <inheritdoc/>
    public ConfigApplyPolicy Policy => _policy;

    /// <inheritdoc/>
    /// <remarks>A section that is not an object is <see cref="ConfigErrorCode.ValueFormatNotValid"/> with no key; so is a required key that is missing.</remarks>
    public void Validate(JsonReader section, ConfigErrors errors)
    {
        if (section.TokenKind != JsonTokenKind.BeginObject)
        {
            errors.AddError(ConfigErrorCode.ValueFormatNotValid);
            return;
        }

        int seen = 0;
        int key;
        while ((key = NextKey(section, errors, ref seen)) >= 0)
        {
            ConfigErrorCode error;
            if (!Accepts(key, section, out error))
            {
                errors.AddError(error, _keys[key]);
            }

            // A refused value may be a container: step over it to the next key.
            section.Skip();
        }

        for (key = 0; _keysRequired && key < _keys.Length; key++)
        {
            if ((seen & (1 << key)) == 0)
            {
                errors.AddError(ConfigErrorCode.ValueFormatNotValid, _keys[key]);
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The defaults first, then each accepted value over them. A config in flash is applied at boot without
    /// <see cref="Validate"/> and may predate these rules: a value they refuse leaves its default, and is stepped over.
    /// </remarks>
    public void Apply(JsonReader section)
    {
        ApplyDefaults();
        int seen = 0;
        int key;
        while ((key = NextKey(section, null, ref seen)) >= 0)
        {
            ConfigErrorCode refused;
            if (Accepts(key, section, out refused))
            {
                Take(key, section);
            }

            section.Skip();
        }
    }

    /// <inheritdoc/>
    public abstract void ApplyDefaults();

    /// <inheritdoc/>
    public virtual void Stop()
    {
    }

    /// <inheritdoc/>
    public virtual void Start()
    {
    }

    /// <summary>Checks the value of <paramref name="key"/> the reader stands on, changing nothing.</summary>
    /// <returns>True when it may be taken; otherwise false, with <paramref name="error"/> saying why.</returns>
    protected abstract bool Accepts(int key, JsonReader section, out ConfigErrorCode error);

    /// <summary>Takes the value of <paramref name="key"/> the reader stands on (it passed <see cref="Accepts"/>).</summary>
    protected abstract void Take(int key, JsonReader section);

    // Moves to the next of the module's keys in the section, with the reader on its value: the key's index, or -1 at the section's
    // end. Validation (errors not null) reports an unknown or repeated key; seen is the mask of the keys found so far.
    private int NextKey(JsonReader section, ConfigErrors errors, ref int seen)
    {
        while (section.Read() && section.TokenKind == JsonTokenKind.PropertyName)
        {
            int key = section.IndexOfValue(_keys);
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
                errors.AddError(ConfigErrorCode.DuplicateKey, _keys[key]);
            }

            section.Skip();
        }

        return -1;
    }
}
