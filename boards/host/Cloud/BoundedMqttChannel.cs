using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;

namespace CotaFirmware.Host.Cloud;

/// <summary>One accepted MQTT connection as MQTTnet reads it: the CONNECT the listener already read is replayed
/// first, and every later packet whose declared remaining length exceeds the limit ends the connection before
/// MQTTnet allocates its body.</summary>
internal sealed class BoundedMqttChannel : IMqttChannel
{
    private readonly Stream _stream;
    private readonly byte[] _connect;
    private readonly int _maxRemainingLength;
    private readonly Action<string> _refuse;
    private int _replayed;

    // The inbound framing: the bytes of the current packet still to come, or the fixed header being read.
    private int _bodyLeft;
    private bool _inHeader = true;
    private bool _typeRead;
    private int _length;
    private int _lengthBytes;
    private int _multiplier = 1;

    public BoundedMqttChannel(Stream stream, byte[] connect, bool secure, EndPoint? local, EndPoint? remote,
        int maxRemainingLength, Action<string> refuse)
    {
        _stream = stream;
        _connect = connect;
        IsSecureConnection = secure;
        LocalEndPoint = local!;
        RemoteEndPoint = remote!;
        _maxRemainingLength = maxRemainingLength;
        _refuse = refuse;
    }

    public X509Certificate2 ClientCertificate => null!;

    public EndPoint RemoteEndPoint { get; }

    public EndPoint LocalEndPoint { get; }

    public bool IsSecureConnection { get; }

    public Task ConnectAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("an accepted connection is already connected");

    public Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        int n;
        if (_replayed < _connect.Length)
        {
            n = Math.Min(count, _connect.Length - _replayed);
            Array.Copy(_connect, _replayed, buffer, offset, n);
            _replayed += n;
        }
        else
        {
            try
            {
                n = await _stream.ReadAsync(buffer.AsMemory(offset, count), cancellationToken);
            }
            catch (ObjectDisposedException)
            {
                return 0;
            }
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
    // in the same read that delivers its last length byte, so MQTTnet never sees it.
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
            if ((b & 0x80) != 0 || _length > _maxRemainingLength)
            {
                var reason = (b & 0x80) != 0 ? "malformed remaining length"
                    : "packet of " + _length + " bytes, over the limit of " + _maxRemainingLength;
                _refuse(reason);
                _stream.Dispose();
                throw new IOException(reason);
            }
            _bodyLeft = _length;
            _inHeader = _bodyLeft == 0;
            if (_inHeader)
            {
                StartHeader();
            }
        }
    }

    private void StartHeader()
    {
        _inHeader = true;
        _typeRead = false;
        _length = 0;
        _lengthBytes = 0;
        _multiplier = 1;
    }
}
