using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Registry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;

namespace CotaFirmware.Host.Cloud.Files;

/// <summary>Serves published config files like OSS: signed, expiring URLs, Range requests (206/416) and
/// Content-Length, with fault injection (the demo's <c>--inject-fault</c>, tests of weak links) and a log of every request.</summary>
public sealed class ConfigFileServer
{
    /// <summary>The first path segment of every download URL (a bucket, as on OSS).</summary>
    public const string Bucket = "iotx-config-local";

    private const int ChunkSize = 16 * 1024;
    private const int KeptRecipients = 100_000;

    private readonly DeviceRegistry _registry;
    private readonly FleetHistory _history;
    // Each URL's security-token names the device it was made for, so downloads show as that device's progress.
    private readonly ConcurrentDictionary<string, (string ProductKey, string DeviceName)> _recipients = new(StringComparer.Ordinal);
    private readonly DownloadUrlSigner _signer;
    private readonly string _folder;
    private readonly CancellationToken _stopping;
    private readonly object _gate = new();
    private readonly Dictionary<string, FileFault> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FileRequest> _log = new();
    private FileFault? _globalFault;
    private long _sequence;

    internal ConfigFileServer(DeviceRegistry registry, FleetHistory history, string dataFolder, CancellationToken stopping)
    {
        _registry = registry;
        _history = history;
        _signer = new DownloadUrlSigner(registry.UrlKeyId, registry.UrlKeySecret);
        _folder = Path.Combine(dataFolder, "configs");
        _stopping = stopping;
        OwnerOnlyFile.CreateFolder(_folder);
    }

    /// <summary>Every request so far, oldest first.</summary>
    public IReadOnlyList<FileRequest> Requests => _log.ToArray();

    /// <summary>Raised as a request arrives, before it is answered or held, with the config it names (null: none).</summary>
    public event Action<string?>? Arrived;

    /// <summary>Raised as a request joins <see cref="Requests"/>, once it was answered or cut.</summary>
    public event Action<FileRequest>? Logged;

    /// <summary>Base of the URLs, e.g. https://127.0.0.1:port (set when the HTTPS server has started).</summary>
    public string BaseUrl { get; internal set; } = "";

    /// <summary>Now, as the expiry check sees it (tests may move it).</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>Plays <paramref name="fault"/> on requests for <paramref name="configId"/>, or on every request
    /// when it is null. Replaces an earlier fault for the same target.</summary>
    public void InjectFault(FileFault fault, string? configId = null)
    {
        lock (_gate)
        {
            if (configId is null)
            {
                _globalFault = fault;
            }
            else
            {
                _faults[configId] = fault;
            }
        }
    }

    /// <summary>Removes every fault.</summary>
    public void ClearFaults()
    {
        lock (_gate)
        {
            _globalFault = null;
            _faults.Clear();
        }
    }

    /// <summary>A signed URL for <paramref name="config"/>, valid for <paramref name="lifetime"/> from now
    /// (negative: already expired).</summary>
    public string CreateUrl(ConfigFile config, TimeSpan lifetime) => CreateUrl(config, lifetime, null);

    /// <summary>A signed URL for <paramref name="config"/> made for one device, whose downloads through it are
    /// recorded as that device's progress.</summary>
    public string CreateUrl(ConfigFile config, TimeSpan lifetime, string? deviceName)
    {
        var resource = Resource(config.ProductKey, config.ConfigId);
        var token = DownloadUrlSigner.NewToken();
        if (deviceName != null)
        {
            if (_recipients.Count >= KeptRecipients)
            {
                _recipients.Clear();
            }
            _recipients[token] = (config.ProductKey, deviceName);
        }
        return BaseUrl + resource + "?" + _signer.SignedQuery(resource, Clock() + lifetime, token);
    }

    internal string PathOf(string configId) => Path.Combine(_folder, configId + ".bin");

    private static string Resource(string productKey, string configId) =>
        "/" + Bucket + "/" + productKey + "/" + configId + ".json";

