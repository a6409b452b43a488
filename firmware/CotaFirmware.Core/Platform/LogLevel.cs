namespace CotaFirmware.Platform;

/// <summary>How much a log line matters.</summary>
public enum LogLevel
{
    /// <summary>Detail for a developer at a debugger.</summary>
    Debug,

    /// <summary>A step of normal operation.</summary>
    Info,

    /// <summary>Something failed and was handled (a retry, a rejected input).</summary>
    Warning,

    /// <summary>Something failed and the firmware gave up on it.</summary>
    Error,
}
