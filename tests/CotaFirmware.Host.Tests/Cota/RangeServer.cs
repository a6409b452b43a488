using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CotaFirmware.HostTests.Cota;

/// <summary>
/// A tiny HTTP/1.1 file server on a free loopback port: answers GET with 200, or 206 for <c>Range: bytes=N-</c>,
/// optionally over TLS and with a chunked body, and can cut the connection after K body bytes or never answer at all.
/// </summary>
public sealed class RangeServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2? _certificate;
    private readonly Task _loop;
    private readonly SemaphoreSlim _resume = new(0);
    private int _requests;

    public RangeServer(byte[] file, X509Certificate2? certificate = null)
    {
        File = file;
        _certificate = certificate;
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>The file served.</summary>
    public byte[] File { get; set; }

    /// <summary>Each of the first responses sends at most this many body bytes, then resets the connection (0: none).</summary>
    public int DropAfterBytes { get; set; }

    /// <summary>How many responses are cut by <see cref="DropAfterBytes"/>.</summary>
    public int DropCount { get; set; } = int.MaxValue;

    /// <summary>Instead of cutting, stop sending and hold the connection open.</summary>
    public bool StallOnDrop { get; set; }

    /// <summary>Cut with a TCP reset instead of a clean close.</summary>
    public bool ResetOnDrop { get; set; }

    /// <summary>Accept connections but never answer.</summary>
    public bool Silent { get; set; }

    /// <summary>Sends this many body bytes, then nothing until <see cref="Resume"/>, then the rest in pieces of as many (0: no pause).</summary>
    public int PauseAfterBytes { get; set; }

    /// <summary>Send the body chunked (<c>Transfer-Encoding: chunked</c>, no Content-Length), in chunks of 1000 bytes or <see cref="PauseAfterBytes"/>.</summary>
    public bool Chunked { get; set; }

    /// <summary>The status to answer instead of serving the file (0: serve).</summary>
    public int Status { get; set; }

    /// <summary>The Range start of each request received (0 when none), in order.</summary>
    public ConcurrentQueue<long> RangeStarts { get; } = new();

    /// <summary>Lets a body paused by <see cref="PauseAfterBytes"/> go on.</summary>
    public void Resume() => _resume.Release();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url(string path = "/config/cfg.json?Expires=1&Signature=x") =>
        (_certificate != null ? "https" : "http") + "://127.0.0.1:" + Port + path;

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate != null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(_certificate, false, false);
                    stream = tls;
                }

                await using (stream)
                {
                    var head = await ReadHead(stream);
                    if (head == null)
                    {
                        return;
                    }

                    long start = 0;
                    foreach (var line in head.Split("\r\n"))
                    {
                        if (line.StartsWith("Range: bytes=", StringComparison.OrdinalIgnoreCase))
                        {
                            start = long.Parse(line.Substring(13).TrimEnd('-'));
                        }
                    }

                    RangeStarts.Enqueue(start);
                    if (Silent)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    }

                    await Answer(stream, client, start);
                }
            }
            catch (Exception)
            {
                // A client that went away, or the server stopping.
            }
        }
    }

    private async Task Answer(Stream stream, TcpClient client, long start)
    {
        var file = File;
        if (Status != 0)
        {
            var page = Encoding.ASCII.GetBytes("<html><body>Error</body></html>");
            await Write(stream, $"HTTP/1.1 {Status} Error\r\nContent-Type: text/html\r\nContent-Length: {page.Length}\r\nConnection: close\r\n\r\n", page, page.Length);
            return;
        }

        string length = Chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {file.Length - start}";
        string headers = start > 0
            ? $"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {start}-{file.Length - 1}/{file.Length}\r\n{length}\r\nConnection: close\r\n\r\n"
            : $"HTTP/1.1 200 OK\r\n{length}\r\nConnection: close\r\n\r\n";
        var body = file.AsMemory((int)start).ToArray();
        int n = body.Length;

        // A chunked body cut after its last byte still lacks its last chunk.
        bool drop = DropAfterBytes > 0 && Interlocked.Increment(ref _requests) <= DropCount && (DropAfterBytes < n || (Chunked && DropAfterBytes == n));
        if (drop)
        {
            n = DropAfterBytes;
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(headers));
        int piece = PauseAfterBytes > 0 ? PauseAfterBytes : Chunked ? 1000 : Math.Max(n, 1);
        for (int sent = 0; sent < n; sent += piece)
        {
            int size = Math.Min(piece, body.Length - sent); // the chunk as announced
            int count = Math.Min(size, n - sent);           // as sent before a cut
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Chunked ? $"{size:x}\r\n" : ""));
            await stream.WriteAsync(body.AsMemory(sent, count));
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Chunked && count == size ? "\r\n" : ""));
            await stream.FlushAsync();
            if (PauseAfterBytes > 0 && sent == 0)
            {
                await _resume.WaitAsync(_stop.Token);
            }
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(Chunked && !drop ? "0\r\n\r\n" : ""));
        await stream.FlushAsync();

        if (drop && StallOnDrop)
        {
            await Task.Delay(Timeout.Infinite, _stop.Token);
        }

        if (drop && ResetOnDrop)
        {
            client.Client.LingerState = new LingerOption(true, 0); // close with RST: a connection reset mid-file
        }
    }

    private static async Task Write(Stream stream, string headers, byte[] body, int count)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(headers));
        await stream.WriteAsync(body.AsMemory(0, count));
        await stream.FlushAsync();
    }

    private static async Task<string?> ReadHead(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 16384)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            bytes.Add(one[0]);
            int c = bytes.Count;
            if (c >= 4 && bytes[c - 4] == '\r' && bytes[c - 3] == '\n' && bytes[c - 2] == '\r' && bytes[c - 1] == '\n')
            {
                return Encoding.ASCII.GetString(bytes.ToArray());
            }
        }

        return null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(2000);
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
        _resume.Dispose();
    }
}
