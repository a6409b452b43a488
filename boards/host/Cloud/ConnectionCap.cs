using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CotaFirmware.Host.Cloud;

/// <summary>A cap on the connections open at once on a Kestrel listener: one more is closed before its first byte
/// is read, and logged.</summary>
internal sealed class ConnectionCap
{
    private readonly int _max;
    private readonly string _server;
    private readonly Action<string>? _log;
    private int _open;

    private ConnectionCap(int max, string server, Action<string>? log)
    {
        _max = max;
        _server = server;
        _log = log;
    }

    /// <summary>Caps <paramref name="listen"/> at <paramref name="max"/> connections; call before UseHttps so a
    /// refused connection costs no handshake.</summary>
    public static void Apply(ListenOptions listen, int max, string server, Action<string>? log)
    {
        var cap = new ConnectionCap(max, server, log);
        listen.Use(next => async connection =>
        {
            if (Interlocked.Increment(ref cap._open) > cap._max)
            {
                Interlocked.Decrement(ref cap._open);
                cap._log?.Invoke(cap._server + ": refused a connection: more than " + cap._max + " open connections");
                connection.Abort();
                return;
            }
            try
            {
                await next(connection);
            }
            finally
            {
                Interlocked.Decrement(ref cap._open);
            }
        });
    }
}
