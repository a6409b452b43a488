using CotaFirmware.Mqtt;
using CotaFirmware.Platform;
using CotaFirmware.Tests.Mqtt;
using CotaFirmware.Tests.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Fuzz;

/// <summary>
/// Fuzzes the MQTT client's receive path: broker streams of valid frames, mutated frames and random bytes, fed in random
/// chunks to a connected client with a random receive buffer size.
/// </summary>
/// <remarks>
/// Contract: no exception; every delivered view lies inside the buffer with a valid topic; a dropped connection names a
/// defined reason; and an unmutated stream is delivered whole (every message, every oversize report) without a drop.
/// </remarks>
public sealed class MqttFuzzTarget : IFuzzTarget
{
    public string Name => "mqtt";

    public void RunOne(Random random, long iteration)
    {
        int rxSize = random.Next(32, 600);
        int expectedMessages = 0;
        int expectedOversize = 0;
        var stream = new MemoryStream();
        stream.Write(new byte[] { 0x20, 2, 0, 0 });
        int frames = random.Next(1, 12);
        for (int f = 0; f < frames; f++)
        {
            byte[] frame = ValidFrame(random, rxSize, out bool isMessage);
            if (isMessage)
            {
                if (frame.Length > rxSize)
                {
                    expectedOversize++;
                }
                else
                {
                    expectedMessages++;
                }
            }

            stream.Write(frame);
        }

        byte[] bytes = stream.ToArray();
        int mode = random.Next(4);
        if (mode == 1)
        {
            int flips = random.Next(1, 6);
            for (int i = 0; i < flips; i++)
            {
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
            }
        }
        else if (mode == 2)
        {
            bytes = bytes.AsSpan(0, random.Next(bytes.Length)).ToArray();
        }
        else if (mode == 3)
        {
            byte[] noise = new byte[random.Next(0, 400)];
            random.NextBytes(noise);
            bytes = bytes.AsSpan(0, 4).ToArray().Concat(noise).ToArray();
        }

        var clock = new ManualClock();
        var channel = new ScriptedChannel(clock, bytes.Length) { IsOpen = true, KeepsWritten = false, MaxChunk = random.Next(1, 300) };
        channel.Queue(bytes);
        var settings = new MqttClientSettings
        {
            ReceiveBufferSize = rxSize,
            TransmitBufferSize = 256,
        };
        var client = new MqttClient(channel, clock, settings);
        int messages = 0;
        int oversize = 0;
        client.MessageReceived = m =>
        {
            messages++;
            CheckView(m, rxSize);
            if (m.TopicCount == 0 || !MqttCodec.IsValidString(m.Buffer, m.TopicOffset, m.TopicCount))
            {
                throw new InvalidOperationException("delivered a topic that is empty or not UTF-8");
            }
        };
        client.OversizeReceived = (m, size) =>
        {
            oversize++;
            CheckView(m, rxSize);
            if (size <= rxSize || m.PayloadCount > m.PayloadSize || (m.TopicCount > 0 && m.PayloadOffset + m.PayloadCount != rxSize))
            {
                throw new InvalidOperationException("oversize report for a packet that fits, or a prefix that does not fill the buffer: " + size);
            }
        };

        var connect = client.Connect(new MqttConnectInfo { ClientId = "fuzz", KeepAliveSeconds = 1200, CleanSession = true }, 10000);
        // At least one Yield: what came in the CONNACK's read (a single chunk may hold the whole stream) is dispatched there.
        for (int i = 0; i < 100000 && client.IsConnected && (i == 0 || channel.Unread > 0); i++)
        {
            client.Yield(0);
        }

        MqttStatus reason = client.LastReason;
        if (!client.IsConnected && !Defined(reason))
        {
            throw new InvalidOperationException("dropped with an undefined reason " + (int)reason);
        }

        if (mode == 0 && (connect != MqttStatus.Ok || !client.IsConnected || messages != expectedMessages || oversize != expectedOversize))
        {
            throw new InvalidOperationException($"valid stream: connect {connect}, connected {client.IsConnected} ({reason}), messages {messages}/{expectedMessages}, oversize {oversize}/{expectedOversize}");
        }
    }

    private static void CheckView(MqttMessage m, int rxSize)
    {
        if (m.Buffer.Length != rxSize || m.TopicOffset < 0 || m.TopicOffset + m.TopicCount > rxSize
            || m.PayloadOffset < 0 || m.PayloadCount < 0 || m.PayloadOffset + m.PayloadCount > rxSize
            || m.Qos < 0 || m.Qos > 1 || (m.Qos == 1 && m.TopicCount > 0 && m.PayloadCount > 0 && m.PacketId == 0))
        {
            throw new InvalidOperationException("view out of bounds");
        }
    }

    private static bool Defined(MqttStatus s) => s switch
    {
        MqttStatus.RefusedProtocolVersion or MqttStatus.RefusedIdentifier or MqttStatus.RefusedServerUnavailable
            or MqttStatus.RefusedBadCredentials or MqttStatus.RefusedNotAuthorized or MqttStatus.RefusedUnknownCode
            or MqttStatus.ConnackTimeout or MqttStatus.ChannelFailed or MqttStatus.MalformedRemainingLength
            or MqttStatus.MalformedPacketType or MqttStatus.MalformedFlags or MqttStatus.MalformedLength
            or MqttStatus.MalformedPacketId or MqttStatus.MalformedTopic or MqttStatus.MalformedField
            or MqttStatus.ProtocolViolation or MqttStatus.Ok => true,
        _ => false,
    };

    private static readonly string[] Topics = { "a", "dev/in", "/sys/pk/dn/thing/config/push", "\u4e2d/\u00e9", "x/y/z/w" };

    private static byte[] ValidFrame(Random random, int rxSize, out bool isMessage)
    {
        isMessage = false;
        switch (random.Next(6))
        {
            case 0:
            case 1:
            case 2:
                {
                    isMessage = true;
                    string topic = Topics[random.Next(Topics.Length)];
                    int qos = random.Next(2);
                    int size = random.Next(4) == 0 ? random.Next(rxSize, rxSize * 3) : random.Next(0, 64);
                    byte[] payload = new byte[size];
                    random.NextBytes(payload);
                    byte[] b = new byte[MqttCodec.PublishSize(Utf8.GetBytes(topic).Length, size, qos)];
                    MqttCodec.WritePublish(b, 0, topic, payload, 0, size, qos, random.Next(2) == 0, qos == 1 && random.Next(4) == 0, random.Next(1, 65536));
                    return b;
                }

            case 3:
                return new byte[] { 0x40, 2, (byte)random.Next(256), (byte)random.Next(1, 256) };
            case 4:
                return new byte[] { 0x90, 3, 0, (byte)random.Next(1, 256), (byte)(random.Next(2) == 0 ? 0x80 : random.Next(3)) };
            default:
                return random.Next(2) == 0 ? new byte[] { 0xD0, 0 } : new byte[] { 0xB0, 2, 1, (byte)random.Next(1, 256) };
        }
    }
}
