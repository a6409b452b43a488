using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.Host.Cli;

/// <summary>
/// The loopback control port of a running <c>cloud</c> command: other commands publish configs, provision devices and
/// ask who is online through it. Every request must carry the token from <c>cloud.json</c>.
/// </summary>
public sealed class CloudControl : IDisposable
{
    /// <summary>The header that carries the token.</summary>
    public const string TokenHeader = "X-Cota-Token";

    readonly LocalPlatform _platform;
    readonly HttpListener _listener = new();
    readonly string _token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    readonly CancellationTokenSource _stop = new();
    readonly Task _serving;

    /// <summary>Starts serving on a free loopback port.</summary>
    public CloudControl(LocalPlatform platform)
    {
        _platform = platform;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add("http://127.0.0.1:" + Port + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The token clients must send.</summary>
    public string Token => _token;

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            if (request.Headers[TokenHeader] != _token)
            {
                await ReplyAsync(response, 403, new { error = "bad token" });
                return;
            }

            string path = request.Url?.AbsolutePath ?? "";
            string productKey = request.QueryString["productKey"] ?? "";
            if (request.HttpMethod == "POST" && path == "/publish")
            {
                using var body = new MemoryStream();
                await request.InputStream.CopyToAsync(body);
                if (_platform.Registry.FindProduct(productKey) is null)
                {
                    await ReplyAsync(response, 404, new { error = "unknown product " + productKey });
                    return;
                }

                var config = _platform.Cota.PublishConfig(productKey, body.ToArray());
                var pushes = await _platform.Cota.PushAsync(productKey, config.ConfigId);
                await ReplyAsync(response, 200, new PublishReply(config.ConfigId, config.Size, config.Sign,
                    pushes.Select(p => p.DeviceName).ToArray()));
            }
            else if (request.HttpMethod == "POST" && path == "/provision")
            {
                if (_platform.Registry.FindProduct(productKey) is null)
                {
                    await ReplyAsync(response, 404, new { error = "unknown product " + productKey });
                    return;
                }

                int count = int.TryParse(request.QueryString["count"], out int n) ? n : 1;
                string prefix = request.QueryString["prefix"] ?? "dev";
                var devices = new List<ProvisionedDevice>();
                for (int i = 1; i <= count; i++)
                {
                    string name = prefix + i;
                    var device = _platform.Registry.FindDevice(productKey, name) ?? _platform.Registry.AddDevice(productKey, name);
                    devices.Add(new ProvisionedDevice(device.DeviceName, device.DeviceSecret ?? ""));
                }

                await ReplyAsync(response, 200, devices);
            }
            else if (request.HttpMethod == "GET" && path == "/online")
            {
                var online = await _platform.Broker.OnlineDevicesAsync();
                await ReplyAsync(response, 200, online.Select(d => d.ProductKey + "/" + d.DeviceName).ToArray());
            }
            else
            {
                await ReplyAsync(response, 404, new { error = "no such control request" });
            }
        }
        catch (Exception e)
        {
            try
            {
                await ReplyAsync(response, 500, new { error = e.Message });
            }
            catch (Exception)
            {
                // the client went away
            }
        }
    }

    static async Task ReplyAsync(HttpListenerResponse response, int status, object body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    /// <summary>A client of a running platform's control port.</summary>
    public static HttpClient Client(CloudEndpoints endpoints)
    {
        var client = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:" + endpoints.ControlPort + "/"), Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Add(TokenHeader, endpoints.Token);
        return client;
    }

    /// <summary>Sends a control request and reads its JSON answer.</summary>
    /// <exception cref="UsageException">The platform is not reachable or refused the request.</exception>
    public static async Task<T> CallAsync<T>(CloudEndpoints endpoints, HttpMethod method, string pathAndQuery, byte[]? body = null)
    {
        using var client = Client(endpoints);
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (body != null)
        {
            request.Content = new ByteArrayContent(body);
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException)
        {
            throw new UsageException("the local platform (control port " + endpoints.ControlPort + ") does not answer: is `cota-host cloud` still running? (" + e.Message + ")");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                string text = await response.Content.ReadAsStringAsync();
                throw new UsageException("the local platform refused the request: " + (int)response.StatusCode + " " + text);
            }

            return await response.Content.ReadFromJsonAsync<T>() ?? throw new UsageException("empty answer from the local platform");
        }
    }

    /// <summary>The answer to a publish.</summary>
    public sealed record PublishReply(string ConfigId, long Size, string Sign, string[] PushedTo);

    /// <summary>A device the platform holds, with its secret.</summary>
    public sealed record ProvisionedDevice(string DeviceName, string DeviceSecret);
}
