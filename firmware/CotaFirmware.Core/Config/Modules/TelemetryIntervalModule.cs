using CotaFirmware.Json;
using CotaFirmware.Text;

namespace CotaFirmware.Config.Modules;

/// <summary>How often telemetry is posted: section <c>"telemetry": {"intervalSeconds": 60}</c>, taken live.</summary>
public sealed class TelemetryIntervalModule : IConfigModule
{
    /// <summary>The shortest interval, in seconds.</summary>
    public const int MinSeconds = 1;

    /// <summary>The longest interval (a day), in seconds.</summary>
    public const int MaxSeconds = 86400;

    private static readonly byte[] SectionName = Utf8.GetBytes("telemetry");
    private static readonly byte[][] Keys = new byte[][] { Utf8.GetBytes("intervalSeconds") };

    private readonly int _defaultSeconds;
    private int _seconds;

    /// <summary>Creates the module with the board's default interval.</summary>
    public TelemetryIntervalModule(int defaultSeconds)
    {
        _defaultSeconds = defaultSeconds;
        _seconds = defaultSeconds;
    }

    /// <summary>The interval in force, in seconds.</summary>
    public int IntervalSeconds
    {
        get { return _seconds; }
    }

    /// <inheritdoc/>
    public byte[] Name
    {
        get { return SectionName; }
    }

    /// <inheritdoc/>
    public ConfigApplyPolicy Policy
    {
        get { return ConfigApplyPolicy.Live; }
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
            int value;
            if (section.TokenKind != JsonTokenKind.Number || !section.TryGetInt32(out value))
            {
                // An integer too large for int32 is still a number: out of range, not malformed.
                bool number = section.TokenKind == JsonTokenKind.Number && IsWholeNumber(section);
                errors.AddError(number ? ConfigErrorCode.ValueOutOfRange : ConfigErrorCode.ValueFormatNotValid, Keys[0]);
                section.Skip();
            }
            else if (value < MinSeconds || value > MaxSeconds)
            {
                errors.AddError(ConfigErrorCode.ValueOutOfRange, Keys[0]);
            }
        }
    }

    /// <inheritdoc/>
    public void Apply(JsonReader section)
    {
        _seconds = _defaultSeconds;
        int seen = 0;
        while (ModuleSection.NextKey(section, Keys, null, ref seen) >= 0)
        {
            int value;
            if (section.TryGetInt32(out value))
            {
                _seconds = value;
            }
        }
    }

    /// <inheritdoc/>
    public void ApplyDefaults()
    {
        _seconds = _defaultSeconds;
    }

    /// <inheritdoc/>
    public void Stop()
    {
    }

    /// <inheritdoc/>
    public void Start()
    {
    }

    private static bool IsWholeNumber(JsonReader reader)
    {
        byte[] buffer = reader.TokenBuffer;
        int end = reader.TokenIndex + reader.TokenLength;
        for (int i = reader.TokenIndex; i < end; i++)
        {
            byte b = buffer[i];
            if (b == '.' || b == 'e' || b == 'E')
            {
                return false;
            }
        }

        return true;
    }
}
