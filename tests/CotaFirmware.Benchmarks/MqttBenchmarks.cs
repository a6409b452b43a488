using System.Buffers;
using BenchmarkDotNet.Attributes;
using CotaFirmware.Mqtt;
using CotaFirmware.Platform;
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
    private LoopChannel _channel = null!;
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
        _channel = new LoopChannel(_frame);
        _client = new MqttClient(_channel, new StillClock(), new MqttClientSettings());
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

    private sealed class StillClock : IClock
    {
        public long MonotonicMs => 1000;

        public long UnixTimeMs => 0;

        public void Wait(int ms)
        {
            // Time stands still: a benchmark never waits.
        }
    }

    /// <summary>Answers CONNECT with CONNACK, then serves one copy of the frame per read and swallows writes.</summary>
    private sealed class LoopChannel : IByteChannel
    {
        private readonly byte[] _frame;
        private bool _connackDue;

        public LoopChannel(byte[] frame) => _frame = frame;

        public ChannelStatus Connect(string host, int port, bool tls, int timeoutMs)
        {
            _connackDue = true;
            return ChannelStatus.Ok;
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            if (_connackDue)
            {
                _connackDue = false;
                buffer[offset] = 0x20;
                buffer[offset + 1] = 2;
                buffer[offset + 2] = 0;
                buffer[offset + 3] = 0;
                return 4;
            }

            if (count < _frame.Length)
            {
                return 0;
            }

            Buffer.BlockCopy(_frame, 0, buffer, offset, _frame.Length);
            return _frame.Length;
        }

        public int Write(byte[] buffer, int offset, int count) => count;

        public void Close()
        {
        }
    }
}
