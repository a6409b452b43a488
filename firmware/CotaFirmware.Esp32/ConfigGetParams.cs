using CotaFirmware.Json;
using CotaFirmware.Linkkit;

namespace CotaFirmware.Esp32;

/// <summary>The params of <c>thing.config.get</c> (ITM_MSG_REQUEST_COTA): the product's config, as a file.</summary>
public sealed class ConfigGetParams : IRequestParams
{
    /// <inheritdoc />
    public void WriteParams(JsonWriter writer)
    {
        writer.WriteProperty("configScope", "product");
        writer.WriteProperty("getType", "file");
    }
}
