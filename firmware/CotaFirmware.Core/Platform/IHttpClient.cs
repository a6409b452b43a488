namespace CotaFirmware.Platform;

/// <summary>
/// HTTP(S) as the firmware needs it: a GET that can start at a byte offset (config downloads, resumable) and a
/// form POST (dynamic registration). What a board must provide.
/// </summary>
/// <remarks>
/// One request at a time. <see cref="Get"/> or <see cref="PostForm"/> sends the request and waits for the
/// response headers; the body is then pulled with <see cref="Read"/> until it returns 0; <see cref="Close"/> ends
/// the exchange (also when the body was not read to its end). Calls return values instead of throwing; negative
/// values are <see cref="HttpStatus"/> codes. TLS settings (root CA) belong to the board's implementation.
/// </remarks>
public interface IHttpClient
{
    /// <summary>Sends GET <paramref name="url"/>, with <c>Range: bytes=<paramref name="rangeStart"/>-</c> when <paramref name="rangeStart"/> is above 0.</summary>
    /// <returns>The HTTP status code (200, 206, 403, ...), or a negative <see cref="HttpStatus"/> value as an int when no response arrived.</returns>
    public int Get(string url, long rangeStart, int timeoutMs);

    /// <summary>Sends POST <paramref name="url"/> with an <c>application/x-www-form-urlencoded</c> body of <paramref name="count"/> bytes.</summary>
    /// <returns>The HTTP status code, or a negative <see cref="HttpStatus"/> value as an int when no response arrived.</returns>
    public int PostForm(string url, byte[] body, int offset, int count, int timeoutMs);

    /// <summary>The response's Content-Length, or -1 when the response has none.</summary>
    public long ContentLength { get; }

    /// <summary>The first byte position of a 206 response's Content-Range, or -1 when the response has none.</summary>
    public long ContentRangeStart { get; }

    /// <summary>The complete length a 206 response's Content-Range gives (after its "/"), or -1 when the response has none or gives "*".</summary>
    public long ContentRangeTotal { get; }

    /// <summary>Reads up to <paramref name="count"/> bytes of the response body, waiting at most <paramref name="timeoutMs"/>.</summary>
    /// <remarks>
    /// Returns as soon as some bytes are there (it does not wait to fill <paramref name="count"/>). A
    /// <see cref="HttpStatus.Timeout"/> leaves the exchange open: a caller that reads in short slices (to service MQTT in
    /// between) calls again to keep waiting; every other failure ends the exchange.
    /// </remarks>
    /// <returns>The number of bytes read (at least 1); 0 at the end of the body; a negative <see cref="HttpStatus"/> value as an int on failure or timeout.</returns>
    public int Read(byte[] buffer, int offset, int count, int timeoutMs);

    /// <summary>Ends the exchange and releases its connection. Safe to call at any time.</summary>
    public void Close();
}
