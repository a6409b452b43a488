using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Server;

namespace CotaFirmware.Host.Cloud.Broker;

/// <summary>The broker's two loopback listeners (plain TCP and TLS), which bound every connection before MQTTnet
/// sees it: a cap on open connections, one deadline for the TLS handshake and the whole CONNECT, a CONNECT no larger
/// than the largest legal login, and later packets no larger than <see cref="PlatformSettings.MaxPacketBytes"/>.</summary>
internal sealed class PlatformMqttListener : IMqttServerAdapter
{
    /// <summary>The largest CONNECT remaining length accepted: an Aliyun login (a 64-character client id with its
    /// parameters, a 32-character device name, a 20-character product key, a 64-digit hex password) fits with room
    /// for the SDKs' extras.</summary>
    public const int MaxConnectBytes = 1024;

    private readonly PlatformSettings _settings;
    private readonly X509Certificate2 _certificate;
    private readonly Action<string, string> _refuse;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Socket> _sockets = new();
    private MqttServerOptions? _options;
    private IMqttNetLogger? _logger;
    private int _open;

    public PlatformMqttListener(PlatformSettings settings, X509Certificate2 certificate, int port, int tlsPort,
        Action<string, string> refuse)
    {
        _settings = settings;
        _certificate = certificate;
        Port = port;
        TlsPort = tlsPort;
        _refuse = refuse;
    }

    public int Port { get; }

    public int TlsPort { get; }

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        _options = options;
        _logger = logger;
        try
        {
            foreach (var port in new[] { Port, TlsPort })
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                _sockets.Add(socket);
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                socket.Listen(512);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
        _ = Task.Run(() => AcceptAsync(_sockets[0], secure: false));
        _ = Task.Run(() => AcceptAsync(_sockets[1], secure: true));
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
        }
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
        _sockets.Clear();
    }

    private async Task AcceptAsync(Socket listener, bool secure)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }
                continue;
            }
            if (Interlocked.Increment(ref _open) > _settings.MaxConnections)
            {
                Interlocked.Decrement(ref _open);
                _refuse("accept", "more than " + _settings.MaxConnections + " open connections");
                client.Dispose();
                continue;
            }
            _ = Task.Run(async () =>
            {
                try
                {
                    await ServeAsync(client, secure);
                }
                finally
                {
                    Interlocked.Decrement(ref _open);
                }
            });
        }
    }

    private async Task ServeAsync(Socket client, bool secure)
    {
        client.NoDelay = true;
        Stream stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            BoundedMqttChannel channel;
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
            {
                deadline.CancelAfter(_settings.ConnectDeadline);
                try
                {
                    if (secure)
                    {
                        var tls = new SslStream(stream, false);
                        stream = tls;
                        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                        {
                            ServerCertificate = _certificate,
                            EncryptionPolicy = EncryptionPolicy.RequireEncryption,
                        }, deadline.Token);
                    }
                    channel = new BoundedMqttChannel(stream, secure, client.LocalEndPoint, client.RemoteEndPoint,
                        MaxConnectBytes, _settings.MaxPacketBytes, _refuse);
                    if (!await channel.ReadConnectAsync(deadline.Token))
                    {
                        return;
                    }
                }
                catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
                {
                    _refuse("connect", "no complete CONNECT within " + _settings.ConnectDeadline.TotalSeconds + " s");
                    return;
                }
                catch (Exception ex) when (ex is IOException or AuthenticationException or SocketException)
                {
                    return;
                }
            }
            if (ClientHandler is not { } handler || _options is null)
            {
                return;
            }
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(_options.WriterBufferSize,
                _options.WriterBufferSizeMax));
            using var adapter = new MqttChannelAdapter(channel, formatter, _logger!);
            await handler(adapter);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or OperationCanceledException)
        {
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }
}
