namespace CotaFirmware.Cota;

/// <summary>Where the offer an <see cref="OfferRecord"/> owns stands; its value is the record's stage byte in flash.</summary>
internal enum OfferStage
{
    /// <summary>No offer is owned.</summary>
    None = 0,

    /// <summary>The offer is accepted: waiting, downloading, or (when the store says so) on trial.</summary>
    Accepted = 1,

    /// <summary>The config on trial is being rolled back for <see cref="OfferRecord.Reason"/>.</summary>
    RollingBack = 2,
}
