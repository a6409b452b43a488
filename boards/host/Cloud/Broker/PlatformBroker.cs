using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Threading.Channels;
using CotaFirmware.Host.Cloud.Registry;
using MQTTnet.Protocol;
using MQTTnet.Server;
using MQTTnet;

namespace CotaFirmware.Host.Cloud.Broker;

/// <summary>The embedded MQTT broker: Aliyun-style device authentication and per-device topic rights, on
/// loopback over plain TCP and TLS. Device messages are handed, in order, to a handler.</summary>
public sealed class PlatformBroker : IAsyncDisposable
{
    /// <summary>The clientId the platform's own publications carry.</summary>
    public const string PlatformClientId = "$platform";

    /// <summary>The timestamp a device without a clock signs with (the C SDK's, 2050-01-01): accepted at any time.</summary>
    public const string NoClockTimestamp = "2524608000000";

    /// <summary>How many refusals are kept: a flood of refused connections costs no more memory than this.</summary>
    public const int KeptRefusals = 1000;

    private readonly DeviceRegistry _registry;
    private readonly PlatformSettings _settings;
    private readonly MqttServer _server;
    private readonly ConcurrentDictionary<string, ConnectedDevice> _identities = new(StringComparer.Ordinal);

    // The order logins were accepted in, by client id: "older" is decided by it, not by when MQTTnet's connected
    // events happen to run (they run concurrently, and a late one must not close a newer connection).
    private readonly ConcurrentDictionary<string, long> _loginOrder = new(StringComparer.Ordinal);
    private long _logins;
    private readonly ConcurrentQueue<BrokerRefusal> _refusals = new();
    private readonly Channel<(ConnectedDevice Device, string Topic, byte[] Payload)> _inbox =
        Channel.CreateUnbounded<(ConnectedDevice, string, byte[])>(new UnboundedChannelOptions { SingleReader = true });
    private Func<ConnectedDevice, string, byte[], Task>? _handler;
    private Action? _presence;
    private Task? _pump;

    private PlatformBroker(DeviceRegistry registry, PlatformSettings settings, MqttServer server, int port, int tlsPort)
    {
        _registry = registry;
        _settings = settings;
        _server = server;
        Port = port;
        TlsPort = tlsPort;
        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.InterceptingPublishAsync += InterceptPublishAsync;
        server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        server.ClientDisconnectedAsync += e =>
        {
            if (_identities.TryGetValue(e.ClientId, out var who))
            {
                Note("disconnected " + who.ProductKey + "/" + who.DeviceName + " (" + e.DisconnectType + ")");
            }
            _presence?.Invoke();
            return Task.CompletedTask;
        };
        server.ClientConnectedAsync += async e =>
        {
            await CloseOlderConnectionsAsync(e.ClientId);
            _presence?.Invoke();
        };
    }

    /// <summary>Port of the plain-TCP listener (securemode=3).</summary>
    public int Port { get; }

    /// <summary>Port of the TLS listener (securemode=2).</summary>
    public int TlsPort { get; }

    /// <summary>The latest refusals (at most <see cref="KeptRefusals"/>), oldest first.</summary>
    public IReadOnlyList<BrokerRefusal> Refusals => _refusals.ToArray();

    /// <summary>Starts the broker on 127.0.0.1 with the given server certificate for TLS.</summary>
    internal static async Task<PlatformBroker> StartAsync(DeviceRegistry registry, PlatformSettings settings,
        PlatformCertificates certificates, int port, int tlsPort)
    {
        port = port != 0 ? port : FreePort.Find();
        tlsPort = tlsPort != 0 ? tlsPort : FreePort.Find(port);
        // The endpoints are the platform's own listener, which bounds a connection before MQTTnet reads it.
        var serverOptions = new MqttServerOptionsBuilder().Build();
        PlatformBroker? broker = null;
        var listener = new PlatformMqttListener(settings, certificates.ServerCertificate, port, tlsPort,
            (action, reason) => broker?.Refuse(null, null, action, null, reason));
        var server = new MqttServerFactory().CreateMqttServer(serverOptions, new IMqttServerAdapter[] { listener });
        broker = new PlatformBroker(registry, settings, server, port, tlsPort);
        await server.StartAsync();
        broker._pump = Task.Run(broker.PumpAsync);
        return broker;
    }

