using System.Security.Cryptography;
using System.Text;
using CotaFirmware.Cota;

namespace CotaFirmware.HostTests.Cota;

/// <summary>Builds offers and runs downloads for the host tests.</summary>
public static class Offers
{
    public static byte[] File(int length, int seed)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    public static ConfigOffer For(string configId, byte[] file, string url, byte[]? signed = null)
    {
        var offer = new ConfigOffer(2048);
        var id = Encoding.ASCII.GetBytes(configId);
        var sign = Encoding.ASCII.GetBytes(Convert.ToHexString(SHA256.HashData(signed ?? file)));
        var u = Encoding.ASCII.GetBytes(url);
        if (!offer.Set(id, 0, id.Length, file.Length, sign, 0, sign.Length, u, 0, u.Length))
        {
            throw new InvalidOperationException("offer refused");
        }

        return offer;
    }

    public static DownloadSettings Settings(bool allowPlainHttp = false) => new()
    {
        BufferSize = 512,
        PersistEveryBytes = 2048,
        MaxConfigSize = 1 << 20,
        MaxAttempts = 4,
        BackoffBaseMs = 10,
        BackoffMaxMs = 40,
        TimeoutMs = 5000,
        AllowPlainHttp = allowPlainHttp,
    };

    /// <summary>Steps to the end, advancing the test clock; real time passes only inside HTTP calls.</summary>
    public static DownloadOutcome Run(RangeDownload download, TestClock clock)
    {
        for (int i = 0; i < 1_000_000; i++)
        {
            var r = download.Step();
            if (r != DownloadOutcome.Running)
            {
                return r;
            }

            clock.Now += 5;
        }

        throw new InvalidOperationException("download never ended");
    }
}
