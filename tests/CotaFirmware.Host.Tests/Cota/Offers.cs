using System.Security.Cryptography;
using System.Text;
using CotaFirmware.Config;
using CotaFirmware.Cota;
using CotaFirmware.Tests.Cota;

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

    /// <summary>Small buffers, quick retries, and 5 ms read slices: a step's real wait matches the 5 ms <see cref="Run"/> adds.</summary>
    public static DownloadSettings Settings(bool allowPlainHttp = false) => new()
    {
        BufferSize = 512,
        MaxAttempts = 4,
        BackoffMinMs = 10,
        BackoffMaxMs = 40,
        TimeoutMs = 5000,
        ReadSliceMs = 5,
        AllowPlainHttp = allowPlainHttp,
    };

    /// <summary>The store's slot a fresh store stages its first candidate in.</summary>
    public const string Slot = "cfg-a";

    /// <summary>A download over a freshly booted store on <paramref name="storage"/> (as at every boot), configs up to 1 MB.</summary>
    public static RangeDownload Create(IHttpClient http, IStorage storage, IClock clock, DownloadSettings settings)
    {
        var store = new ConfigStore(storage, new byte[1024], 1 << 20, 3);
        store.Boot();
        return new RangeDownload(http, store, storage, clock, settings, 11);
    }

    /// <summary>The content of the store's candidate slot (after its header), or null.</summary>
    public static byte[]? Staged(IStorage storage)
    {
        int length = storage.Length(Slot);
        if (length < ConfigStore.HeaderSize)
        {
            return null;
        }

        var content = new byte[length - ConfigStore.HeaderSize];
        return storage.Read(Slot, ConfigStore.HeaderSize, content, 0, content.Length) == content.Length ? content : null;
    }

    /// <summary>Steps to the end, advancing the test clock 5 ms a step; real time passes only inside HTTP calls.</summary>
    public static CotaStatus Run(RangeDownload download, ManualClock clock) => DownloadFixture.Run(download, clock, 5);
}