    /// <summary>Sets who handles device messages that passed the topic rights (one at a time, in arrival order).</summary>
    internal void OnDeviceMessage(Func<ConnectedDevice, string, byte[], Task> handler) => _handler = handler;

    /// <summary>Sets who is told when a client connects or disconnects.</summary>
    internal void OnPresenceChanged(Action changed) => _presence = changed;

    /// <summary>The devices connected now.</summary>
    public async Task<IReadOnlyList<ConnectedDevice>> OnlineDevicesAsync()
    {
        var clients = await _server.GetClientsAsync();
        var online = new List<ConnectedDevice>();
        foreach (var client in clients)
        {
            if (_identities.TryGetValue(client.Id, out var identity))
            {
                online.Add(identity);
            }
        }
        return online;
    }

    /// <summary>Publishes from the platform to a device topic.</summary>
    public Task PublishAsync(string topic, string payload, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtMostOnce)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(qos)
            .Build();
        return _server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message)
        {
            SenderClientId = PlatformClientId,
        });
    }

    /// <summary>Disconnects every client of a device (to test reconnection).</summary>
    public async Task DisconnectDeviceAsync(string productKey, string deviceName)
    {
        foreach (var client in await _server.GetClientsAsync())
        {
            if (_identities.TryGetValue(client.Id, out var d) && d.ProductKey == productKey && d.DeviceName == deviceName)
            {
                await client.DisconnectAsync();
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _inbox.Writer.TryComplete();
        if (_pump != null)
        {
            await _pump;
        }
        _server.Dispose();
    }

    private Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var reason = Authenticate(e, out var identity);
        if (identity != null)
        {
            lock (_identities)
            {
                // A client id names one device's session: another device never resumes it, nor knocks its owner off.
                if (_identities.TryGetValue(e.ClientId, out var owner) && !owner.IsSameDevice(identity))
                {
                    reason = (MqttConnectReasonCode.ClientIdentifierNotValid, "client id in use by another device");
                    identity = null;
                }
                else
                {
                    _identities[e.ClientId] = identity;
                    _loginOrder[e.ClientId] = ++_logins;
                }
            }
        }
        if (identity is null)
        {
            Refuse(e.ClientId, e.UserName, "connect", null, reason.Text);
            e.ReasonCode = reason.Code;
            return Task.CompletedTask;
        }
        _registry.MarkActivated(identity.ProductKey, identity.DeviceName);
        Note("connected " + identity.ProductKey + "/" + identity.DeviceName + (identity.Secure ? " (TLS)" : " (TCP)"));
        e.ReasonCode = MqttConnectReasonCode.Success;
        return Task.CompletedTask;
    }

    // One connection per device, as on Aliyun: a new login closes the device's other connections and ends their
    // sessions, whatever their client ids (an equal client id MQTTnet has already taken over).
    private async Task CloseOlderConnectionsAsync(string clientId)
    {
        if (Identity(clientId) is not { } identity)
        {
            return;
        }
        var older = new List<string>();
        lock (_identities)
        {
            long mine = _loginOrder.TryGetValue(clientId, out long order) ? order : long.MaxValue;
            foreach (var (id, other) in _identities)
            {
                if (id != clientId && other.IsSameDevice(identity) && (!_loginOrder.TryGetValue(id, out long theirs) || theirs < mine))
                {
                    older.Add(id);
                }
            }
        }
        foreach (var id in older)
        {
            var sessions = await _server.GetSessionsAsync();
            if (sessions.FirstOrDefault(s => s.Id == id) is { } session)
            {
                Note("a new login of " + identity.ProductKey + "/" + identity.DeviceName + " closes its older connection");
                await session.DeleteAsync();
            }
            lock (_identities)
            {
                _identities.TryRemove(id, out _);
                _loginOrder.TryRemove(id, out _);
            }
        }
    }

    private (MqttConnectReasonCode Code, string Text) Authenticate(ValidatingConnectionEventArgs e, out ConnectedDevice? identity)
    {
        identity = null;
        if (!AliyunClientId.TryParse(e.ClientId, out var clientId) || clientId is null)
        {
            return (MqttConnectReasonCode.ClientIdentifierNotValid, "malformed clientId");
        }
        var user = e.UserName ?? "";
        var amp = user.IndexOf('&');
        if (amp <= 0 || amp == user.Length - 1 || user.IndexOf('&', amp + 1) >= 0)
        {
            return (MqttConnectReasonCode.BadUserNameOrPassword, "username is not {dn}&{pk}");
        }
        var deviceName = user[..amp];
        var productKey = user[(amp + 1)..];
        var device = _registry.FindDevice(productKey, deviceName);
        if (device?.DeviceSecret is null)
        {
            return (MqttConnectReasonCode.BadUserNameOrPassword, "unknown device or no secret yet");
        }
        var secure = e.ChannelAdapter.IsSecureConnection;
        if (_settings.EnforceSecureMode && clientId.SecureMode != (secure ? 2 : 3))
        {
            return (MqttConnectReasonCode.NotAuthorized, "securemode " + clientId.SecureMode + " on " + (secure ? "TLS" : "TCP"));
        }
        if (_settings.EnforceKeepAliveRange && (e.KeepAlivePeriod < 30 || e.KeepAlivePeriod > 1200))
        {
            return (MqttConnectReasonCode.NotAuthorized, "keep-alive " + e.KeepAlivePeriod + " s outside 30-1200 s");
        }
        var expected = DeviceSignature.Hmac(clientId.SignMethod, device.DeviceSecret,
            DeviceSignature.MqttSignContent(clientId.Id, deviceName, productKey, clientId.Timestamp));
        if (expected is null || !DeviceSignature.HexMatches(e.Password, expected))
        {
            return (MqttConnectReasonCode.BadUserNameOrPassword, "password does not verify");
        }
        if (!IsFreshTimestamp(clientId.Timestamp))
        {
            return (MqttConnectReasonCode.NotAuthorized, "timestamp " + clientId.Timestamp + " outside ±"
                + _settings.LoginTimestampWindow.TotalMinutes + " min of the platform's clock");
        }
        identity = new ConnectedDevice(productKey, deviceName, e.ClientId, secure);
        return (MqttConnectReasonCode.Success, "");
    }

    // A device with a clock signs its login with the time, so a captured login replays only within the window. A
    // device without one signs with the C SDK's fixed timestamp (or none), which cannot be checked.
    private bool IsFreshTimestamp(string? timestamp)
    {
        if (timestamp is null || timestamp == NoClockTimestamp)
        {
            return true;
        }
        return long.TryParse(timestamp, out var ms)
            && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - ms) <= _settings.LoginTimestampWindow.TotalMilliseconds;
    }

    private Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        if (e.ClientId == PlatformClientId)
        {
            return Task.CompletedTask;
        }
        var topic = e.ApplicationMessage.Topic;
        if (Identity(e.ClientId) is not { } identity
            || !TopicRights.Allows(identity.ProductKey, identity.DeviceName, topic))
        {
            e.ProcessPublish = false;
            Refuse(e.ClientId, e.UserName, "publish", topic, "not this device's topic");
            return Task.CompletedTask;
        }
        var payload = e.ApplicationMessage.Payload.ToArray();
        _inbox.Writer.TryWrite((identity, topic, payload));
        return Task.CompletedTask;
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        var filter = e.TopicFilter.Topic;
        if (Identity(e.ClientId) is not { } identity
            || !TopicRights.Allows(identity.ProductKey, identity.DeviceName, filter))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            Refuse(e.ClientId, e.UserName, "subscribe", filter, "not this device's topic");
        }
        return Task.CompletedTask;
    }

    // Rights come from the identity that authenticated the connection, never from a session's stored items.
    private ConnectedDevice? Identity(string clientId) => _identities.TryGetValue(clientId, out var known) ? known : null;

    private async Task PumpAsync()
    {
        await foreach (var (device, topic, payload) in _inbox.Reader.ReadAllAsync())
        {
            try
            {
                if (_handler != null)
                {
                    await _handler(device, topic, payload);
                }
            }
            catch (Exception ex)
            {
                Note("handling " + topic + " failed: " + ex.Message);
            }
        }
    }

    private void Refuse(string? clientId, string? userName, string action, string? topic, string reason)
    {
        _refusals.Enqueue(new BrokerRefusal(DateTimeOffset.UtcNow, clientId, userName, action, topic, reason));
        while (_refusals.Count > KeptRefusals && _refusals.TryDequeue(out _))
        {
        }
        Note("refused " + action + (topic is null ? "" : " " + topic) + " for " + userName + ": " + reason);
    }

    private void Note(string text) => _settings.Log?.Invoke("mqtt: " + text);
}
