namespace CotaFirmware.Config.Modules;

/// <summary>The status LED's idle patterns that a <c>statusLed</c> section names (<see cref="StatusLedPatternModule"/>).</summary>
public enum StatusLedPattern
{
    /// <summary>The LED stays dark: <c>off</c>.</summary>
    Off = 0,

    /// <summary>Steady on: <c>solid</c>.</summary>
    Solid = 1,

    /// <summary>One short flash a second: <c>heartbeat</c>.</summary>
    Heartbeat = 2,

    /// <summary>Even blinking: <c>blink</c>.</summary>
    Blink = 3,
}
