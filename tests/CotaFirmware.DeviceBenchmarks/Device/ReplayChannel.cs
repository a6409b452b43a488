using System;
using CotaFirmware.Platform;

namespace CotaFirmware.DeviceBenchmarks
{
    /// <summary>
    /// The core's byte channel over a recorded broker stream, served again from its start on each <see cref="Replay"/>;
    /// what the client writes (acks) is dropped. Memory is the only transport, so the client's own cost is what is timed.
    /// </summary>
    internal sealed class ReplayChannel : IByteChannel
    {
        private byte[] _stream = new byte[0];
        private int _position;

        /// <summary>Serves <paramref name="stream"/> from its start.</summary>
        public void Replay(byte[] stream)
        {
            _stream = stream;
            _position = 0;
        }

        /// <summary>Bytes not yet read.</summary>
        public int Unread => _stream.Length - _position;

        public ChannelStatus Connect(string host, int port, bool tls, int timeoutMs) => ChannelStatus.Ok;

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            int n = _stream.Length - _position;
            if (n > count)
            {
                n = count;
            }

            Array.Copy(_stream, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public int Write(byte[] buffer, int offset, int count) => count;

        public void Close()
        {
        }
    }
}
