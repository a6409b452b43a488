using CotaFirmware.Platform;

namespace CotaFirmware.Host.Cli;

/// <summary>A byte channel whose network can be cut and restored: offline, the connection drops and new ones are refused.</summary>
/// <remarks><see cref="Online"/> may be set from any thread; the cut itself happens on the device's thread, at its next read or write.</remarks>
public sealed class SwitchableChannel : IByteChannel
{
    private readonly IByteChannel _inner;
    private volatile bool _online = true;

    /// <summary>Wraps <paramref name="inner"/>, online.</summary>
    public SwitchableChannel(IByteChannel inner) => _inner = inner;

    /// <summary>False while the network is cut.</summary>
    public bool Online
    {
        get => _online;
        set => _online = value;
    }

    /// <inheritdoc/>
    public ChannelStatus Connect(string host, int port, bool tls, int timeoutMs) =>
        _online ? _inner.Connect(host, port, tls, timeoutMs) : ChannelStatus.Unreachable;

    /// <inheritdoc/>
    public int Read(byte[] buffer, int offset, int count, int timeoutMs) =>
        _online ? _inner.Read(buffer, offset, count, timeoutMs) : Cut();

    /// <inheritdoc/>
    public int Write(byte[] buffer, int offset, int count) =>
        _online ? _inner.Write(buffer, offset, count) : Cut();

    /// <inheritdoc/>
    public void Close() => _inner.Close();

    private int Cut()
    {
        _inner.Close();
        return (int)ChannelStatus.Closed;
    }
}
