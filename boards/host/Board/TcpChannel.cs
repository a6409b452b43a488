using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using CotaFirmware.Platform;

namespace CotaFirmware.Host.Board;

/// <summary>The host board's <see cref="IByteChannel"/>: a TCP socket, with TLS through SslStream against a configured root CA.</summary>
/// <remarks>
/// A read that times out leaves its socket read pending and hands its bytes to the next call, so a timeout never
/// loses data or breaks the TLS stream. With a root CA, only chains ending in that CA are trusted; the host name
/// given to <see cref="Connect"/> is always checked against the certificate.
/// </remarks>
public sealed class TcpChannel : IByteChannel, IDisposable
{
    private readonly X509Certificate2? _rootCa;
    private readonly byte[] _readBuffer = new byte[16 * 1024];
    private int _readStart;
    private int _readEnd;
    private Socket? _socket;
    private Stream? _stream;
    private Task<int>? _pendingRead;

    /// <summary>A channel that trusts the system's root store for TLS.</summary>
    public TcpChannel()
    {
    }

    /// <summary>A channel that trusts only <paramref name="rootCa"/> for TLS.</summary>
    public TcpChannel(X509Certificate2 rootCa)
    {
        _rootCa = rootCa;
    }

    /// <summary>A channel that trusts only the root CA in <paramref name="rootCaPem"/> (PEM text) for TLS.</summary>
    public static TcpChannel WithRootCaPem(string rootCaPem) => new(X509Certificate2.CreateFromPem(rootCaPem));

    /// <inheritdoc/>
    public ChannelStatus Connect(string host, int port, bool tls, int timeoutMs)
    {
        Close();
        using var cts = new CancellationTokenSource(timeoutMs);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.ConnectAsync(host, port, cts.Token).AsTask().GetAwaiter().GetResult();
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                var options = new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    RemoteCertificateValidationCallback = Validate,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                };
                try
                {
                    ssl.AuthenticateAsClientAsync(options, cts.Token).GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is AuthenticationException || e is IOException)
                {
                    ssl.Dispose();
                    return cts.IsCancellationRequested ? ChannelStatus.Timeout : ChannelStatus.TlsFailed;
                }
            }

            _socket = socket;
            _stream = stream;
            _readStart = 0;
            _readEnd = 0;
            return ChannelStatus.Ok;
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            return ChannelStatus.Timeout;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            return e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => ChannelStatus.Refused,
                SocketError.TimedOut => ChannelStatus.Timeout,
                SocketError.HostNotFound or SocketError.NoData or SocketError.HostUnreachable
                    or SocketError.NetworkUnreachable or SocketError.TryAgain => ChannelStatus.Unreachable,
                _ => ChannelStatus.Failed,
            };
        }
        catch (Exception)
        {
            socket.Dispose();
            return ChannelStatus.Failed;
        }
    }

    /// <inheritdoc/>
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        Stream? stream = _stream;
        if (stream == null)
        {
            return (int)ChannelStatus.Closed;
        }

        if (_readStart == _readEnd)
        {
            try
            {
                _pendingRead ??= stream.ReadAsync(_readBuffer, 0, _readBuffer.Length);
                if (!_pendingRead.Wait(timeoutMs < 0 ? 0 : timeoutMs))
                {
                    return 0;
                }

                int n = _pendingRead.Result;
                _pendingRead = null;
                if (n <= 0)
                {
                    return (int)ChannelStatus.Closed;
                }

                _readStart = 0;
                _readEnd = n;
            }
            catch (Exception)
            {
                _pendingRead = null;
                return (int)ChannelStatus.Closed;
            }
        }

        int take = Math.Min(count, _readEnd - _readStart);
        Buffer.BlockCopy(_readBuffer, _readStart, buffer, offset, take);
        _readStart += take;
        return take;
    }

    /// <inheritdoc/>
    public int Write(byte[] buffer, int offset, int count)
    {
        Stream? stream = _stream;
        if (stream == null)
        {
            return (int)ChannelStatus.Closed;
        }

        try
        {
            stream.Write(buffer, offset, count);
            return count;
        }
        catch (IOException)
        {
            return (int)ChannelStatus.Closed;
        }
        catch (Exception)
        {
            return (int)ChannelStatus.Failed;
        }
    }

    /// <inheritdoc/>
    public void Close()
    {
        Stream? stream = _stream;
        _stream = null;
        _socket = null;
        Task<int>? pending = _pendingRead;
        _pendingRead = null;
        _readStart = 0;
        _readEnd = 0;
        try
        {
            stream?.Dispose();
        }
        catch (Exception)
        {
            // closing an already broken stream
        }

        // The abandoned read faults once the stream is gone; observe it so it is not reported as unobserved.
        pending?.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
    }

    /// <inheritdoc/>
    public void Dispose() => Close();

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate == null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        if (_rootCa == null)
        {
            return errors == SslPolicyErrors.None;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_rootCa);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain != null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(new X509Certificate2(certificate));
    }
}
