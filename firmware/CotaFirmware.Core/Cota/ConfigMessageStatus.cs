namespace CotaFirmware.Cota;

/// <summary>What parsing a config message found; the values are the push_reply codes the device answers with.</summary>
public static class ConfigMessageStatus
{
    /// <summary>A valid offer (push_reply 200).</summary>
    public const int Accepted = 200;

    /// <summary>Not one JSON object, no usable <c>id</c>, or no <c>params</c>/<c>data</c> object (push_reply 400).</summary>
    public const int Malformed = 400;

    /// <summary>A field is missing or invalid, or configSize exceeds the device's maximum (push_reply 460).</summary>
    public const int ParameterError = 460;

    /// <summary>A get_reply whose code is not 200: no config (6710), COTA not available (6713), ...; see <see cref="ConfigMessage.Code"/>.</summary>
    public const int NoConfig = 1;
}
