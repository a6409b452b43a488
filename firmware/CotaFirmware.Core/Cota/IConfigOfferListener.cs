namespace CotaFirmware.Cota;

/// <summary>The C SDK's COTA callback (<c>ITE_COTA</c>): told of every valid config the cloud offers.</summary>
public interface IConfigOfferListener
{
    /// <summary>
    /// A valid config was offered by a push or a get_reply (<see cref="ConfigMessage.Kind"/>): its configId,
    /// configSize, getType, sign, signMethod and url are views in <paramref name="message"/>, valid during the call only
    /// (<see cref="ConfigMessage.ConfigIdText"/> and <see cref="ConfigMessage.UrlText"/> make strings when needed).
    /// </summary>
    /// <remarks>Called before the freshness check, on the device's thread; the service downloads the config itself.</remarks>
    public void OnConfigOffered(ConfigMessage message);
}
