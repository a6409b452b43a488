using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CotaFirmware.HostTests.Linkkit;

/// <summary>
/// An in-process MQTTnet broker on a free loopback port that authenticates devices the way the platform does:
/// username {dn}&amp;{pk}, clientId {id}|securemode=..,signmethod=..,timestamp=..|, password the HMAC of the fields.
/// </summary>
public sealed class SigningBroker : IAsyncDisposable
{
    readonly MqttServer _server;
    readonly Dictionary<string, string> _secrets = new();

    SigningBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
        _server.ValidatingConnectionAsync += Validate;
    }

    public int Port { get; }

    public int Refusals { get; private set; }

    public MqttServer Server => _server;

    public static async Task<SigningBroker> StartAsync()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(port)
            .Build();
        var broker = new SigningBroker(new MqttServerFactory().CreateMqttServer(options), port);
        await broker._server.StartAsync();
        return broker;
    }

    public void AddDevice(string productKey, string deviceName, string secret) => _secrets[deviceName + "&" + productKey] = secret;

    Task Validate(ValidatingConnectionEventArgs e)
    {
        if (e.ClientId.StartsWith("cloud-"))
        {
            return Task.CompletedTask;
        }

        if (!Accepts(e.ClientId, e.UserName, e.Password))
        {
            Refusals++;
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
        }

        return Task.CompletedTask;
    }

    bool Accepts(string clientId, string? userName, string? password)
    {
        if (userName == null || password == null || !_secrets.TryGetValue(userName, out var secret))
        {
            return false;
        }

        string[] user = userName.Split('&');
        int bar = clientId.IndexOf('|');
        if (bar < 1 || bar > 64 || !clientId.EndsWith('|'))
        {
            return false;
        }

        var fields = clientId[(bar + 1)..^1].Split(',').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f.Length > 1 ? f[1] : "");
        string id = clientId[..bar];
        string text = "clientId" + id + "deviceName" + user[0] + "productKey" + user[1] + "timestamp" + fields.GetValueOrDefault("timestamp", "");
        byte[] key = Encoding.ASCII.GetBytes(secret);
        byte[] mac = fields.GetValueOrDefault("signmethod") switch
        {
            "hmacsha256" => HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(text)),
            "hmacsha1" => HMACSHA1.HashData(key, Encoding.ASCII.GetBytes(text)),
            _ => Array.Empty<byte>(),
        };
        return mac.Length > 0 && string.Equals(Convert.ToHexString(mac), password, StringComparison.OrdinalIgnoreCase);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }
}
