using CotaFirmware.Json;
using CotaFirmware.Linkkit;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>Request params for tests: one number member, or as many filler members as asked.</summary>
public sealed class TemperatureParams : IJsonMembers
{
    /// <summary>The value written as <c>Temperature</c>.</summary>
    public int Value = 25;

    /// <summary>Extra string members written after it, to overflow buffers.</summary>
    public int Filler;

    /// <inheritdoc/>
    public void WriteMembers(JsonWriter writer)
    {
        writer.WriteProperty("Temperature", Value);
        for (int i = 0; i < Filler; i++)
        {
            writer.WriteProperty("f", "0123456789");
        }
    }
}
