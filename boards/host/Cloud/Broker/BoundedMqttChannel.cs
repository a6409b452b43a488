using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;

namespace CotaFirmware.Host.Cloud.Broker;

/// <summary>One accepted MQTT connection as MQTTnet reads it, with every packet's declared length checked as it is
/// read: the first packet must be a CONNECT no larger than a login, read whole by the listener and replayed to
/// MQTTnet; a later packet over its limit ends the connection before MQTTnet allocates its body.</summary>
internal sealed class BoundedMqttChannel : IMqttChannel
{
    private readonly Stream _stream;
    private readonly int _maxConnectLength;
    private readonly int _maxPacketLength;
    private readonly Action<string, string> _refuse;
    private byte[] _connect = Array.Empty<byte>();
    private int _replayed;
    private bool _first = true;

    // The inbound framing: the bytes of the current packet still to come, or the fixed header being read.
    private int _bodyLeft;
    private bool _inHeader = true;
    private bool _typeRead;
    private int _length;
    private int _lengthBytes;
    private int _multiplier = 1;

    /// <param name="refuse">Told (action, reason) when a packet is refused.</param>
    public BoundedMqttChannel(Stream stream, bool secure, EndPoint? local, EndPoint? remote, int maxConnectLength,
        int maxPacketLength, Action<string, string> refuse)
    {
        _stream = stream;
        IsSecureConnection = secure;
        LocalEndPoint = local!;
        RemoteEndPoint = remote!;
        _maxConnectLength = maxConnectLength;
        _maxPacketLength = maxPacketLength;
        _refuse = refuse;
    }

    public X509Certificate2 ClientCertificate => null!;

    public EndPoint RemoteEndPoint { get; }

    public EndPoint LocalEndPoint { get; }

    public bool IsSecureConnection { get; }

    /// <summary>Reads the first packet whole; false when the connection ended first or it is not a CONNECT (refused).
    /// A CONNECT over the limit throws <see cref="IOException"/> (refused) once its length is read.</summary>
    public async Task<bool> ReadConnectAsync(CancellationToken cancel)
    {
        var header = new byte[5];
        int used = 0;
        while (_inHeader && _first)
        {
            if (await _stream.ReadAsync(header.AsMemory(used, 1), cancel) == 0)
            {
                return false;
            }
            if (used == 0 && header[0] != 0x10)
            {
                _refuse("connect", "the first packet is not a CONNECT");
                return false;
            }
            Inspect(header, used++, 1);
        }
        var packet = new byte[used + _bodyLeft];
        Array.Copy(header, packet, used);
        for (int at = used; at < packet.Length;)
        {
            int n = await _stream.ReadAsync(packet.AsMemory(at), cancel);
            if (n == 0)
            {
                return false;
            }
            Inspect(packet, at, n);
            at += n;
        }
        _connect = packet;
        return true;
    }

    public Task ConnectAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("an accepted connection is already connected");

    public Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_replayed < _connect.Length)
        {
            int replay = Math.Min(count, _connect.Length - _replayed);
            Array.Copy(_connect, _replayed, buffer, offset, replay);
            _replayed += replay;
            return replay;
        }
        int n;
        try
        {
            n = await _stream.ReadAsync(buffer.AsMemory(offset, count), cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        Inspect(buffer, offset, n);
        return n;
    }

    public async Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        foreach (var segment in buffer)
        {
            await _stream.WriteAsync(segment, cancellationToken);
        }
        if (isEndOfPacket)
        {
            await _stream.FlushAsync(cancellationToken);
        }
    }

    public void Dispose() => _stream.Dispose();

    // Follows the fixed headers through the bytes read: a declared length over the limit ends the connection here,
    // in the same read that delivers its last length byte, so nothing is buffered for it.
    private void Inspect(byte[] buffer, int offset, int count)
    {
        int end = offset + count;
        int i = offset;
        while (i < end)
        {
            if (!_inHeader)
            {
                int take = Math.Min(_bodyLeft, end - i);
                _bodyLeft -= take;
                i += take;
                if (_bodyLeft == 0)
                {
                    StartHeader();
                }
                continue;
            }
            byte b = buffer[i++];
            if (!_typeRead)
            {
                _typeRead = true;
                continue;
            }
            _length += (b & 0x7F) * _multiplier;
            _multiplier *= 128;
            _lengthBytes++;
            if ((b & 0x80) != 0 && _lengthBytes < 4)
            {
                continue;
            }
            int limit = _first ? _maxConnectLength : _maxPacketLength;
            if ((b & 0x80) != 0 || _length > limit)
            {
                var reason = (b & 0x80) != 0 ? "malformed remaining length"
                    : _first ? "a CONNECT of " + _length + " bytes; a login needs at most " + limit
                    : "packet of " + _length + " bytes, over the limit of " + limit;
                _refuse(_first ? "connect" : "packet", reason);
                _stream.Dispose();
                throw new IOException(reason);
            }
            _bodyLeft = _length;
            if (_bodyLeft == 0)
            {
                StartHeader();
            }
            else
            {
                _inHeader = false;
            }
        }
    }

    private void StartHeader()
    {
        _first = false;
        _inHeader = true;
        _typeRead = false;
        _length = 0;
        _lengthBytes = 0;
        _multiplier = 1;
    }
}
