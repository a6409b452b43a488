using CotaFirmware.Platform;

namespace CotaFirmware.HostTests.Mqtt;

/// <summary>An IByteChannel decorator that keeps every byte written and read, to observe packets on the wire.</summary>
public sealed class RecordingChannel : IByteChannel
{
    private readonly IByteChannel _inner;
    private readonly MemoryStream _written = new();
    private readonly MemoryStream _read = new();

    public RecordingChannel(IByteChannel inner) => _inner = inner;

    public ChannelStatus Connect(string host, int port, bool tls, int timeoutMs) => _inner.Connect(host, port, tls, timeoutMs);

    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        int n = _inner.Read(buffer, offset, count, timeoutMs);
        if (n > 0)
        {
            lock (_read)
            {
                _read.Write(buffer, offset, n);
            }
        }

        return n;
    }

    public int Write(byte[] buffer, int offset, int count)
    {
        int n = _inner.Write(buffer, offset, count);
        if (n > 0)
        {
            lock (_written)
            {
                _written.Write(buffer, offset, n);
            }
        }

        return n;
    }

    public void Close() => _inner.Close();

    /// <summary>The first bytes of each packet in <paramref name="stream"/> (parsed with the MQTT framing).</summary>
    public static List<int> PacketTypes(byte[] stream)
    {
        var types = new List<int>();
        int i = 0;
        while (i + 1 < stream.Length)
        {
            int used = CotaFirmware.Mqtt.MqttCodec.ReadFixedHeader(stream, i, stream.Length - i, out int length);
            if (used <= 0)
            {
                break;
            }

            types.Add(stream[i]);
            i += used + length;
        }

        return types;
    }

    public byte[] Written
    {
        get
        {
            lock (_written)
            {
                return _written.ToArray();
            }
        }
    }

    public byte[] ReadBytes
    {
        get
        {
            lock (_read)
            {
                return _read.ToArray();
            }
        }
    }
}
