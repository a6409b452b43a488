using CotaFirmware.Mqtt;
using CotaFirmware.Text;

namespace CotaFirmware.Tests.Mqtt;

/// <summary>Broker-side frames, the test client's settings and its CONNECT for the MQTT tests.</summary>
public static class MqttFrames
{
    /// <summary>CONNACK of a new session with a return code.</summary>
    public static byte[] Connack(int code) => Connack(code, false);

    /// <summary>CONNACK with a return code and the session-present flag (set: the broker resumed a persistent session).</summary>
    public static byte[] Connack(int code, bool sessionPresent) => new byte[] { 0x20, 2, (byte)(sessionPresent ? 1 : 0), (byte)code };

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

    /// <summary>Settings for a test client: small buffers.</summary>
    public static MqttClientSettings Settings()
    {
        MqttClientSettings s = new MqttClientSettings();
        s.ReceiveBufferSize = 256;
        s.TransmitBufferSize = 256;
        s.InFlightCount = 4;
        s.InFlightBytes = 512;
        return s;
    }

    /// <summary>What CONNECT says for a test client: a clean session, with the given id, user name, password and keep-alive.</summary>
    public static MqttConnectInfo Info(string clientId, string username, string password, int keepAliveSeconds)
    {
        MqttConnectInfo info = new MqttConnectInfo();
        info.ClientId = clientId;
        info.Username = username;
        info.Password = password;
        info.KeepAliveSeconds = keepAliveSeconds;
        info.CleanSession = true;
        return info;
    }

    /// <summary>Opens the channel and connects as dev1/user/secret with a 60 s keep-alive and clean session, as a session's owner does.</summary>
    public static MqttStatus Connect(MqttClient client, ScriptedChannel channel)
    {
        channel.Connect("broker.test", 1883, false, 1000);
        return client.Connect(Info("dev1", "user", "secret", 60), 10000);
    }
}
