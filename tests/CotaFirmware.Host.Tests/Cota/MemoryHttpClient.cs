using CotaFirmware.Platform;

namespace CotaFirmware.HostTests.Cota;

/// <summary>An in-process <see cref="IHttpClient"/> that serves one file with Range support, optionally cutting each body after K bytes.</summary>
public sealed class MemoryHttpClient : IHttpClient
{
    private int _position;
    private int _end;

    public MemoryHttpClient(byte[] file) => File = file;

    public byte[] File { get; set; }

    /// <summary>Each response breaks after this many body bytes (0: never).</summary>
    public int BreakAfter { get; set; }

    public List<long> RangeStarts { get; } = new();

    public long ContentLength { get; private set; } = -1;

    public long ContentRangeStart { get; private set; } = -1;

    public int Get(string url, long rangeStart, int timeoutMs)
    {
        RangeStarts.Add(rangeStart);
        _position = (int)rangeStart;
        ContentLength = File.Length - rangeStart;
        ContentRangeStart = rangeStart > 0 ? rangeStart : -1;
        _end = BreakAfter > 0 ? Math.Min(File.Length, _position + BreakAfter) : File.Length;
        return rangeStart > 0 ? 206 : 200;
    }

    public int PostForm(string url, byte[] body, int offset, int count, int timeoutMs) => (int)HttpStatus.Unreachable;

    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (_position >= _end)
        {
            return _end == File.Length ? 0 : (int)HttpStatus.Broken;
        }

        int n = Math.Min(count, _end - _position);
        Array.Copy(File, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public void Close()
    {
    }
}
