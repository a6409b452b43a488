using CotaFirmware.Json;

namespace CotaFirmware.Config;

/// <summary>A part of the firmware configured by one top-level section of the config JSON.</summary>
/// <remarks>
/// <para>Every section is handed over as a <see cref="JsonReader"/> standing on the section's first token (its
/// <c>{</c> for an object), streaming from flash through a fixed window: the reader sees only the section, as a
/// document of its own, so a module reads what it needs and may stop anywhere. Keep values in fixed buffers.</para>
/// <para>Order of calls for a changed section: <see cref="Validate"/> (nothing may change yet); once the whole config
/// is accepted and committed, by <see cref="Policy"/>: <see cref="Apply"/> (Live); <see cref="Stop"/>,
/// <see cref="Apply"/>, <see cref="Start"/> (RestartModule); or a reboot, after which the boot applies it
/// (RebootDevice). At every boot each module gets <see cref="Apply"/> (or <see cref="ApplyDefaults"/> when the
/// config has no section for it), and then the RestartModule ones get <see cref="Start"/>.</para>
/// </remarks>
public interface IConfigModule
{
    /// <summary>The module's top-level key in the config JSON, as UTF-8 bytes (at most <see cref="ConfigErrors.MaxNameLength"/>).</summary>
    public byte[] Name { get; }

    /// <summary>How a changed section takes effect.</summary>
    public ConfigApplyPolicy Policy { get; }

    /// <summary>Checks a section without changing anything; reports each problem with <see cref="ConfigErrors.AddError(ConfigErrorCode, byte[])"/> or <see cref="ConfigErrors.AddError(ConfigErrorCode, JsonReader)"/>.</summary>
    /// <remarks>The module name is filled in by the applier. A JSON error inside the section need not be reported: the whole config was parsed before.</remarks>
    public void Validate(JsonReader section, ConfigErrors errors);

    /// <summary>Takes the values of a section that passed <see cref="Validate"/>.</summary>
    public void Apply(JsonReader section);

    /// <summary>Takes the module's own defaults: the config has no section for it.</summary>
    public void ApplyDefaults();

    /// <summary>Stops the module before its values change (RestartModule policy).</summary>
    public void Stop();

    /// <summary>Starts the module with its current values (RestartModule policy; also at boot).</summary>
    public void Start();
}
