using CotaFirmware.Crypto;
using CotaFirmware.Json;

namespace CotaFirmware.HostTests.Json;

/// <summary>After construction, reading documents allocates nothing: not per token, value, refill, skip or hash.</summary>
[TestClass]
public sealed class JsonAllocationTests
{
    private sealed class NullHash : HashFunction
    {
        public override int HashSize => 0;

        public override int BlockSize => 64;

        public override void Reset() { }

        public override void Update(byte[] buffer, int offset, int count) { }

        public override void Final(byte[] output, int offset) { }
    }

    private sealed class RewindableSource : IJsonSource
    {
        private readonly byte[] _doc;
        private int _pos;

        public RewindableSource(byte[] doc) => _doc = doc;

        public void Rewind() => _pos = 0;

        public int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, _doc.Length - _pos);
            Buffer.BlockCopy(_doc, _pos, buffer, offset, n);
            _pos += n;
            return n;
        }
    }

    private static int Use(JsonReader reader, byte[] scratch, HashFunction hash, byte[] name)
    {
        int sum = 0;
        while (reader.Read())
        {
            switch (reader.TokenKind)
            {
                case JsonTokenKind.PropertyName:
                    if (reader.ValueEquals(name))
                    {
                        reader.HashValue(hash);
                    }
                    else if (reader.StringLength == 1)
                    {
                        reader.Skip();
                    }

                    break;
                case JsonTokenKind.String:
                    sum += reader.CopyString(scratch, 0, scratch.Length);
                    break;
                case JsonTokenKind.Number:
                    reader.TryGetInt32(out int i);
                    reader.TryGetInt64(out long l);
                    sum += i + (int)l;
                    break;
            }
        }

        return sum + (int)reader.Error;
    }

    [TestMethod]
    public void ReadingDocumentsAllocatesNothingAfterConstruction()
    {
        var random = new Random(7);
        var docs = new List<byte[]>();
        for (int i = 0; i < 50; i++)
        {
            docs.Add(RandomJson.Document(random));
        }

        docs.Add("{\"wifi\":{\"ssid\":\"x\\u00e9\",\"ch\":[1,2]},\"a\":[1,2,{}],\"bad\":[01]}"u8.ToArray());
        var sources = docs.Select(d => new RewindableSource(d)).ToList();
        var inMemory = new JsonReader(null);
        var streamed = new JsonReader(new byte[256]);
        var scratch = new byte[1 << 16];
        var hash = new NullHash();
        byte[] name = "wifi"u8.ToArray();

        long total = 0;
        for (int round = 0; round < 2; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < docs.Count; i++)
            {
                inMemory.Begin(docs[i], 0, docs[i].Length);
                total += Use(inMemory, scratch, hash, name);
                sources[i].Rewind();
                streamed.Begin(sources[i]);
                total += Use(streamed, scratch, hash, name);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == 1)
            {
                Assert.AreEqual(0L, allocated, "bytes allocated reading " + docs.Count + " documents twice");
            }
        }

        Assert.AreNotEqual(0L, total);
    }
}
