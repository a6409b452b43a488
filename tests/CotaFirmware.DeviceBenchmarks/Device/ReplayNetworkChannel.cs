using System;
using nanoFramework.M2Mqtt;

namespace CotaFirmware.DeviceBenchmarks
{
    /// <summary>M2Mqtt's network channel over the same recorded broker stream as <see cref="ReplayChannel"/>.</summary>
    internal sealed class ReplayNetworkChannel : IMqttNetworkChannel
    {
        private byte[] _stream = new byte[0];
        private int _position;

        /// <summary>Serves <paramref name="stream"/> from its start.</summary>
        public void Replay(byte[] stream)
        {
            _stream = stream;
            _position = 0;
        }

        public bool DataAvailable => _position < _stream.Length;

        public bool ValidateServerCertificate { get; set; }

        public int Receive(byte[] buffer)
        {
            int n = _stream.Length - _position;
            if (n > buffer.Length)
            {
                n = buffer.Length;
            }

            Array.Copy(_stream, _position, buffer, 0, n);
            _position += n;
            return n;
        }

        public int Receive(byte[] buffer, int timeout) => Receive(buffer);

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
