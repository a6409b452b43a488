namespace CotaFirmware.Platform;

/// <summary>Where the firmware's log lines go (serial console, debugger, test capture).</summary>
public interface ILog
{
    /// <summary>Writes one line. <paramref name="area"/> names the layer that speaks, for example "mqtt".</summary>
    /// <remarks>Callers never pass secrets (device secret, password, signatures) in <paramref name="message"/>.</remarks>
    public void Write(LogLevel level, string area, string message);
}
