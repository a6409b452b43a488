using CotaFirmware.Platform;

namespace CotaFirmware.HostTests.Cota;

/// <summary>An in-process server that misbehaves at random: timeouts, 503s, ignored ranges, bodies cut short.</summary>
public sealed class ChaoticHttpClient(byte[] file, Random random) : IHttpClient
{
    private int _position;
    private int _end;
    private bool _breaks;

    public long ContentLength { get; private set; } = -1;

    public long ContentRangeStart { get; private set; } = -1;

    public int Get(string url, long rangeStart, int timeoutMs)
    {
        int roll = random.Next(100);
        if (roll < 10)
        {
            return (int)HttpStatus.Timeout;
        }

        if (roll < 15)
        {
            return 503;
        }

        bool whole = rangeStart == 0 || roll < 25;
        _position = whole ? 0 : (int)rangeStart;
        ContentLength = file.Length - _position;
        ContentRangeStart = whole ? -1 : _position;
        _breaks = random.Next(100) < 40;
        _end = _breaks ? _position + random.Next(file.Length - _position + 1) : file.Length;
        return whole ? 200 : 206;
    }

    public int PostForm(string url, byte[] body, int offset, int count, int timeoutMs) => (int)HttpStatus.Unreachable;

    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (_position >= _end)
        {
            return !_breaks ? 0 : random.Next(3) switch { 0 => 0, 1 => (int)HttpStatus.Timeout, _ => (int)HttpStatus.Broken };
        }

        int n = Math.Min(Math.Min(count, _end - _position), 1 + random.Next(700));
        Array.Copy(file, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public void Close()
    {
    }
}
