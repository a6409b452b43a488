namespace CotaFirmware.Linkkit;

/// <summary>Where the MQTT broker is now, asked before every connection attempt: for a board whose broker can move (a local platform restarted on other ports).</summary>
/// <remarks>Set it on <see cref="LinkkitDevice.BrokerEndpoint"/>; without it every attempt goes to the endpoint of the <see cref="LinkkitSettings"/>.</remarks>
public interface IBrokerEndpoint
{
    /// <summary>Reads the broker's host and port for the next attempt (TLS stays as the settings say).</summary>
    /// <returns>True with <paramref name="host"/> and <paramref name="port"/> set; false to use the settings' endpoint this time.</returns>
    public bool TryRead(out string host, out int port);
}
