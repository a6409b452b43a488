using CotaFirmware.Config;
using CotaFirmware.Json;

namespace CotaFirmware.Benchmarks;

/// <summary>A module that takes its section ("blob") as it is: the configs it carries are only bytes to move.</summary>
public sealed class BlobModule : IConfigModule
{
    /// <inheritdoc/>
    public byte[] Name { get; } = "blob"u8.ToArray();

    /// <inheritdoc/>
    public ConfigApplyPolicy Policy => ConfigApplyPolicy.Live;

    /// <inheritdoc/>
    public void Validate(JsonReader section, ConfigErrors errors)
    {
    }

    /// <inheritdoc/>
    public void Apply(JsonReader section)
    {
    }

    /// <inheritdoc/>
    public void ApplyDefaults()
    {
    }

    /// <inheritdoc/>
    public void Stop()
    {
    }

    /// <inheritdoc/>
    public void Start()
    {
    }
}
