namespace CotaFirmware.Platform;

/// <summary>
/// A byte stream to one network peer (plain TCP or TLS): what a board must provide for MQTT.
/// </summary>
/// <remarks>
/// Every call returns a value instead of throwing. The channel owns no protocol state, so the caller may
/// <see cref="Connect"/> again after <see cref="Close"/>. TLS settings (root CA, hostname check) belong to the board's
/// implementation. One thread uses the channel: no call is made while another is in progress.
/// A Read that times out loses no bytes: they are returned by a later Read.
/// </remarks>
public interface IByteChannel
{
    /// <summary>Opens a connection to <paramref name="host"/>:<paramref name="port"/>, with TLS when <paramref name="tls"/> is set, closing any previous one.</summary>
    /// <returns><see cref="ChannelStatus.Ok"/>, or the failure.</returns>
    public ChannelStatus Connect(string host, int port, bool tls, int timeoutMs);

    /// <summary>Reads up to <paramref name="count"/> bytes into <paramref name="buffer"/> at <paramref name="offset"/>, waiting at most <paramref name="timeoutMs"/>.</summary>
    /// <returns>The number of bytes read (at least 1); 0 when nothing arrived in time; a negative <see cref="ChannelStatus"/> value when the channel failed or the peer closed it.</returns>
    public int Read(byte[] buffer, int offset, int count, int timeoutMs);

    /// <summary>Writes up to <paramref name="count"/> bytes from <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    /// <returns>The number of bytes written, which may be fewer than asked; 0 when the channel cannot take bytes now; a negative <see cref="ChannelStatus"/> value on failure.</returns>
    public int Write(byte[] buffer, int offset, int count);

    /// <summary>Closes the connection. Safe to call when it is already closed.</summary>
    public void Close();
}
