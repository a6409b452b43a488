namespace CotaFirmware.HostTests.Mqtt;

/// <summary>An IByteChannel decorator that keeps every byte written and read, to observe packets on the wire; it can also hold the next read until bytes arrive.</summary>
public sealed class RecordingChannel : IByteChannel
{
    private readonly IByteChannel _inner;
    private readonly MemoryStream _written = new();
    private readonly MemoryStream _read = new();

    private int _awaitMs;

    public RecordingChannel(IByteChannel inner) => _inner = inner;

    /// <summary>
    /// The next read waits up to <paramref name="timeoutMs"/> for bytes, whatever timeout the caller gives: a test
    /// that has just sent the device a message holds the device's next read until that message has arrived.
    /// </summary>
    public void AwaitNextBytes(int timeoutMs) => _awaitMs = timeoutMs;

    public ChannelStatus Connect(string host, int port, bool tls, int timeoutMs) => _inner.Connect(host, port, tls, timeoutMs);

    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        int n = _inner.Read(buffer, offset, count, _awaitMs > 0 ? _awaitMs : timeoutMs);
        if (n != 0)
        {
            _awaitMs = 0;
        }

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
