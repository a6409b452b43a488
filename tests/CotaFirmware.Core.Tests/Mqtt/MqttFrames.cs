using CotaFirmware.Mqtt;
using CotaFirmware.Text;

namespace CotaFirmware.Tests.Mqtt;

/// <summary>Broker-side frames and a ready client for the MQTT tests.</summary>
public static class MqttFrames
{
    /// <summary>CONNACK with a session-present flag and a return code.</summary>
    public static byte[] Connack(int code) => new byte[] { 0x20, 2, 0, (byte)code };

    /// <summary>A PUBLISH from the broker.</summary>
    public static byte[] Publish(string topic, byte[] payload, int qos, int packetId)
    {
        byte[] b = new byte[MqttCodec.PublishSize(Utf8.GetBytes(topic).Length, payload.Length, qos)];
        MqttCodec.WritePublish(b, 0, topic, payload, 0, payload.Length, qos, false, false, packetId);
        return b;
    }

    /// <summary>PUBACK, UNSUBACK or any 4-byte ack.</summary>
    public static byte[] Ack(int type, int packetId) => new byte[] { (byte)(type << 4), 2, (byte)(packetId >> 8), (byte)packetId };

    /// <summary>SUBACK with one return code.</summary>
    public static byte[] Suback(int packetId, int code) => new byte[] { 0x90, 3, (byte)(packetId >> 8), (byte)packetId, (byte)code };

    /// <summary>ASCII bytes of a string.</summary>
    public static byte[] Ascii(string s) => Utf8.GetBytes(s);

    /// <summary>Options for a test client: small buffers, fixed jitter seed.</summary>
    public static MqttClientOptions Options()
    {
        MqttClientOptions o = new MqttClientOptions();
        o.Host = "broker.test";
        o.ClientId = "dev1";
        o.Username = "user";
        o.Password = "secret";
        o.KeepAliveSeconds = 60;
        o.ReceiveBufferSize = 256;
        o.TransmitBufferSize = 256;
        o.InFlightCount = 4;
        o.InFlightBytes = 512;
        o.ReconnectMinMs = 1000;
        o.ReconnectMaxMs = 8000;
        o.JitterSeed = 7;
        return o;
    }

    /// <summary>A client connected through <paramref name="channel"/> (CONNACK already consumed; written bytes skipped).</summary>
    public static MqttClient Connected(FakeChannel channel, FakeClock clock, MqttClientOptions options)
    {
        MqttClient client = new MqttClient(channel, clock, options);
        channel.Queue(Connack(0));
        MqttStatus s = client.Connect();
        if (s != MqttStatus.Ok)
        {
            throw new System.InvalidOperationException("test client did not connect: " + (int)s);
        }

        channel.SkipWritten();
        return client;
    }
}
