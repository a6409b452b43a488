using System.Text;
using CotaFirmware.Crypto;
using CotaFirmware.Json;

namespace CotaFirmware.Fuzz;

/// <summary>
/// Mutated JSON through <see cref="JsonReader"/>, in memory and streamed through a random window with random short
/// reads. The contract: no exception, a bounded number of tokens, a defined error or a clean end, and the same
/// tokens and verdict at any window (a window smaller than a token may only stop early with TokenTooLong).
/// </summary>
public sealed class JsonFuzzTarget : IFuzzTarget
{
    private static readonly string[] Seeds =
    {
        "{\"id\":\"123\",\"version\":\"1.0\",\"params\":{\"configId\":\"c-1\",\"configSize\":1024,\"sign\":\"a1b2\",\"signMethod\":\"Sha256\",\"url\":\"https://h/x?Expires=1&Signature=a%2Bb\",\"getType\":\"file\"},\"method\":\"thing.config.push\"}",
        "{\"wifi\":{\"ssid\":\"n\\u00e9t\",\"channels\":[1,6,11]},\"led\":{\"on\":true,\"level\":-0.5e-3},\"x\":null,\"e\":[[],{}]}",
        "[\"\\uD83D\\uDE00\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"\u00e9\u20ac\ud83d\ude00\", 0, -0, 1E+2, 9223372036854775808, 1.7976931348623157e308]",
        "  \"top\"  ",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    };

    private static readonly byte[] Interesting = Encoding.ASCII.GetBytes("{}[]\",:\\u0123456789eE.-+ \t\n\rtfnalsr")
        .Concat(new byte[] { 0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF }).ToArray();

    private readonly byte[][] _seeds = Seeds.Select(s => Encoding.UTF8.GetBytes(s)).ToArray();
    private readonly byte[] _scratch = new byte[1 << 16];
    private readonly CountingHash _hash = new CountingHash();
    private readonly List<long> _tokens = new List<long>();

    public string Name => "json";

    public void RunOne(Random random, long iteration)
    {
        byte[] doc = Mutate(_seeds[random.Next(_seeds.Length)], random);
        int maxDepth = random.Next(1, 40);
        var inMemory = new JsonReader(null, maxDepth);
        inMemory.Begin(doc, 0, doc.Length);
        _tokens.Clear();
        Walk(inMemory, doc.Length, random, record: true);
        JsonError error = inMemory.Error;
        int errorOffset = inMemory.ErrorOffset;
        if (error == JsonError.TokenTooLong || error == JsonError.SourceFailed || !Enum.IsDefined(error))
        {
            throw new InvalidOperationException("impossible error in memory: " + error);
        }

        if (errorOffset < 0 || errorOffset > doc.Length)
        {
            throw new InvalidOperationException("error offset " + errorOffset + " outside the document");
        }

        int window = random.Next(1, doc.Length + 2);
        var streamed = new JsonReader(new byte[window], maxDepth);
        streamed.Begin(new Source(doc, random));
        int seen = Walk(streamed, doc.Length, random, record: false);
        if (streamed.Error == JsonError.TokenTooLong)
        {
            return;
        }

        if (streamed.Error != error || streamed.ErrorOffset != errorOffset || (seen >= 0 && seen != _tokens.Count))
        {
            throw new InvalidOperationException($"window {window}: {streamed.Error}@{streamed.ErrorOffset} after {seen} tokens, in memory {error}@{errorOffset} after {_tokens.Count}; input {Convert.ToHexString(doc)}");
        }
    }

