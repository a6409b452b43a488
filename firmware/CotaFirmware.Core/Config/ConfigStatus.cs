namespace CotaFirmware.Config;

/// <summary>What an operation of the Config layer (<see cref="ConfigStore"/>, <see cref="ConfigApplier"/>) came to: <see cref="Ok"/> or the reason.</summary>
/// <remarks><see cref="ConfigNames.Of(ConfigStatus)"/> names a value for logs and results (the device prints an enum as its number).</remarks>
public enum ConfigStatus
{
    /// <summary>The operation succeeded.</summary>
    Ok = 0,

    /// <summary>There is no valid config to read or fall back to.</summary>
    NoConfig = 1,

    /// <summary>The operation needs a candidate in another stage (for example appending after sealing, or committing before sealing).</summary>
    WrongStage = 2,

    /// <summary>The declared length is negative or above the board's maximum config size.</summary>
    TooLarge = 3,

    /// <summary>The config id is longer than <see cref="ConfigStore.MaxConfigIdLength"/> bytes.</summary>
    ConfigIdTooLong = 4,

    /// <summary>The bytes appended do not add up to the declared length.</summary>
    LengthMismatch = 5,

    /// <summary>The content's SHA-256 is not the one the caller expected; the candidate is dropped.</summary>
    DigestMismatch = 6,

    /// <summary>What was read back from storage is not what was written; the candidate is dropped.</summary>
    VerifyFailed = 7,

    /// <summary>A config is on trial: confirm it or roll it back before staging another.</summary>
    TrialInProgress = 8,

    /// <summary>No config is on trial, so there is nothing to confirm or roll back.</summary>
    NotOnTrial = 9,

    /// <summary>The storage reported a failure (see <see cref="ConfigStore.LastStorageError"/>); durable state is unchanged or as before the failed write.</summary>
    StorageFailed = 10,

    /// <summary>The inactive slot holds no candidate with that id and length to resume: start again with <see cref="ConfigStore.Begin"/>.</summary>
    NothingToResume = 11,

    /// <summary>More work remains: call again (<see cref="ConfigStore.Seal"/> reads one buffer per call).</summary>
    InProgress = 12,

    /// <summary>The modules refused the candidate (<see cref="ConfigApplier.Errors"/> says why); nothing was applied.</summary>
    Rejected = 13,

    /// <summary>A module threw while taking a config (<see cref="ConfigApplier.Errors"/> names it); a config on trial should be rolled back.</summary>
    ModuleFailed = 14,

    /// <summary>At boot (<see cref="ConfigStore.BootOutcome"/>): the config on trial used up its boots without being confirmed and was rolled back to the last good one.</summary>
    RolledBack = 15,
}
