namespace CotaFirmware.Config;

/// <summary>What <see cref="ConfigStore.Boot"/> found and decided about the config to run.</summary>
public enum ConfigBootOutcome
{
    /// <summary>No valid config is stored: run the board's defaults.</summary>
    NoConfig = 0,

    /// <summary>The active config is confirmed (last known good).</summary>
    Confirmed = 1,

    /// <summary>The active config is on trial; this boot was counted against the board's limit.</summary>
    OnTrial = 2,

    /// <summary>The config on trial used up its boots without being confirmed and was rolled back to the last good one.</summary>
    RolledBack = 3,
}
