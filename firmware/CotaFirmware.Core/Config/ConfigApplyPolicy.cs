namespace CotaFirmware.Config;

/// <summary>How a module takes a changed section: at once, by restarting itself, or only after a device reboot.</summary>
public enum ConfigApplyPolicy
{
    /// <summary>The module takes the new values while running (<see cref="IConfigModule.Apply"/> only).</summary>
    Live = 0,

    /// <summary>The module is stopped, given the new values and started again.</summary>
    RestartModule = 1,

    /// <summary>The values take effect only from the next boot: the device reboots and the boot applies them.</summary>
    RebootDevice = 2,
}
