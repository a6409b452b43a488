namespace CotaFirmware.Platform;

/// <summary>Restarts the firmware: what a board provides for configs whose modules only take effect after a reboot.</summary>
/// <remarks>
/// On the device this is <c>Power.RebootDevice</c>; on the host board it restarts the firmware in-process with its
/// storage intact. The device's loop (<c>App/CotaDevice</c>) is its one caller, once, after the config layer saved
/// what the next boot needs (the config store's pending-reboot flag): the call may not return.
/// </remarks>
public interface IReboot
{
    /// <summary>Restarts the firmware now. On the device this does not return.</summary>
    public void Reboot();
}
