using System;
using CotaFirmware.Platform;

namespace CotaFirmware.Tests.Linkkit;

/// <summary>An HTTP client that answers every POST with a scripted status and body, and records the requests.</summary>
public sealed class FakeHttpClient : IHttpClient
{
    private byte[] _body = new byte[0];
    private int _read;

    /// <summary>The status (or negative HttpStatus code) the next request answers.</summary>
    public int Status = 200;

    /// <summary>When set, reading the body fails after this many bytes.</summary>
    public int BreakAfter = -1;

    /// <summary>The largest chunk one Read returns.</summary>
    public int Chunk = 100;

    /// <summary>How many requests were made, and how many exchanges closed.</summary>
    public int Posts, Closes;

    /// <summary>The last request's URL.</summary>
    public string Url;

    /// <summary>Every request body as text, separated by newlines.</summary>
    public string Bodies = string.Empty;

    /// <summary>The last request body as text.</summary>
    public string LastBody;

    /// <summary>Sets the response body for every later request.</summary>
    public void Reply(string body) => _body = Ascii.Bytes(body);

    /// <inheritdoc/>
    public long ContentLength => _body.Length;

    /// <inheritdoc/>
    public long ContentRangeStart => -1;

    /// <inheritdoc/>
    public int Get(string url, long rangeStart, int timeoutMs) => throw new InvalidOperationException("registration only posts");

    /// <inheritdoc/>
    public int PostForm(string url, byte[] body, int offset, int count, int timeoutMs)
    {
        Posts++;
        Url = url;
        LastBody = Ascii.Text(body, offset, count);
        Bodies = Bodies + LastBody + "\n";
        _read = 0;
        return Status;
    }

    /// <inheritdoc/>
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (BreakAfter >= 0 && _read >= BreakAfter)
        {
            return (int)HttpStatus.Broken;
        }

        int n = count < Chunk ? count : Chunk;
        if (n > _body.Length - _read)
        {
            n = _body.Length - _read;
        }

        if (BreakAfter >= 0)
        {
            n = n < BreakAfter - _read ? n : BreakAfter - _read;
        }

        Array.Copy(_body, _read, buffer, offset, n);
        _read += n;
        return n;
    }

    /// <inheritdoc/>
    public void Close() => Closes++;
}
