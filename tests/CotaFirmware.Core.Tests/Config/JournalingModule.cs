using System.Collections;
using CotaFirmware.Config;
using CotaFirmware.Json;

namespace CotaFirmware.Tests.Config;

/// <summary>A module for the applier's tests: it journals every call and keeps the integer of its section's key "v".</summary>
public sealed class JournalingModule : IConfigModule
{
    private static readonly byte[] ValueKey = ConfigFixture.Ascii("v");
    private readonly byte[] _name;
    private readonly ConfigApplyPolicy _policy;
    private readonly ArrayList _journal;

    /// <summary>The error Validate reports, or -1 for none.</summary>
    public int RejectCode = -1;

    /// <summary>The key Validate names in its error.</summary>
    public string RejectKey = "v";

    /// <summary>How many times Validate reports that error.</summary>
    public int RejectCount = 1;

    /// <summary>The value of "v" in force (-1 for the defaults).</summary>
    public int Value = -1;

    /// <summary>Apply throws after taking this value (a module that fails on it); int.MinValue: never.</summary>
    public int FailOn = int.MinValue;

    /// <summary>When set, Validate first makes this storage's config slots unreadable (a flash read error while it reads).</summary>
    public MemoryStorage ReadFailsOnValidate;

    /// <summary>When set, Apply first makes this storage's config slots unreadable.</summary>
    public MemoryStorage ReadFailsOnApply;

    /// <summary>Creates a module journaling into <paramref name="journal"/>.</summary>
    public JournalingModule(string name, ConfigApplyPolicy policy, ArrayList journal)
    {
        _name = ConfigFixture.Ascii(name);
        _policy = policy;
        _journal = journal;
    }

    /// <inheritdoc/>
    public byte[] Name
    {
        get { return _name; }
    }

    /// <inheritdoc/>
    public ConfigApplyPolicy Policy
    {
        get { return _policy; }
    }

    /// <inheritdoc/>
    public void Validate(JsonReader section, ConfigErrors errors)
    {
        Note("validate");
        if (ReadFailsOnValidate != null)
        {
            ReadFailsOnValidate.UnreadableArea = "cfg-";
        }

        while (section.Read())
        {
        }

        for (int i = 0; RejectCode >= 0 && i < RejectCount; i++)
        {
            errors.AddError((ConfigErrorCode)RejectCode, ConfigFixture.Ascii(RejectKey));
        }
    }

    /// <inheritdoc/>
    public void Apply(JsonReader section)
    {
        if (ReadFailsOnApply != null)
        {
            ReadFailsOnApply.UnreadableArea = "cfg-";
        }

        Value = -1;
        while (section.Read() && section.TokenKind == JsonTokenKind.PropertyName)
        {
            if (section.ValueEquals(ValueKey) && section.Read())
            {
                section.TryGetInt32(out Value);
            }
            else
            {
                section.Skip();
            }
        }

        Note("apply=" + Value.ToString());
        if (Value == FailOn)
        {
            throw new System.InvalidOperationException("module fails on " + Value.ToString());
        }
    }

    /// <inheritdoc/>
    public void ApplyDefaults()
    {
        Value = -1;
        Note("defaults");
    }

    /// <inheritdoc/>
    public void Stop()
    {
        Note("stop");
    }

    /// <inheritdoc/>
    public void Start()
    {
        Note("start");
    }

    private void Note(string what)
    {
        _journal.Add(NameText() + " " + what);
    }

    private string NameText()
    {
        char[] chars = new char[_name.Length];
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)_name[i];
        }

        return new string(chars);
    }
}
