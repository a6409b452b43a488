namespace CotaFirmware.Platform;

/// <summary>Result codes of <see cref="IStorage"/>: zero is success, every failure is negative.</summary>
public static class StorageStatus
{
    /// <summary>The operation succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The area does not exist.</summary>
    public const int NotFound = -1;

    /// <summary>The medium is full.</summary>
    public const int Full = -2;

    /// <summary>Any other I/O failure.</summary>
    public const int Failed = -3;
}
