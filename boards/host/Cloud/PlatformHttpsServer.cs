using System.Net;
using CotaFirmware.Host.Cloud.Files;
using CotaFirmware.Host.Cloud.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CotaFirmware.Host.Cloud;

/// <summary>The platform's HTTPS server (Kestrel on 127.0.0.1, HTTP/1.1): dynamic registration and config downloads.</summary>
internal sealed class PlatformHttpsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PlatformHttpsServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<PlatformHttpsServer> StartAsync(PlatformSettings settings, int port, string dataFolder,
        PlatformCertificates certificates, DeviceRegistry registry, ConfigFileServer files)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = dataFolder,
            EnvironmentName = "Production",
            ApplicationName = "CotaFirmware.LocalPlatform",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Weak links read slowly; never cut a download for being slow.
            kestrel.Limits.MinResponseDataRate = null;
            // What a client sends is bounded: headers and the TLS handshake in time, a body in rate and size.
            kestrel.Limits.RequestHeadersTimeout = settings.ConnectDeadline;
            // Kestrel needs a grace period over 1 s.
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(settings.MinRequestBodyBytesPerSecond,
                TimeSpan.FromTicks(Math.Max(settings.ConnectDeadline.Ticks, TimeSpan.FromSeconds(1.5).Ticks)));
            kestrel.Limits.MaxRequestBodySize = DynamicRegistration.MaxFormBytes;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                ConnectionCap.Apply(listen, settings.MaxConnections, "https", settings.Log);
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificates.ServerCertificate;
                    https.HandshakeTimeout = settings.ConnectDeadline;
                });
            });
        });
        var app = builder.Build();
        app.MapPost("/auth/register/device", ctx => DynamicRegistration.HandleAsync(ctx, registry, settings.Log));
        app.MapMethods("/" + ConfigFileServer.Bucket + "/{productKey}/{file}", new[] { "GET", "HEAD" },
            (HttpContext ctx, string productKey, string file) => files.ServeAsync(ctx, productKey, file));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        return new PlatformHttpsServer(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _app.StopAsync(timeout.Token);
        }
        await _app.DisposeAsync();
    }
}
