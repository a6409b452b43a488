using System.Security.Cryptography;

namespace CotaFirmware.Benchmarks;

/// <summary>
/// The .NET peer's "store and hash" of a download in the COTA benchmarks: Stream.CopyTo through a 4 KB buffer into a
/// stream, feeding an IncrementalHash SHA-256 on the way; and the URL both benchmarks offer.
/// </summary>
internal sealed class PeerStore
{
    /// <summary>An OSS-like signed URL, padded to 816 characters as a signed OSS URL with an STS token runs.</summary>
    public static readonly string OfferUrl =
        "https://bucket.oss-cn-shanghai.aliyuncs.com/config_file/pk1/cfg.json?Expires=1700000000&OSSAccessKeyId=STS.N&Signature=abc".PadRight(816, 'x');

    private readonly MemoryStream _stored;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public PeerStore(int capacity) => _stored = new MemoryStream(capacity);

    /// <summary>The SHA-256 of the file <see cref="Store"/> stored last.</summary>
    public byte[] Digest { get; } = new byte[32];

    /// <summary>Stores <paramref name="file"/> from the start, hashing it on the way.</summary>
    public void Store(byte[] file)
    {
        _stored.Position = 0;
        using var source = new MemoryStream(file, false);
        source.CopyTo(new HashingSink(_stored, _hash), 4096);
        _hash.GetHashAndReset(Digest);
    }

    /// <summary>Writes through to a stream while feeding a hash.</summary>
    private sealed class HashingSink(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            hash.AppendData(buffer, offset, count);
            inner.Write(buffer, offset, count);
        }
    }
}
