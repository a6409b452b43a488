using CotaFirmware.Platform;

namespace CotaFirmware.Host.Board;

/// <summary>The host board's reboot: it asks the host's run loop to stop the firmware and start it again over the same storage.</summary>
/// <remarks>
/// Unlike the device's <c>Power.RebootDevice</c>, <see cref="Reboot"/> returns; the run loop watches
/// <see cref="IsRequested"/> (its one flag), drops every firmware object (RAM is lost, as on the device) and boots a
/// new firmware instance over the same <see cref="FileStorage"/>.
/// </remarks>
public sealed class InProcessReboot : IReboot
{
    private readonly ManualResetEventSlim _requested = new(false);

    /// <summary>Signalled once a reboot is asked for.</summary>
    public WaitHandle Requested => _requested.WaitHandle;

    /// <summary>True once a reboot is asked for.</summary>
    public bool IsRequested => _requested.IsSet;

    /// <inheritdoc />
    public void Reboot() => _requested.Set();

    /// <summary>Called by the run loop once the new firmware instance starts.</summary>
    public void Acknowledge() => _requested.Reset();
}
