using CotaFirmware.Json;
using CotaFirmware.Text;

namespace CotaFirmware.Config.Modules;

/// <summary>The status LED's idle pattern by name: section <c>"statusLed": {"pattern": "heartbeat"}</c>; the LED task restarts to take it.</summary>
public sealed class StatusLedPatternModule : IConfigModule
{
    /// <summary>Pattern index: the LED stays dark.</summary>
    public const int Off = 0;

    /// <summary>Pattern index: steady on.</summary>
    public const int Solid = 1;

    /// <summary>Pattern index: one short flash a second.</summary>
    public const int Heartbeat = 2;

    /// <summary>Pattern index: even blinking.</summary>
    public const int Blink = 3;

    private static readonly byte[] SectionName = Utf8.GetBytes("statusLed");
    private static readonly byte[][] Keys = new byte[][] { Utf8.GetBytes("pattern") };
    private static readonly byte[][] PatternNames = new byte[][] { Utf8.GetBytes("off"), Utf8.GetBytes("solid"), Utf8.GetBytes("heartbeat"), Utf8.GetBytes("blink") };

    private readonly int _defaultPattern;
    private int _pattern;
    private bool _running;
    private int _restarts;

    /// <summary>Creates the module with the board's default pattern (one of the pattern indexes).</summary>
    public StatusLedPatternModule(int defaultPattern)
    {
        _defaultPattern = defaultPattern;
        _pattern = defaultPattern;
    }

    /// <summary>The pattern in force (one of the pattern indexes).</summary>
    public int Pattern
    {
        get { return _pattern; }
    }

    /// <summary>True while the LED task runs.</summary>
    public bool IsRunning
    {
        get { return _running; }
    }

    /// <summary>How many times the LED task was started.</summary>
    public int Starts
    {
        get { return _restarts; }
    }

    /// <inheritdoc/>
    public byte[] Name
    {
        get { return SectionName; }
    }

    /// <inheritdoc/>
    public ConfigApplyPolicy Policy
    {
        get { return ConfigApplyPolicy.RestartModule; }
    }

    /// <inheritdoc/>
    public void Validate(JsonReader section, ConfigErrors errors)
    {
        if (!ModuleSection.IsObject(section, errors))
        {
            return;
        }

        int seen = 0;
        while (ModuleSection.NextKey(section, Keys, errors, ref seen) >= 0)
        {
            if (section.TokenKind != JsonTokenKind.String)
            {
                errors.AddError(ConfigErrorCode.ValueFormatNotValid, Keys[0]);
                section.Skip();
            }
            else if (section.IndexOfValue(PatternNames) < 0)
            {
                errors.AddError(ConfigErrorCode.ValueOutOfRange, Keys[0]);
            }
        }
    }

    /// <inheritdoc/>
    public void Apply(JsonReader section)
    {
        _pattern = _defaultPattern;
        int seen = 0;
        while (ModuleSection.NextKey(section, Keys, null, ref seen) >= 0)
        {
            int found = section.IndexOfValue(PatternNames);
            if (found >= 0)
            {
                _pattern = found;
            }
        }
    }

    /// <inheritdoc/>
    public void ApplyDefaults()
    {
        _pattern = _defaultPattern;
    }

    /// <inheritdoc/>
    public void Stop()
    {
        _running = false;
    }

    /// <inheritdoc/>
    public void Start()
    {
        _running = true;
        _restarts++;
    }
}
