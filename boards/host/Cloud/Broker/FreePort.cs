using System.Net;
using System.Net.Sockets;

namespace CotaFirmware.Host.Cloud.Broker;

/// <summary>Finds a free TCP port on 127.0.0.1 (for listeners that cannot report the port they got).</summary>
internal static class FreePort
{
    /// <summary>A port free now, different from <paramref name="except"/>.</summary>
    public static int Find(int except = 0)
    {
        while (true)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (port != except)
            {
                return port;
            }
        }
    }
}
