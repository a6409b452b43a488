using System.Buffers;
using System.Text;
using System.Threading.Channels;
using CotaFirmware.Host.Cloud.Registry;
using CotaFirmware.Host.Cloud;
using MQTTnet.Formatter;
using MQTTnet;

namespace CotaFirmware.HostTests.Cloud;

/// <summary>An MQTTnet client standing in for a device: Aliyun-signed CONNECT, subscribe, publish, and a queue of
/// what it received.</summary>
internal sealed class TestDevice : IAsyncDisposable
{
    private readonly Channel<MqttApplicationMessage> _received = Channel.CreateUnbounded<MqttApplicationMessage>();
    private readonly TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TestDevice(IMqttClient client, string productKey, string deviceName)
    {
        Client = client;
        ProductKey = productKey;
        DeviceName = deviceName;
        client.ApplicationMessageReceivedAsync += e =>
        {
            _received.Writer.TryWrite(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected)
            {
                _disconnected.TrySetResult();
            }
            return Task.CompletedTask;
        };
    }

    /// <summary>Completes when the broker (or the device) ends the connection.</summary>
    public Task Disconnected => _disconnected.Task;

    public IMqttClient Client { get; }

    public string ProductKey { get; }

    public string DeviceName { get; }

    public string Sys(string rest) => "/sys/" + ProductKey + "/" + DeviceName + "/" + rest;

    /// <summary>Credentials as the C SDK makes them; each part can be spoiled by a test.</summary>
    public static MqttClientOptions Options(LocalPlatform platform, Device device, bool tls = false,
        string signMethod = "hmacsha256", bool upperHex = true, string? secret = null, string? clientId = null,
        string? userName = null, string timestamp = "2524608000000", int keepAliveSeconds = 60, string? signedId = null,
        bool cleanSession = true)
    {
        var id = signedId ?? device.ProductKey + "." + device.DeviceName;
        var mode = tls ? "2" : "3";
        var password = DeviceSignature.MqttPassword(signMethod, secret ?? device.DeviceSecret!, id, device.DeviceName,
            device.ProductKey, timestamp);
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(platform.Host, tls ? platform.MqttTlsPort : platform.MqttPort)
            .WithClientId(clientId ?? id + "|timestamp=" + timestamp + ",_v=sdk-c-3.0.1,securemode=" + mode
                + ",signmethod=" + signMethod + ",lan=C,gw=0,ext=0|")
            .WithCredentials(userName ?? device.DeviceName + "&" + device.ProductKey,
                upperHex ? password : password.ToLowerInvariant())
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(keepAliveSeconds))
            .WithCleanSession(cleanSession)
            .WithTimeout(TimeSpan.FromSeconds(20));
        if (tls)
        {
            builder.WithTlsOptions(o => o.UseTls()
                .WithCertificateValidationHandler(e => platform.Certificates.IsTrusted(e.Certificate)));
        }
        return builder.Build();
    }

    public static Task<TestDevice> ConnectAsync(LocalPlatform platform, Device device, bool tls = false) =>
        ConnectAsync(device, Options(platform, device, tls));

    public static async Task<TestDevice> ConnectAsync(Device device, MqttClientOptions options)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var d = new TestDevice(client, device.ProductKey, device.DeviceName);
        await client.ConnectAsync(options);
        return d;
    }

    /// <summary>The CONNACK result code for these options (the connection is closed again).</summary>
    public static async Task<MqttClientConnectResultCode> TryConnectAsync(MqttClientOptions options)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        // MQTTnet reports a refused CONNACK in the result rather than by throwing.
        var result = await client.ConnectAsync(options);
        if (client.IsConnected)
        {
            await client.DisconnectAsync();
        }
        return result.ResultCode;
    }

    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string filter)
    {
        var result = await Client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(filter, MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return result.Items.Single().ResultCode;
    }

    public Task PublishAsync(string topic, string payload) =>
        Client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());

    /// <summary>The next message received on <paramref name="topic"/>, as text (others are skipped).</summary>
    public async Task<string> ReceiveAsync(string topic, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var message = await _received.Reader.ReadAsync(cts.Token);
            if (message.Topic == topic)
            {
                return Encoding.UTF8.GetString(message.Payload.ToArray());
            }
        }
    }

    /// <summary>True when nothing arrives on <paramref name="topic"/> within <paramref name="wait"/>.</summary>
    public async Task<bool> NothingOnAsync(string topic, TimeSpan wait)
    {
        try
        {
            await ReceiveAsync(topic, wait);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Client.IsConnected)
        {
            await Client.DisconnectAsync();
        }
        Client.Dispose();
    }
}
