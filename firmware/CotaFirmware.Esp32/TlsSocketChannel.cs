using System;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using CotaFirmware.Platform;

namespace CotaFirmware.Esp32;

/// <summary>
/// A TCP connection, with TLS 1.2 when asked, as an <see cref="IByteChannel"/>: Socket + NetworkStream, or
/// SslStream that trusts the board's root CA (nanoFramework adds a CA bundle stored in the device's configuration
/// block, if any) and checks the server's host name.
/// </summary>
/// <remarks>
/// A read first waits with <c>Socket.Poll</c> (or finds bytes mbedTLS already holds), so an idle read costs no
/// exception; a read that still times out counts as 0 bytes, as <see cref="IByteChannel"/> asks. nanoFramework's
/// Socket.Connect has no timeout of its own: the network stack's applies. Its TLS handshake has none at all (Mbed
/// TLS in blocking mode, no read timeout): a server that accepts and never answers holds the runtime for good.
/// </remarks>
public sealed class TlsSocketChannel : IByteChannel
{
    // How long a read may wait for the rest of a TLS record once its first bytes arrived.
    private const int RecordTimeoutMs = 5000;

    private readonly X509Certificate _rootCa;
    private Socket _socket;
    private NetworkStream _stream;
    private bool _tls;

    /// <summary>Creates a channel whose TLS connections trust <paramref name="rootCa"/> (and a CA bundle stored in the device's configuration block, which nanoFramework adds).</summary>
    public TlsSocketChannel(X509Certificate rootCa)
    {
        _rootCa = rootCa;
    }

    /// <inheritdoc />
    public ChannelStatus Connect(string host, int port, bool tls, int timeoutMs)
    {
        Close();
        bool connected = false;
        try
        {
            IPHostEntry entry = Dns.GetHostEntry(host);
            if (entry == null || entry.AddressList == null || entry.AddressList.Length == 0)
            {
                return ChannelStatus.Unreachable;
            }

            _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _socket.SendTimeout = timeoutMs;
            _socket.ReceiveTimeout = timeoutMs;
            _socket.Connect(new IPEndPoint(entry.AddressList[0], port));
            connected = true;
            if (tls)
            {
                SslStream ssl = new SslStream(_socket);
                ssl.SslVerification = SslVerification.CertificateRequired;
                ssl.ReadTimeout = timeoutMs;

                // The target host is what mbedTLS checks the certificate's names against.
                ssl.AuthenticateAsClient(host, null, _rootCa, SslProtocols.Tls12);
                ssl.ReadTimeout = RecordTimeoutMs;
                _stream = ssl;
            }
            else
            {
                _stream = new NetworkStream(_socket, true);
                _stream.ReadTimeout = RecordTimeoutMs;
            }

            _tls = tls;
            return ChannelStatus.Ok;
        }
        catch (SocketException e)
        {
            Close();
            return IsVerifyFailure(e) ? ChannelStatus.TlsFailed : Map((SocketError)e.ErrorCode);
        }
        catch (OutOfMemoryException)
        {
            // Not the certificate's fault: named, so a download's result says so, and LinkKit retries with backoff.
            Close();
            return ChannelStatus.OutOfMemory;
        }
        catch (Exception)
        {
            Close();
            return connected && tls ? ChannelStatus.TlsFailed : ChannelStatus.Failed;
        }
    }

    /// <summary>
    /// True when <paramref name="e"/> is a refused certificate: nanoFramework's TLS throws a SocketException whose
    /// ErrorCode is Mbed TLS's verify flags (8 not trusted, 4 wrong host name, 1 expired, ...), all below the socket
    /// error codes, which start at 10000.
    /// </summary>
    public static bool IsVerifyFailure(SocketException e) => e.ErrorCode > 0 && e.ErrorCode < 10000;

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (_stream == null)
        {
            return (int)ChannelStatus.Closed;
        }

        try
        {
            if (!_stream.DataAvailable)
            {
                if (!_socket.Poll(timeoutMs <= 0 ? 0 : timeoutMs * 1000, SelectMode.SelectRead))
                {
                    return 0;
                }

                // Readable with nothing to read is the peer's FIN (for TLS the record layer decides below).
                if (!_tls && _socket.Available == 0)
                {
                    Close();
                    return (int)ChannelStatus.Closed;
                }
            }

            int n = _stream.Read(buffer, offset, count);
            if (n > 0)
            {
                return n;
            }

            Close();
            return (int)ChannelStatus.Closed;
        }
        catch (SocketException e)
        {
            if ((SocketError)e.ErrorCode == SocketError.TimedOut)
            {
                return 0;
            }

            Close();
            return (int)ChannelStatus.Closed;
        }
        catch (OutOfMemoryException)
        {
            Close();
            return (int)ChannelStatus.OutOfMemory;
        }
        catch (Exception)
        {
            Close();
            return (int)ChannelStatus.Failed;
        }
    }

    /// <inheritdoc />
    public int Write(byte[] buffer, int offset, int count)
    {
        if (_stream == null)
        {
            return (int)ChannelStatus.Closed;
        }

        try
        {
            _stream.Write(buffer, offset, count);
            return count;
        }
        catch (Exception)
        {
            Close();
            return (int)ChannelStatus.Failed;
        }
    }

    /// <inheritdoc />
    public void Close()
    {
        NetworkStream stream = _stream;
        Socket socket = _socket;
        _stream = null;
        _socket = null;
        try
        {
            if (stream != null)
            {
                stream.Close();
            }
        }
        catch (Exception)
        {
            // Closing a broken stream may throw; the socket is closed below either way.
        }

        try
        {
            if (socket != null)
            {
                socket.Close();
            }
        }
        catch (Exception)
        {
            // Already closed.
        }
    }

    /// <summary>Maps a socket error onto a <see cref="ChannelStatus"/> code.</summary>
    public static ChannelStatus Map(SocketError error)
    {
        switch (error)
        {
            case SocketError.ConnectionRefused: return ChannelStatus.Refused;
            case SocketError.TimedOut: return ChannelStatus.Timeout;
            case SocketError.HostNotFound:
            case SocketError.HostUnreachable: return ChannelStatus.Unreachable;
            case SocketError.ConnectionReset:
            case SocketError.NotConnected: return ChannelStatus.Closed;
            default: return ChannelStatus.Failed;
        }
    }
}
