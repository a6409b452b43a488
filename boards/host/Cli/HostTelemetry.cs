using System.Diagnostics;
using CotaFirmware.Json;

namespace CotaFirmware.Host.Cli;

/// <summary>A host device's telemetry properties: seconds since this boot and how many boots, posted at the config's telemetry interval.</summary>
public sealed class HostTelemetry : IJsonMembers
{
    private readonly Stopwatch _sinceBoot = new();
    private int _boots;

    /// <summary>A boot: the uptime starts again and the count goes up.</summary>
    public void Booted()
    {
        _boots++;
        _sinceBoot.Restart();
    }

    /// <inheritdoc/>
    public void WriteMembers(JsonWriter writer)
    {
        writer.WriteProperty("uptimeSeconds", _sinceBoot.ElapsedMilliseconds / 1000);
        writer.WriteProperty("boots", _boots);
    }
}
