namespace CotaFirmware.Cota;

/// <summary>Tells COTA which config is applied, so the same configId is never downloaded again.</summary>
/// <remarks>The Config layer's store answers it (<c>ConfigStore.CopyActiveConfigId</c>).</remarks>
public interface IAppliedConfigId
{
    /// <summary>Copies the applied configId into <paramref name="buffer"/> at <paramref name="offset"/> (room for <see cref="ConfigOffer.MaxConfigIdLength"/> bytes).</summary>
    /// <returns>Its length in bytes; 0 when no config is applied.</returns>
    int CopyAppliedConfigId(byte[] buffer, int offset);
}
