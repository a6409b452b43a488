using System.Buffers;
using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CotaFirmware.HostTests.Mqtt;

/// <summary>The stock MQTTnet client as the other end of a test: publishes, and collects what it receives.</summary>
public sealed class Peer : IDisposable
{
    private readonly IMqttClient _client;

    public ConcurrentQueue<(string Topic, byte[] Payload, bool Retain)> Received { get; } = new();

    private Peer(IMqttClient client) => _client = client;

    public static Peer Connect(int port, string clientId, bool cleanSession = true)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var peer = new Peer(client);
        client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            lock (peer.Received)
            {
                peer.Received.Enqueue((m.Topic, m.Payload.ToArray(), m.Retain));
                Monitor.PulseAll(peer.Received);
            }

            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(clientId)
            .WithCleanSession(cleanSession).WithProtocolVersion(MqttProtocolVersion.V311).Build();
        client.ConnectAsync(options).GetAwaiter().GetResult();
        return peer;
    }

    public void Subscribe(string filter, int qos) =>
        _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(filter, (MqttQualityOfServiceLevel)qos).Build()).GetAwaiter().GetResult();

    public void Publish(string topic, byte[] payload, int qos, bool retain = false) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos).WithRetainFlag(retain).Build()).GetAwaiter().GetResult();

    /// <summary>Waits until <paramref name="count"/> messages have arrived in all, woken by each arrival; false when the timeout passed first.</summary>
    public bool WaitFor(int count, int timeoutMs = 5000)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        lock (Received)
        {
            while (Received.Count < count)
            {
                long left = timeoutMs - sw.ElapsedMilliseconds;
                if (left <= 0 || !Monitor.Wait(Received, (int)left))
                {
                    return Received.Count >= count;
                }
            }

            return true;
        }
    }

    public void Dispose()
    {
        try
        {
            if (_client.IsConnected)
            {
                _client.DisconnectAsync().GetAwaiter().GetResult();
            }
        }
        catch (Exception)
        {
        }

        _client.Dispose();
    }
}
