namespace CotaFirmware.Config;

/// <summary>What became of a config: the <c>status</c> of its result.</summary>
public enum ConfigResultStatus
{
    /// <summary>Validated, applied and confirmed by the cloud: it is the last known good config.</summary>
    Applied = 0,

    /// <summary>Refused before anything was applied (module errors, unknown keys, broken JSON, or a failed commit).</summary>
    Rejected = 1,

    /// <summary>Applied, but not confirmed in time (or the device kept rebooting): the last good config runs again.</summary>
    RolledBack = 2,
}
