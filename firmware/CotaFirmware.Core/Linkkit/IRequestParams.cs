using CotaFirmware.Json;

namespace CotaFirmware.Linkkit;

/// <summary>Writes the members of a request's <c>params</c> object straight into the transmit buffer.</summary>
public interface IRequestParams
{
    /// <summary>Writes the members (names and values) of <c>params</c>; the object's braces are written by the caller.</summary>
    /// <remarks>Overflow needs no check here: the device checks <see cref="JsonWriter.Overflowed"/> afterwards.</remarks>
    void WriteParams(JsonWriter writer);
}
