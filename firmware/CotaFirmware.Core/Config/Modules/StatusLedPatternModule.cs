using CotaFirmware.Json;
using CotaFirmware.Text;

namespace CotaFirmware.Config.Modules;

/// <summary>The status LED's idle pattern by name: section <c>"statusLed": {"pattern": "heartbeat"}</c>; the LED task restarts to take it.</summary>
public sealed class StatusLedPatternModule : SectionModule
{
    // In StatusLedPattern's order: a name's index is its pattern.
    private static readonly byte[][] PatternNames = Utf8.GetBytes(new string[] { "off", "solid", "heartbeat", "blink" });

    private readonly StatusLedPattern _defaultPattern;
    private StatusLedPattern _pattern;
    private bool _running;
    private int _starts;

    /// <summary>Creates the module with the board's default pattern.</summary>
    public StatusLedPatternModule(StatusLedPattern defaultPattern)
        : base("statusLed", ConfigApplyPolicy.RestartModule, false, new string[] { "pattern" })
    {
        _defaultPattern = defaultPattern;
        _pattern = defaultPattern;
    }

    /// <summary>The pattern in force.</summary>
    public StatusLedPattern Pattern => _pattern;

    /// <summary>True while the LED task runs.</summary>
    public bool IsRunning => _running;

    /// <summary>How many times the LED task was started.</summary>
    public int Starts => _starts;

    /// <inheritdoc/>
    public override void ApplyDefaults()
    {
        _pattern = _defaultPattern;
    }

    /// <inheritdoc/>
    public override void Stop()
    {
        _running = false;
    }

    /// <inheritdoc/>
    public override void Start()
    {
        _running = true;
        _starts++;
    }

    /// <inheritdoc/>
    protected override bool Accepts(int key, JsonReader section, out ConfigErrorCode error)
    {
        error = section.TokenKind == JsonTokenKind.String ? ConfigErrorCode.ValueOutOfRange : ConfigErrorCode.ValueFormatNotValid;
        return section.IndexOfValue(PatternNames) >= 0;
    }

    /// <inheritdoc/>
    protected override void Take(int key, JsonReader section)
    {
        _pattern = (StatusLedPattern)section.IndexOfValue(PatternNames);
    }
}