    // Reads to the end, touching every accessor; in the streamed run, compares token offsets and kinds with the
    // in-memory run until a skip or hash jumps ahead (then returns -1 instead of the token count).
    private int Walk(JsonReader reader, int length, Random random, bool record)
    {
        int count = 0;
        bool compare = true;
        while (reader.Read())
        {
            long key = ((long)reader.TokenOffset << 8) | (long)reader.TokenKind;
            if (record)
            {
                _tokens.Add(key);
            }
            else if (compare && (count >= _tokens.Count || _tokens[count] != key))
            {
                throw new InvalidOperationException("token " + count + " differs from the in-memory run");
            }

            count++;
            if (count > length + 1)
            {
                throw new InvalidOperationException("more tokens than bytes");
            }

            switch (reader.TokenKind)
            {
                case JsonTokenKind.String:
                case JsonTokenKind.PropertyName:
                    int n = reader.CopyString(_scratch, 0, _scratch.Length);
                    if (n != reader.StringLength || !reader.ValueEquals(_scratch, 0, n))
                    {
                        throw new InvalidOperationException("CopyString and ValueEquals disagree");
                    }

                    break;
                case JsonTokenKind.Number:
                    reader.TryGetInt32(out _);
                    reader.TryGetInt64(out _);
                    break;
            }

            // Skipping and hashing change the token stream, so only the streamed run uses them.
            if (!record && random.Next(8) == 0)
            {
                bool ok = random.Next(2) == 0 ? reader.Skip() : reader.HashValue(_hash) || reader.Error == JsonError.None;
                if (!ok && reader.Error == JsonError.None)
                {
                    throw new InvalidOperationException("Skip failed without an error");
                }

                compare = false;
            }
        }

        if (reader.TokenKind != JsonTokenKind.None || reader.Read())
        {
            throw new InvalidOperationException("reader not at rest after the end");
        }

        reader.DescribeError();
        return compare ? count : -1;
    }

    /// <summary>A few random edits of <paramref name="doc"/>: bit flips, JSON-significant and UTF-8-edge bytes, cuts, copies,
    /// truncation; at least <paramref name="minEdits"/> of them change it (the fuzz run also keeps some documents as
    /// they are).</summary>
    public static byte[] Mutate(byte[] doc, Random r, int minEdits = 0)
    {
        var b = new List<byte>(doc);
        int steps = r.Next(0, 6);
        int edits = 0;
        for (int s = 0; s < steps || edits < minEdits; s++)
        {
            int at = b.Count == 0 ? 0 : r.Next(b.Count);
            int count = b.Count;
            byte was = count == 0 ? (byte)0 : b[at];
            switch (r.Next(6))
            {
                case 0 when b.Count > 0: b[at] ^= (byte)(1 << r.Next(8)); break;
                case 1 when b.Count > 0: b[at] = Interesting[r.Next(Interesting.Length)]; break;
                case 2: b.Insert(at, Interesting[r.Next(Interesting.Length)]); break;
                case 3 when b.Count > 0: b.RemoveRange(at, Math.Min(b.Count - at, r.Next(1, 4))); break;
                case 4 when b.Count > 0:
                    int len = Math.Min(b.Count - at, r.Next(1, 32));
                    b.InsertRange(r.Next(b.Count), b.GetRange(at, len));
                    break;
                default: if (b.Count > 0 && r.Next(4) == 0) { b.RemoveRange(at, b.Count - at); } break;
            }

            if (b.Count != count || (count > 0 && b[at] != was))
            {
                edits++;
            }
        }

        return b.ToArray();
    }

    private sealed class Source : IJsonSource
    {
        private readonly byte[] _doc;
        private readonly Random _random;
        private int _pos;

        public Source(byte[] doc, Random random)
        {
            _doc = doc;
            _random = random;
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, _doc.Length - _pos);
            if (n > 1)
            {
                n = _random.Next(1, n + 1);
            }

            Array.Copy(_doc, _pos, buffer, offset, n);
            _pos += n;
            return n;
        }
    }

    private sealed class CountingHash : HashFunction
    {
        private long _bytes;

        public override int HashSize => 8;

        public override int BlockSize => 64;

        public override void Reset() => _bytes = 0;

        public override void Update(byte[] buffer, int offset, int count)
        {
            if (count < 0 || offset < 0 || offset + count > buffer.Length)
            {
                throw new InvalidOperationException("Update outside the buffer");
            }

            _bytes += count;
        }

        public override void Final(byte[] output, int offset) => _bytes = 0;
    }
}
