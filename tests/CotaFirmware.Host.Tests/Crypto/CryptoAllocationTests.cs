using CotaFirmware.Crypto;

namespace CotaFirmware.HostTests.Crypto;

/// <summary>Steady-state crypto work allocates nothing: on the device every allocation costs interpreter time and a stop-the-world GC.</summary>
[TestClass]
public sealed class CryptoAllocationTests
{
    private const int Rounds = 2000;

    private static readonly byte[] Data = MakeData(3000);
    private static readonly byte[] Output = new byte[64];
    private static readonly byte[] Text = new byte[256];

    private static byte[] MakeData(int length)
    {
        var data = new byte[length];
        new Random(17).NextBytes(data);
        return data;
    }

    /// <summary>One message of every length up to a few blocks, in uneven pieces, then the digest.</summary>
    private static void HashMessages(HashFunction hash)
    {
        for (int i = 0; i < Rounds; i++)
        {
            int length = i % 300;
            int first = length / 3;
            hash.Update(Data, 0, first);
            hash.Update(Data, first, length - first);
            hash.Final(Output, 0);
        }

        hash.Update(Data, 0, 100);
        hash.Reset();
    }

    private static long AllocatedBy(Action work)
    {
        work(); // first run: JIT, static constructors, tiering
        long before = GC.GetAllocatedBytesForCurrentThread();
        work();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [TestMethod]
    public void Sha256AllocatesNothingPerMessage()
    {
        var hash = new Sha256();
        Assert.AreEqual(0L, AllocatedBy(() => HashMessages(hash)));
    }

    [TestMethod]
    public void Sha1AllocatesNothingPerMessage()
    {
        var hash = new Sha1();
        Assert.AreEqual(0L, AllocatedBy(() => HashMessages(hash)));
    }

    [TestMethod]
    public void HmacAllocatesNothingPerMessage()
    {
        var sha256 = new Hmac(new Sha256(), Data, 0, 32);
        var sha1WithLongKey = new Hmac(new Sha1(), Data, 0, 200);
        Assert.AreEqual(0L, AllocatedBy(() => HashMessages(sha256)));
        Assert.AreEqual(0L, AllocatedBy(() => HashMessages(sha1WithLongKey)));
    }

    [TestMethod]
    public void Crc32HexDecodingAndComparisonsAllocateNothing()
    {
        uint sink = 0;
        for (int i = 0; i < Text.Length; i++)
        {
            Text[i] = (byte)"0123456789abcdef"[Data[i] & 0x0F];
        }

        Assert.AreEqual(0L, AllocatedBy(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                sink ^= Crc32.Compute(Data, i % 100, 500);
                sink ^= (uint)Hex.Decode(Text, i & 1, 128, Output, 0);
                sink ^= ConstantTime.AreEqual(Data, 0, 64, Data, i % 64, 64) ? 1u : 0u;
            }
        }));
        Assert.AreNotEqual(0xFFFFFFFFu, sink); // keeps the work observable
    }
}
