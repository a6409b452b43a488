using System;
using CotaFirmware.Platform;
using nanoFramework.M2Mqtt;

namespace CotaFirmware.DeviceBenchmarks
{
    /// <summary>
    /// A recorded broker stream, served again from its start on each <see cref="Replay"/>, to the core client (as its
    /// byte channel) and to M2Mqtt's decoder (as its network channel); what either writes (acks) is dropped. Memory is
    /// the only transport, so the client's own cost is what is timed.
    /// </summary>
    internal sealed class ReplayChannel : IByteChannel, IMqttNetworkChannel
    {
        private byte[] _stream = new byte[0];
        private int _position;

        /// <summary>Serves <paramref name="stream"/> from its start.</summary>
        public void Replay(byte[] stream)
        {
            _stream = stream;
            _position = 0;
        }

        /// <summary>True while bytes are left.</summary>
        public bool DataAvailable => _position < _stream.Length;

        public bool ValidateServerCertificate { get; set; }

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

        public int Receive(byte[] buffer) => Read(buffer, 0, buffer.Length, 0);

        public int Receive(byte[] buffer, int timeout) => Read(buffer, 0, buffer.Length, timeout);

        public int Write(byte[] buffer, int offset, int count) => count;

        public int Send(byte[] buffer) => buffer.Length;

        public void Close()
        {
        }

        public void Connect()
        {
        }

        public void Accept()
        {
        }
    }
}
