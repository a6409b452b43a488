using System.Buffers;
using System.Collections.Concurrent;
using CotaFirmware.Linkkit;
using CotaFirmware.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace CotaFirmware.HostTests.Linkkit;

/// <summary>
/// <see cref="IMqttSession"/> over MQTTnet's client, for host tests against a real broker. Messages arrive on
/// MQTTnet's threads and are queued, then handed to the listener only inside <see cref="Yield"/>, as the port demands.
/// </summary>
public sealed class MqttNetSession : IMqttSession, IDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentQueue<(byte[] Topic, byte[] Payload)> _inbox = new();
    private readonly SemaphoreSlim _arrived = new(0); // released per message and per loss: Yield wakes on them
    private volatile bool _lost;
    private bool _disconnecting;
    private IMqttSessionListener? _listener;

    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2? _rootCa;

    public MqttNetSession()
        : this(null)
    {
    }

    /// <summary>A session whose TLS connections trust only <paramref name="rootCa"/> (host name still checked); null: the system store.</summary>
    public MqttNetSession(System.Security.Cryptography.X509Certificates.X509Certificate2? rootCa)
    {
        _rootCa = rootCa;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            _inbox.Enqueue((System.Text.Encoding.UTF8.GetBytes(m.Topic), m.Payload.ToArray()));
            _arrived.Release();
            return Task.CompletedTask;
        };
        _client.DisconnectedAsync += e =>
        {
            if (!_disconnecting)
            {
                _lost = true;
                _arrived.Release();
            }

            return Task.CompletedTask;
        };
    }

    public bool IsConnected => _client.IsConnected;

    public void SetListener(IMqttSessionListener listener) => _listener = listener;

    public MqttStatus Connect(ConnectionCredentials credentials, int timeoutMs)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(credentials.Host, credentials.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithClientId(credentials.ClientId)
            .WithCredentials(credentials.Username, credentials.Password)
            .WithCleanSession(credentials.CleanSession)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(credentials.KeepAliveSeconds))
            .WithTimeout(TimeSpan.FromMilliseconds(timeoutMs));
        if (credentials.UseTls)
        {
            builder = _rootCa == null
                ? builder.WithTlsOptions(o => o.UseTls())
                : builder.WithTlsOptions(o => o.UseTls().WithCertificateValidationHandler(a => TrustedByRoot(a.Certificate, a.SslPolicyErrors)));
        }

        try
        {
            _disconnecting = false;
            _lost = false;
            return Map(_client.ConnectAsync(builder.Build()).GetAwaiter().GetResult().ResultCode);
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException)
        {
            return MqttStatus.RefusedUnknownCode; // MQTTnet 5 refuses with an exception that carries no code
        }
        catch (Exception)
        {
            return MqttStatus.ChannelFailed;
        }
    }

    public MqttStatus Subscribe(string topic, int qos)
    {
        try
        {
            _client.SubscribeAsync(topic, (MqttQualityOfServiceLevel)qos).GetAwaiter().GetResult();
            return MqttStatus.Ok;
        }
        catch (Exception)
        {
            return MqttStatus.ChannelFailed;
        }
    }

    public MqttStatus Publish(byte[] topic, int topicOffset, int topicCount, byte[] payload, int payloadOffset, int payloadCount, int qos)
    {
        try
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(System.Text.Encoding.UTF8.GetString(topic, topicOffset, topicCount))
                .WithPayload(payload.AsSpan(payloadOffset, payloadCount).ToArray())
                .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos)
                .Build();
            _client.PublishAsync(message).GetAwaiter().GetResult();
            return MqttStatus.Ok;
        }
        catch (Exception)
        {
            return MqttStatus.NotConnected;
        }
    }

    /// <summary>Hands the listener what has arrived, and what arrives within <paramref name="timeoutMs"/>, woken by each arrival.</summary>
    public void Yield(int timeoutMs)
    {
        var until = Environment.TickCount64 + timeoutMs;
        do
        {
            while (_inbox.TryDequeue(out var m))
            {
                _listener?.OnMessage(m.Topic, 0, m.Topic.Length, m.Payload, 0, m.Payload.Length);
            }

            if (_lost)
            {
                _lost = false;
                _listener?.OnConnectionLost(MqttStatus.ChannelFailed);
                return;
            }
        }
        while (_arrived.Wait((int)Math.Max(0, until - Environment.TickCount64)));
    }

    public void Disconnect()
    {
        _disconnecting = true;
        try
        {
            if (_client.IsConnected)
            {
                _client.DisconnectAsync().GetAwaiter().GetResult();
            }
        }
        catch (Exception)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Disconnect();
        _client.Dispose();
        _arrived.Dispose();
    }

    // The CONNACK codes of MQTT 3.1.1 as MQTTnet names them, mapped once onto MqttStatus.
    private static MqttStatus Map(MqttClientConnectResultCode code) => code switch
    {
        MqttClientConnectResultCode.Success => MqttStatus.Ok,
        MqttClientConnectResultCode.UnsupportedProtocolVersion => MqttStatus.RefusedProtocolVersion,
        MqttClientConnectResultCode.ClientIdentifierNotValid => MqttStatus.RefusedIdentifier,
        MqttClientConnectResultCode.ServerUnavailable => MqttStatus.RefusedServerUnavailable,
        MqttClientConnectResultCode.BadUserNameOrPassword => MqttStatus.RefusedBadCredentials,
        MqttClientConnectResultCode.NotAuthorized => MqttStatus.RefusedNotAuthorized,
        _ => MqttStatus.RefusedUnknownCode,
    };

    private bool TrustedByRoot(System.Security.Cryptography.X509Certificates.X509Certificate certificate, System.Net.Security.SslPolicyErrors errors)
    {
        if ((errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || certificate == null)
        {
            return false;
        }

        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(_rootCa!);
        return chain.Build(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate));
    }
}
