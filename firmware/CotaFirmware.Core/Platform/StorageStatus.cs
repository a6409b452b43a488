namespace CotaFirmware.Platform;

/// <summary>What an <see cref="IStorage"/> operation came to: <see cref="Ok"/>, or why it failed (every failure is negative).</summary>
/// <remarks>
/// <see cref="IStorage.Read"/> returns a byte count or one of the negative values as an int; the other operations
/// return the value itself. <see cref="PlatformNames.Of(StorageStatus)"/> names it for logs and results.
/// </remarks>
public enum StorageStatus
{
    /// <summary>The operation succeeded.</summary>
    Ok = 0,

    /// <summary>The area does not exist.</summary>
    NotFound = -1,

    /// <summary>The medium is full.</summary>
    Full = -2,

    /// <summary>Any other I/O failure.</summary>
    Failed = -3,

    /// <summary>The area holds a record that a newer firmware wrote in a format this one cannot read; it is left as it is. Set by the core's records, never by a board.</summary>
    NewerRecord = -4,
}
