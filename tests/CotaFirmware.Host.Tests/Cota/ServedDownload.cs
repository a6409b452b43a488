using CotaFirmware.Cota;
using CotaFirmware.Host.Board;

namespace CotaFirmware.HostTests.Cota;

/// <summary>One download of a file (as cfg-1) from a range server into a fresh store in RAM, on a manual clock, through a client (by default the host board's).</summary>
internal sealed class ServedDownload(byte[] file, RangeServer server, IHttpClient? http = null) : IDisposable
{
    public readonly RangeServer Server = server;
    public readonly IHttpClient Http = http ?? new HttpClientSource();
    public readonly MemoryStorage Storage = new();
    public readonly ManualClock Clock = new();
    public readonly DownloadSettings Settings = Offers.Settings(allowPlainHttp: server.Url().StartsWith("http:", StringComparison.Ordinal));
    public RangeDownload Download = null!;

    public CotaStatus Run()
    {
        Download = Offers.Create(Http, Storage, Clock, Settings);
        Download.Start(Offers.For("cfg-1", file, Server.Url()));
        return Offers.Run(Download, Clock);
    }

    public void Dispose()
    {
        Http.Close();
        (Http as IDisposable)?.Dispose();
        Server.Dispose();
    }
}
