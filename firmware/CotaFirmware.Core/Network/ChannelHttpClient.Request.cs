using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Network;

// The request head: the URL checked and split (scheme, host, port, path and query), then written byte for byte.
public sealed partial class ChannelHttpClient
{
    private const int DefaultHttpsPort = 443;
    private const int DefaultHttpPort = 80;
    private const int MaxHostLength = 253;

    private static readonly byte[] GetMethod = Utf8.GetBytes("GET ");
    private static readonly byte[] PostMethod = Utf8.GetBytes("POST ");
    private static readonly byte[] Version = Utf8.GetBytes(" HTTP/1.1\r\nHost: ");
    private static readonly byte[] RangeHeader = Utf8.GetBytes("\r\nRange: bytes=");
    private static readonly byte[] FormHeaders = Utf8.GetBytes("\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ");
    private static readonly byte[] HeadEnd = Utf8.GetBytes("\r\nConnection: close\r\nUser-Agent: CotaFirmware\r\n\r\n");

    // The bytes of a request head besides its URL's: the longer method, a '/' for an empty path, the version and Host,
    // a Range (19 digits and '-') or a form's headers (10 digits), and the closing headers.
    private static int HeadRoom() => PostMethod.Length + 1 + Version.Length + RangeHeader.Length + 20 + FormHeaders.Length + 10 + HeadEnd.Length;

    // Writes the request head for url into _request and hands out its host, port and scheme; its length, or BadUrl.
    private int WriteRequest(byte[] method, string url, long rangeStart, byte[] body, int count, out string host, out int port, out bool tls)
    {
        host = null;
        port = 0;
        tls = false;
        // Read as chars once (indexing a string walks it on the device); a request's setup may allocate, its body may not.
        char[] u = url == null ? null : url.ToCharArray();
        int hostStart = u == null ? 0 : HttpScheme.LengthOf(u);
        if (hostStart == 0)
        {
            return (int)HttpStatus.BadUrl;
        }

        tls = hostStart == HttpScheme.Secure.Length;
        int hostEnd = hostStart;
        while (hostEnd < u.Length && u[hostEnd] != ':' && u[hostEnd] != '/' && u[hostEnd] != '?')
        {
            hostEnd++;
        }

        port = tls ? DefaultHttpsPort : DefaultHttpPort;
        int authorityEnd = hostEnd;
        if (authorityEnd < u.Length && u[authorityEnd] == ':')
        {
            port = 0;
            authorityEnd++;
            while (authorityEnd < u.Length && u[authorityEnd] >= '0' && u[authorityEnd] <= '9' && port <= 65535)
            {
                port = (port * 10) + (u[authorityEnd] - '0');
                authorityEnd++;
            }
        }

        if (u.Length > _maxUrlLength || hostEnd == hostStart || hostEnd - hostStart > MaxHostLength || port < 1 || port > 65535
            || (authorityEnd < u.Length && u[authorityEnd] != '/' && u[authorityEnd] != '?') || !Printable(u))
        {
            return (int)HttpStatus.BadUrl;
        }

        // "GET /path?query HTTP/1.1\r\nHost: host[:port]\r\n..." with the path and query as given.
        int w = Copy(method, _request, 0);
        if (authorityEnd == u.Length || u[authorityEnd] == '?')
        {
            _request[w++] = (byte)'/';
        }

        w = CopyAscii(u, authorityEnd, u.Length, _request, w);
        w = Copy(Version, _request, w);
        w = CopyAscii(u, hostStart, authorityEnd, _request, w);
        if (rangeStart > 0)
        {
            w = Copy(RangeHeader, _request, w);
            w = WriteNumber(rangeStart, _request, w);
            _request[w++] = (byte)'-';
        }

        if (body != null)
        {
            w = Copy(FormHeaders, _request, w);
            w = WriteNumber(count, _request, w);
        }

        w = Copy(HeadEnd, _request, w);
        host = new string(u, hostStart, hostEnd - hostStart);
        return w;
    }

    // A request line carries printable ASCII only (the URL's own escapes stay as they are).
    private static bool Printable(char[] text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] <= ' ' || text[i] > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static int CopyAscii(char[] source, int from, int to, byte[] target, int at)
    {
        for (int i = from; i < to; i++)
        {
            target[at++] = (byte)source[i];
        }

        return at;
    }

    private static int Copy(byte[] source, byte[] target, int at)
    {
        System.Array.Copy(source, 0, target, at, source.Length);
        return at + source.Length;
    }

    private static int WriteNumber(long value, byte[] target, int at)
    {
        long scale = 1;
        while (value / scale >= 10)
        {
            scale *= 10;
        }

        for (; scale > 0; scale /= 10)
        {
            target[at++] = (byte)('0' + ((value / scale) % 10));
        }

        return at;
    }
}
