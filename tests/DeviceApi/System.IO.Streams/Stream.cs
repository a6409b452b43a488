// Device API reference stub: the public signatures the ESP32 glue uses; bodies throw.
// Source: nanoframework/System.IO.Streams, System.IO.Streams/Stream.cs @ 49dee4f51da2c939e7fb92d022e9586d56fa99fa
//         and System.IO.Streams/SeekOrigin.cs @ cf6e5f7b7ac9e040de13e7a6cc77f90028afcbd6
// Package: nanoFramework.System.IO.Streams 1.1.96 (mscorlib 1.17.11 line). The stored Stream.cs is the
// 2.0-preview line, which adds Read(Span<byte>); that overload is left out: the 1.x line has no Span.
using System;

namespace System.IO
{
    [Serializable]
    public abstract class Stream : MarshalByRefObject, IDisposable
    {
        public abstract bool CanRead { get; }
        public abstract bool CanSeek { get; }
        public virtual bool CanTimeout => throw null;
        public abstract bool CanWrite { get; }
        public abstract long Length { get; }
        public abstract long Position { get; set; }
        public virtual int ReadTimeout { get => throw null; set => throw null; }
        public virtual int WriteTimeout { get => throw null; set => throw null; }
        public virtual void Close() => throw null;
        public void CopyTo(Stream destination) => throw null;
        public void Dispose() => throw null;
        protected virtual void Dispose(bool disposing) => throw null;
        public abstract void Flush();
        public abstract long Seek(long offset, SeekOrigin origin);
        public abstract void SetLength(long value);
        public abstract int Read(byte[] buffer, int offset, int count);
        public virtual int ReadByte() => throw null;
        public abstract void Write(byte[] buffer, int offset, int count);
        public virtual void WriteByte(byte value) => throw null;
    }

    public enum SeekOrigin
    {
        Begin = 0,
        Current = 1,
        End = 2,
    }
}
