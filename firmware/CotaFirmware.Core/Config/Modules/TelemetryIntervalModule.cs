using CotaFirmware.Json;

namespace CotaFirmware.Config.Modules;

/// <summary>How often telemetry is posted: section <c>"telemetry": {"intervalSeconds": 60}</c>, taken live.</summary>
public sealed class TelemetryIntervalModule : SectionModule
{
    /// <summary>The shortest interval, in seconds.</summary>
    public const int MinSeconds = 1;

    /// <summary>The longest interval (a day), in seconds.</summary>
    public const int MaxSeconds = 86400;

    private readonly int _defaultSeconds;
    private int _seconds;

    /// <summary>Creates the module with the board's default interval.</summary>
    public TelemetryIntervalModule(int defaultSeconds)
        : base("telemetry", ConfigApplyPolicy.Live, false, new string[] { "intervalSeconds" })
    {
        _defaultSeconds = defaultSeconds;
        _seconds = defaultSeconds;
    }

    /// <summary>The interval in force, in seconds.</summary>
    public int IntervalSeconds => _seconds;

    /// <inheritdoc/>
    public override void ApplyDefaults()
    {
        _seconds = _defaultSeconds;
    }

    /// <inheritdoc/>
    protected override bool Accepts(int key, JsonReader section, out ConfigErrorCode error)
    {
        int value;
        if (!section.TryGetInt32(out value))
        {
            // An integer too large for int32 is still a number: out of range, not malformed.
            error = section.IsInteger ? ConfigErrorCode.ValueOutOfRange : ConfigErrorCode.ValueFormatNotValid;
            return false;
        }

        error = ConfigErrorCode.ValueOutOfRange;
        return value >= MinSeconds && value <= MaxSeconds;
    }

    /// <inheritdoc/>
    protected override void Take(int key, JsonReader section)
    {
        section.TryGetInt32(out _seconds);
    }
}