    /// <summary>Handles GET/HEAD /{bucket}/{pk}/{configId}.json.</summary>
    internal async Task ServeAsync(HttpContext ctx, string productKey, string file)
    {
        var request = ctx.Request;
        var configId = file.EndsWith(".json", StringComparison.Ordinal) ? file[..^5] : null;
        var range = request.Headers.Range.Count > 0 ? request.Headers.Range.ToString() : null;
        var target = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var sent = 0L;
        FileFault? fault = configId is null ? null : TakeFault(configId);
        Arrived?.Invoke(configId);
        try
        {
            sent = await AnswerAsync(ctx, productKey, configId, range, fault);
        }
        finally
        {
            var logged = new FileRequest(Interlocked.Increment(ref _sequence), DateTimeOffset.UtcNow, request.Method,
                request.Path.Value ?? "", (request.Path.Value ?? "").Length + (request.QueryString.Value?.Length ?? 0),
                range, configId, ctx.Response.HasStarted || fault?.Kind != FileFaultKind.Hang ? ctx.Response.StatusCode : 0,
                sent, fault?.Kind, target);
            _log.Enqueue(logged);
            Logged?.Invoke(logged);
        }
    }

    private async Task<long> AnswerAsync(HttpContext ctx, string productKey, string? configId, string? range, FileFault? fault)
    {
        var response = ctx.Response;
        switch (fault?.Kind)
        {
            case FileFaultKind.Hang:
                using (var hang = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping))
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, hang.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
                ctx.Abort();
                return 0;
            case FileFaultKind.Status:
                return await ErrorAsync(ctx, fault.StatusCode, fault.StatusCode switch
                {
                    403 => "AccessDenied",
                    404 => "NoSuchKey",
                    _ => "InternalError",
                }, "Injected fault.");
            case FileFaultKind.HtmlPage:
                return await WriteAsync(ctx, 200, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(
                    "<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1>"
                    + "<p>You don't have permission to access this resource.</p><hr><center>Tengine</center></body></html>\n"));
        }

