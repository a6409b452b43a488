using CotaFirmware.Platform;

namespace CotaFirmware.Host.Cli;

/// <summary>Counts config downloads in flight across a fleet of virtual devices, and the peak.</summary>
public sealed class DownloadMeter
{
    private int _inFlight;
    private int _peak;
    private int _requests;

    /// <summary>Downloads whose response is open now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most downloads open at once so far.</summary>
    public int Peak => Volatile.Read(ref _peak);

    /// <summary>Requests sent so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Wraps a device's HTTP client so its requests are counted here.</summary>
    public IHttpClient Wrap(IHttpClient inner) => new Counted(inner, this);

    private void Opened()
    {
        Interlocked.Increment(ref _requests);
        int now = Interlocked.Increment(ref _inFlight);
        int peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
        }
    }

    private void Closed() => Interlocked.Decrement(ref _inFlight);

    private sealed class Counted : IHttpClient
    {
        private readonly IHttpClient _inner;
        private readonly DownloadMeter _meter;
        private bool _open;

        public Counted(IHttpClient inner, DownloadMeter meter)
        {
            _inner = inner;
            _meter = meter;
        }

        public long ContentLength => _inner.ContentLength;

        public long ContentRangeStart => _inner.ContentRangeStart;

        public long ContentRangeTotal => _inner.ContentRangeTotal;

        public int Get(string url, long rangeStart, int timeoutMs)
        {
            End();
            _open = true;
            _meter.Opened();
            int status = _inner.Get(url, rangeStart, timeoutMs);
            if (status < 0)
            {
                End();
            }

            return status;
        }

        public int PostForm(string url, byte[] body, int offset, int count, int timeoutMs) =>
            _inner.PostForm(url, body, offset, count, timeoutMs);

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            int n = _inner.Read(buffer, offset, count, timeoutMs);
            if (n <= 0)
            {
                End();
            }

            return n;
        }

        public void Close()
        {
            End();
            _inner.Close();
        }

        private void End()
        {
            if (_open)
            {
                _open = false;
                _meter.Closed();
            }
        }
    }
}
