using CotaFirmware.Host.Cloud;
using CotaFirmware.Linkkit;

namespace CotaFirmware.Host.Cli;

/// <summary>The local platform's MQTT (TLS) endpoint as its <c>platform.json</c> says now, read before every connection
/// attempt: a device follows a platform that was restarted, even on other ports.</summary>
public sealed class PlatformBrokerEndpoint : IBrokerEndpoint
{
    private readonly string _dataFolder;

    /// <summary>Reads the <c>platform.json</c> of the platform on <paramref name="dataFolder"/>.</summary>
    public PlatformBrokerEndpoint(string dataFolder) => _dataFolder = dataFolder;

    /// <inheritdoc/>
    public bool TryRead(out string host, out int port)
    {
        host = "";
        port = 0;
        try
        {
            var endpoints = PlatformEndpoints.Load(_dataFolder);
            if (endpoints == null)
            {
                return false;
            }

            host = endpoints.Host;
            port = endpoints.MqttTlsPort;
            return port > 0;
        }
        catch (Exception e) when (e is DamagedDataException || e is IOException || e is UnauthorizedAccessException)
        {
            return false; // no platform runs now (or it is writing the file): keep the last endpoint
        }
    }
}
