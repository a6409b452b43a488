using System.Buffers;
using BenchmarkDotNet.Attributes;
using CotaFirmware.Mqtt;
using CotaFirmware.Platform;
using CotaFirmware.Tests.Mqtt;
using CotaFirmware.Tests.Platform;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Formatter.V3;
using MQTTnet.Packets;

namespace CotaFirmware.Benchmarks;

/// <summary>
/// One QoS 0 PUBLISH sent and one received, in steady state: our client over an in-memory channel against MQTTnet 5's
/// public MQTT 3.1.1 packet formatter (what its client runs per message, minus its socket I/O).
/// </summary>
/// <remarks>
/// Sent: ours copies the topic (kept as bytes, as device code keeps it) and the payload into its transmit buffer and
/// writes it to the channel; MQTTnet builds its
/// MqttPublishPacket (as its client does from an application message) and encodes it. Received: ours reads the frame
/// from the channel, checks it and hands views to a handler; MQTTnet decodes the same frame body into a packet.
/// </remarks>
[MemoryDiagnoser]
[ShortRunJob]
public class MqttBenchmarks
{
    private const string Topic = "/sys/a1B2c3D4e5F/device-0001/thing/config/push";
    private static readonly byte[] TopicBytes = System.Text.Encoding.UTF8.GetBytes(Topic);
    private readonly byte[] _payload = new byte[256];
    private MqttClient _client = null!;
    private ScriptedChannel _channel = null!;
    private MqttV3PacketFormatter _formatter = null!;
    private MqttBufferWriter _writer = null!;
    private byte[] _frame = null!;
    private int _bodyOffset;
    private int _received;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_payload);
        _frame = new byte[MqttCodec.PublishSize(Topic.Length, _payload.Length, 0)];
        MqttCodec.WritePublish(_frame, 0, Topic, _payload, 0, _payload.Length, 0, false, false, 0);
        _bodyOffset = 1 + MqttCodec.RemainingLengthSize(_frame.Length - 3);
        // The broker answers CONNECT with CONNACK, then sends the frame forever; what the client writes is dropped.
        var clock = new ManualClock(1000, 0);
        _channel = new ScriptedChannel(clock) { KeepsWritten = false, Replay = _frame };
        _channel.Queue(new byte[] { 0x20, 2, 0, 0 });
        _client = new MqttClient(_channel, clock, new MqttClientSettings());
        _client.MessageReceived = m => _received += m.PayloadCount;
        _channel.Connect("bench", 1883, false, 1000);
        if (_client.Connect(new MqttConnectInfo { ClientId = "bench", KeepAliveSeconds = 60, CleanSession = true }, 1000) != MqttStatus.Ok)
        {
            throw new InvalidOperationException("bench client did not connect");
        }

        _writer = new MqttBufferWriter(4096, 65536);
        _formatter = new MqttV3PacketFormatter(_writer, MqttProtocolVersion.V311);
    }

    [Benchmark(Baseline = true, Description = "CotaFirmware: publish sent")]
    public MqttStatus OursPublish() => _client.Publish(TopicBytes, 0, TopicBytes.Length, _payload, 0, _payload.Length, 0, false);

    [Benchmark(Description = "MQTTnet 5: publish encoded")]
    public int MqttNetPublish()
    {
        var packet = new MqttPublishPacket { Topic = Topic, Payload = new ReadOnlySequence<byte>(_payload) };
        MqttPacketBuffer buffer = _formatter.Encode(packet);
        int length = buffer.Length;
        _writer.Cleanup();
        return length;
    }

    [Benchmark(Description = "CotaFirmware: message received")]
    public int OursReceive()
    {
        _client.Yield(0);
        return _received;
    }

    [Benchmark(Description = "MQTTnet 5: message decoded")]
    public int MqttNetReceive()
    {
        var packet = (MqttPublishPacket)_formatter.Decode(
            new ReceivedMqttPacket(_frame[0], new ArraySegment<byte>(_frame, _bodyOffset, _frame.Length - _bodyOffset), _frame.Length));
        return (int)packet.Payload.Length;
    }
}