        var q = ctx.Request.Query;
        var denied = configId is null ? "AccessDenied" : _signer.Check(Resource(productKey, configId),
            q["Expires"].FirstOrDefault(), q["OSSAccessKeyId"].FirstOrDefault(), q["Signature"].FirstOrDefault(),
            q["security-token"].FirstOrDefault(), Clock());
        if (denied != null)
        {
            return denied == "InvalidAccessKeyId"
                ? await ErrorAsync(ctx, 403, denied, "The OSS Access Key Id you provided does not exist in our records.",
                    new XElement("OSSAccessKeyId", XmlText(q["OSSAccessKeyId"].FirstOrDefault() ?? "")))
                : await ErrorAsync(ctx, 403, denied, denied == "AccessDenied" ? "Request has expired or is not signed."
                    : "The request signature we calculated does not match the signature you provided.");
        }
        var config = configId is null ? null : _registry.FindConfig(configId);
        if (config is null || config.ProductKey != productKey || !File.Exists(PathOf(config.ConfigId)))
        {
            return await ErrorAsync(ctx, 404, "NoSuchKey", "The specified key does not exist.");
        }
        var content = await File.ReadAllBytesAsync(PathOf(config.ConfigId), ctx.RequestAborted);
        if (fault?.Kind == FileFaultKind.Truncate)
        {
            content = content[..(int)Math.Min(content.Length, Math.Max(0, fault.ByteCount))];
        }
        long total = content.Length;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ETag = "\"" + config.Sign[..32].ToUpperInvariant() + "\"";
        response.Headers.LastModified = config.PublishedAt.ToString("R", CultureInfo.InvariantCulture);
        long first = 0, last = total - 1;
        var status = 200;
        if (range != null && TryParseRange(range, total, out var from, out var to, out var satisfiable))
        {
            if (!satisfiable)
            {
                response.Headers.ContentRange = "bytes */" + total;
                return await ErrorAsync(ctx, 416, "InvalidRange", "The requested range cannot be satisfied.");
            }
            first = from;
            last = to;
            status = 206;
            response.Headers.ContentRange = "bytes " + first + "-" + last + "/" + total;
        }
        var body = new ReadOnlyMemory<byte>(content, (int)first, (int)(last - first + 1));
        var recipient = _recipients.TryGetValue(q["security-token"].FirstOrDefault() ?? "", out var r) ? r : default;
        if (fault?.Kind is FileFaultKind.ResetAfter or FileFaultKind.AbortAfter)
        {
            response.StatusCode = status;
            response.ContentType = "application/octet-stream";
            response.ContentLength = body.Length;
            var k = (int)Math.Min(body.Length, Math.Max(0, fault.ByteCount));
            if (!HttpMethods.IsHead(ctx.Request.Method))
            {
                await response.Body.WriteAsync(body[..k], ctx.RequestAborted);
            }
            await response.Body.FlushAsync(ctx.RequestAborted);
            if (recipient.DeviceName != null)
            {
                Progress(recipient, config, first + k);
            }
            if (fault.Kind == FileFaultKind.AbortAfter)
            {
                ctx.Abort();
            }
            // Ending short of Content-Length makes Kestrel close the connection after the bytes sent; an abort (RST)
            // could make the client's kernel discard bytes it had already received.
            return k;
        }
        if (recipient.DeviceName is null || HttpMethods.IsHead(ctx.Request.Method))
        {
            return await WriteAsync(ctx, status, "application/octet-stream", body);
        }
        response.StatusCode = status;
        response.ContentType = "application/octet-stream";
        response.ContentLength = body.Length;
        long sent = 0;
        Progress(recipient, config, first);
        while (sent < body.Length)
        {
            var chunk = body.Slice((int)sent, (int)Math.Min(ChunkSize, body.Length - sent));
            await response.Body.WriteAsync(chunk, ctx.RequestAborted);
            sent += chunk.Length;
            Progress(recipient, config, first + sent);
        }
        return sent;
    }

    private void Progress((string ProductKey, string DeviceName) recipient, ConfigFile config, long reached) =>
        _history.Add(new FleetEvent(DateTimeOffset.UtcNow, recipient.ProductKey, recipient.DeviceName, config.ConfigId,
            reached >= config.Size ? RolloutStage.Trial : RolloutStage.Downloading, reached, config.Size));

    /// <summary>Parses a single <c>bytes=</c> range (N-, N-M or -S); false when the header should be ignored.</summary>
    public static bool TryParseRange(string header, long total, out long first, out long last, out bool satisfiable)
    {
        first = 0;
        last = total - 1;
        satisfiable = true;
        var value = header.Trim();
        if (!value.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || value.Contains(','))
        {
            return false;
        }
        var spec = value[6..].Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return false;
        }
        var a = spec[..dash].Trim();
        var b = spec[(dash + 1)..].Trim();
        const NumberStyles digits = NumberStyles.None;
        if (a.Length == 0)
        {
            if (!long.TryParse(b, digits, CultureInfo.InvariantCulture, out var suffix))
            {
                return false;
            }
            satisfiable = suffix > 0 && total > 0;
            first = Math.Max(0, total - suffix);
            return true;
        }
        if (!long.TryParse(a, digits, CultureInfo.InvariantCulture, out first))
        {
            return false;
        }
        if (b.Length > 0)
        {
            if (!long.TryParse(b, digits, CultureInfo.InvariantCulture, out var end) || end < first)
            {
                return false;
            }
            last = Math.Min(end, total - 1);
        }
        satisfiable = first < total;
        return true;
    }

    private FileFault? TakeFault(string configId)
    {
        lock (_gate)
        {
            var own = _faults.TryGetValue(configId, out var f);
            var fault = own ? f : _globalFault;
            if (fault is null)
            {
                return null;
            }
            if (fault.Times != int.MaxValue)
            {
                var left = fault with { Times = fault.Times - 1 };
                if (own)
                {
                    if (left.Times > 0) { _faults[configId] = left; } else { _faults.Remove(configId); }
                }
                else
                {
                    _globalFault = left.Times > 0 ? left : null;
                }
            }
            return fault;
        }
    }

    // An OSS error body; `detail` holds what OSS adds for the code (such as the access key id it did not know).
    private static Task<long> ErrorAsync(HttpContext ctx, int status, string code, string message, params XElement[] detail)
    {
        var error = new XElement("Error",
            new XElement("Code", code),
            new XElement("Message", message),
            new XElement("RequestId", Guid.NewGuid().ToString("N").ToUpperInvariant()),
            new XElement("HostId", Bucket + ".local"),
            detail);
        return WriteAsync(ctx, status, "application/xml", Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + error + "\n"));
    }

    // What of a request's text an XML body can hold: a character XML cannot carry (a control character such as
    // U+0001, a lone surrogate) would make writing the error body throw, so it is left out.
    private static string XmlText(string text)
    {
        var kept = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i]))
            {
                kept.Append(text[i]);
            }
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                kept.Append(text, i, 2);
                i++;
            }
        }

        return kept.ToString();
    }

    private static async Task<long> WriteAsync(HttpContext ctx, int status, string contentType, ReadOnlyMemory<byte> body)
    {
        var response = ctx.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (HttpMethods.IsHead(ctx.Request.Method))
        {
            return 0;
        }
        await response.Body.WriteAsync(body, ctx.RequestAborted);
        return body.Length;
    }
}
