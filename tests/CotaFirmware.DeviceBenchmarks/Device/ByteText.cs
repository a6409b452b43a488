using System;

namespace CotaFirmware.DeviceBenchmarks
{
    /// <summary>Builds a benchmark document as bytes, appended piece by piece (the device has no StringBuilder in mscorlib).</summary>
    internal sealed class ByteText
    {
        private byte[] _bytes = new byte[1024];

        /// <summary>How many bytes were appended.</summary>
        public int Length;

        /// <summary>Appends <paramref name="text"/>, whose characters must be below U+0080.</summary>
        public ByteText Ascii(string text)
        {
            char[] chars = text.ToCharArray();
            Room(chars.Length);
            for (int i = 0; i < chars.Length; i++)
            {
                _bytes[Length++] = (byte)chars[i];
            }

            return this;
        }

        /// <summary>Appends <paramref name="value"/> in decimal.</summary>
        public ByteText Number(int value) => Ascii(value.ToString());

        /// <summary>Appends raw bytes (UTF-8 text).</summary>
        public ByteText Raw(byte[] bytes)
        {
            Room(bytes.Length);
            Array.Copy(bytes, 0, _bytes, Length, bytes.Length);
            Length += bytes.Length;
            return this;
        }

        /// <summary>The bytes appended, in a new array of exactly <see cref="Length"/> bytes.</summary>
        public byte[] ToArray()
        {
            byte[] result = new byte[Length];
            Array.Copy(_bytes, 0, result, 0, Length);
            return result;
        }

        private void Room(int more)
        {
            if (Length + more <= _bytes.Length)
            {
                return;
            }

            int size = _bytes.Length * 2;
            while (size < Length + more)
            {
                size *= 2;
            }

            byte[] grown = new byte[size];
            Array.Copy(_bytes, 0, grown, 0, Length);
            _bytes = grown;
        }
    }
}
