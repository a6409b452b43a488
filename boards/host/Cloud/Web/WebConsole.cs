using System.Globalization;
using System.Net;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using System.Text.Json;
using System.Text;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace CotaFirmware.Host.Cloud.Web;

/// <summary>The web console (Kestrel, plain HTTP on 127.0.0.1): the page (HTML, CSS and JS embedded in this
/// assembly) and the API the page and the command line use. Every API call carries the console token (header
/// <see cref="TokenHeader"/>, or query <c>token</c> for a GET); the page reads it from its own address. A request
/// whose Origin is another site is refused.</summary>
public sealed class WebConsole : IAsyncDisposable
{
    /// <summary>The header that carries the token.</summary>
    public const string TokenHeader = "X-Cota-Token";

    /// <summary>The most the publish call reads of a request; the devices' limit (<see cref="PlatformSettings.MaxConfigSize"/>) is smaller.</summary>
    public const int MaxRequestBytes = 16 * 1024 * 1024;

    /// <summary>How the API writes JSON (camelCase, enums as names).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The most devices one provision call makes.</summary>
    public const int MaxProvision = 10000;

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    private WebConsole(WebApplication app, int port, string token)
    {
        _app = app;
        Port = port;
        Token = token;
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The token API calls carry.</summary>
    public string Token { get; }

    /// <summary>The page's address, token included.</summary>
    public string Address => "http://127.0.0.1:" + Port + "/?token=" + Token;

    internal static async Task<WebConsole> StartAsync(LocalPlatform platform, int port, string token)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = platform.DataFolder,
            EnvironmentName = "Production",
            ApplicationName = "CotaFirmware.LocalPlatform.Console",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.RequestHeadersTimeout = platform.Settings.ConnectDeadline;
            kestrel.Listen(IPAddress.Loopback, port,
                listen => ConnectionCap.Apply(listen, platform.Settings.MaxConnections, "console", platform.Settings.Log));
        });
        var app = builder.Build();
        app.Use(async (ctx, next) =>
        {
            // Only this machine's own names reach the console (no DNS rebinding), and no other site frames it or
            // learns the token from a Referer.
            if (!IsOwnAuthority(ctx, ctx.Request.Host.Value))
            {
                ctx.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                return;
            }
            ctx.Response.Headers["Content-Security-Policy"] =
                "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'";
            ctx.Response.Headers["Referrer-Policy"] = "no-referrer";
            ctx.Response.Headers["X-Content-Type-Options"] = "nosniff";
            await next(ctx);
        });
        // The page: index.html at /, its script, style, icon and the vendored chart library, no cached copy kept stale.
        var page = new EmbeddedFileProvider(typeof(WebConsole).Assembly, typeof(WebConsole).Namespace + ".Page");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = page });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = page,
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
        });
        var stopping = new CancellationTokenSource();
        var api = app.MapGroup("/api").AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            if (request.Headers.Origin.FirstOrDefault() is { } origin
                && !(origin.StartsWith("http://", StringComparison.Ordinal) && IsOwnAuthority(context.HttpContext, origin["http://".Length..])))
            {
                return Results.Json(new { error = "a request from another site (Origin " + origin + ") is refused" }, Json, statusCode: 403);
            }
            // A change needs the token in the header, which no other site's page can set; reading may take it from the
            // query (server-sent events cannot send headers).
            string given = request.Headers[TokenHeader].FirstOrDefault()
                ?? (HttpMethods.IsGet(request.Method) ? request.Query["token"].FirstOrDefault() : null) ?? "";
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token)))
            {
                return Results.Json(new { error = HttpMethods.IsGet(request.Method)
                    ? "this needs the console token: open the address `cota-host cloud` printed"
                    : "a change needs the console token in the " + TokenHeader + " header" }, Json, statusCode: 403);
            }
            return await next(context);
        });
        api.MapGet("/state", async () => Results.Json(await platform.SnapshotAsync(), Json));
        // Parameters bind as text, so that a missing or malformed one is a 400 naming it, not the framework's empty 400.
        api.MapGet("/rollout", (string? configId) => string.IsNullOrEmpty(configId)
            ? Results.Json(new { error = "rollout needs configId: the publication to show" }, Json, statusCode: 400)
            : platform.Registry.FindConfig(configId) is { } config
            ? Results.Json(FleetView.Rollout(platform.Registry, platform.History, config), Json)
            : Results.Json(new { error = "no config " + configId }, Json, statusCode: 404));
        api.MapGet("/events", () => TypedResults.ServerSentEvents(StateEvents(platform, stopping.Token)));
        api.MapPost("/publish", (HttpContext ctx, string? productKey, string? allowEmpty) =>
        {
            bool empty = false;
            return allowEmpty is null || bool.TryParse(allowEmpty, out empty) ? PublishAsync(ctx, platform, productKey, empty)
                : Task.FromResult(Results.Json(new { error = "allowEmpty is true or false, not '" + allowEmpty + "'" }, Json, statusCode: 400));
        });
        api.MapPost("/republish", async (string? configId) =>
        {
            if (string.IsNullOrEmpty(configId))
            {
                return Results.Json(new { error = "republish needs configId: the config to publish again" }, Json, statusCode: 400);
            }
            if (platform.Registry.FindConfig(configId) is null)
            {
                return Results.Json(new { error = "no config " + configId }, Json, statusCode: 404);
            }
            var config = platform.Cota.RepublishConfig(configId);
            var pushes = await platform.Cota.PushAsync(config.ProductKey, config.ConfigId);
            var refusing = platform.Registry.DevicesDoneWith(config);
            return Results.Json(new PublishReply(config.ConfigId, config.ProductKey, config.Size, config.Sign,
                pushes.Select(p => p.DeviceName).ToArray(), refusing.ToArray(), PlatformCota.RefusedForGood(refusing)), Json);
        });
        api.MapPost("/provision", (string? productKey, string? count, string? prefix) =>
        {
            if (string.IsNullOrEmpty(productKey))
            {
                return Results.Json(new { error = "provision needs productKey: the product to add devices to" }, Json, statusCode: 400);
            }
            if (platform.Registry.FindProduct(productKey) is null)
            {
                return Results.Json(new { error = "unknown product " + productKey }, Json, statusCode: 404);
            }
            if (!int.TryParse(count ?? "1", NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) || n < 1 || n > MaxProvision)
            {
                return Results.Json(new { error = "count must be a whole number from 1 to " + MaxProvision + ", not '" + count + "'" }, Json, statusCode: 400);
            }
            prefix ??= "dev";
            if (DeviceRegistry.NumberedNamesProblem(prefix, n) is { } problem)
            {
                return Results.Json(new { error = "prefix " + problem }, Json, statusCode: 400);
            }
            var devices = new List<ProvisionedDevice>();
            for (int i = 1; i <= n; i++)
            {
                string name = prefix + i;
                var found = platform.Registry.FindDevice(productKey, name);
                var device = found ?? platform.Registry.AddDevice(productKey, name);
                devices.Add(new ProvisionedDevice(device.DeviceName, device.DeviceSecret ?? "", found is null));
            }
            var added = devices.Where(d => d.Added).Select(d => d.DeviceName).ToArray();
            if (added.Length > 0)
            {
                platform.Settings.Log?.Invoke("registry: provisioned " + added.Length + " device" + (added.Length == 1 ? "" : "s") + " in "
                    + productKey + ": " + Names(added));
            }
            platform.History.Touch();
            return Results.Json(devices, Json);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var console = new WebConsole(app, new Uri(address).Port, token);
        console._stopping.Token.Register(stopping.Cancel);
        return console;
    }

    /// <summary>Device names for a log line: all of a few, else the first and the last.</summary>
    public static string Names(IReadOnlyList<string> names) =>
        names.Count <= 4 ? string.Join(", ", names) : names[0] + ".." + names[^1];

    /// <summary>Stops serving; open event streams end.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _app.StopAsync(timeout.Token);
        }
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    // host:port names this console: 127.0.0.1 or localhost, on the port the request came in on.
    private static bool IsOwnAuthority(HttpContext ctx, string? authority)
    {
        var port = ":" + ctx.Connection.LocalPort;
        return authority == "127.0.0.1" + port || authority == "localhost" + port;
    }

    // Server-sent events: the snapshot now, then again after each change (at most four a second), and an idle event
    // every 15 s so idle proxies and browsers keep the stream. They end with the request or the console.
    private static async IAsyncEnumerable<SseItem<string>> StateEvents(LocalPlatform platform, CancellationToken stopping,
        [EnumeratorCancellation] CancellationToken aborted = default)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping);
        long seen = -1;
        do
        {
            long version = platform.History.Version;
            if (version == seen)
            {
                yield return new SseItem<string>("", "idle");
                continue;
            }

            seen = version;
            yield return new SseItem<string>(JsonSerializer.Serialize(await platform.SnapshotAsync(), Json), "state");
        }
        while (await NextChangeAsync(platform.History, seen, both.Token));
    }

    // Waits a quarter second, then for the next change or 15 s; false once the stream is to end.
    private static async Task<bool> NextChangeAsync(FleetHistory history, long seen, CancellationToken cancel)
    {
        try
        {
            await Task.Delay(250, cancel);
            await history.WaitForChangeAsync(seen, TimeSpan.FromSeconds(15), cancel);
            return !cancel.IsCancellationRequested;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // The rollout's threshold from haltCount, haltPercent and haltMinResults (each defaulting to RolloutHalt.Default's);
    // null when none is given.
    private static RolloutHalt? Halt(IQueryCollection query, ref string? problem)
    {
        if (!query.ContainsKey("haltCount") && !query.ContainsKey("haltPercent") && !query.ContainsKey("haltMinResults"))
        {
            return null;
        }
        int Field(string name, int fallback, ref string? problem)
        {
            var text = query[name].FirstOrDefault();
            if (text is null)
            {
                return fallback;
            }
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }
            problem ??= name + " is a whole number";
            return fallback;
        }
        var d = RolloutHalt.Default;
        var halt = new RolloutHalt(Field("haltCount", query.ContainsKey("haltPercent") ? 0 : d.Count, ref problem),
            Field("haltPercent", d.Percent, ref problem), Field("haltMinResults", d.MinResults, ref problem));
        problem ??= halt.Problem();
        return halt;
    }

    private static async Task<IResult> PublishAsync(HttpContext ctx, LocalPlatform platform, string? productKey, bool allowEmpty)
    {
        productKey ??= platform.Registry.Products.FirstOrDefault()?.ProductKey;
        if (productKey is null || platform.Registry.FindProduct(productKey) is null)
        {
            return Results.Json(new { error = "unknown product " + productKey }, Json, statusCode: 404);
        }
        using var body = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await ctx.Request.Body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
        {
            if (body.Length + read > MaxRequestBytes)
            {
                return Results.Json(new { error = "the config is more than " + MaxRequestBytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes; devices take at most "
                    + platform.Settings.MaxConfigSize.ToString("N0", CultureInfo.InvariantCulture) + " bytes (maxConfigSize in their board.json): make it smaller" }, Json, statusCode: 413);
            }
            body.Write(buffer, 0, read);
        }
        var content = ConfigText.WithoutBom(body.ToArray());
        var check = ConfigText.Check(content, platform.Settings.MaxConfigSize);
        string? problem = check.Problem;
        var halt = Halt(ctx.Request.Query, ref problem);
        if (problem != null)
        {
            return Results.Json(new { error = problem }, Json, statusCode: content.Length > platform.Settings.MaxConfigSize ? 413 : 400);
        }
        if (check.Modules.Count == 0 && !allowEmpty)
        {
            return Results.Json(new { error = ConfigCheck.EmptyWarning + "; publish it with allowEmpty=true if that is what you want" }, Json,
                statusCode: 400);
        }
        var config = platform.Cota.PublishConfig(productKey, content, halt: halt);
        var pushes = await platform.Cota.PushAsync(productKey, config.ConfigId);
        return Results.Json(new PublishReply(config.ConfigId, productKey, config.Size, config.Sign,
            pushes.Select(p => p.DeviceName).ToArray()), Json);
    }
}

/// <summary>The answer to a publish: the config as published and the online devices it was pushed to.</summary>
/// <param name="RefusedForGood">Devices that refused the config before (republish only): they do not take it again.</param>
/// <param name="Warning">What a republish does not do (those devices named), or null.</param>
public sealed record PublishReply(string ConfigId, string ProductKey, long Size, string Sign, string[] PushedTo,
    string[]? RefusedForGood = null, string? Warning = null);

/// <summary>A device the platform holds, with its secret (only for the command line that runs devices).</summary>
/// <param name="Added">Provisioned by this call (it did not exist before).</param>
public sealed record ProvisionedDevice(string DeviceName, string DeviceSecret, bool Added);
