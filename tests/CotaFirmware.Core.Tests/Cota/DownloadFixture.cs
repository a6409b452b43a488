using CotaFirmware.Config;
using CotaFirmware.Cota;

namespace CotaFirmware.Tests.Cota;

/// <summary>Test data and a step loop shared by the download tests.</summary>
public static class DownloadFixture
{
    /// <summary>The URL the tests offer: an OSS-like address with a long signed query.</summary>
    public static string Url(string scheme)
    {
        string query = "?Expires=1700000000&OSSAccessKeyId=STS.NTestKeyId&Signature=abcdefghijklmnopqrstuvwxyz012345&security-token=";
        string token = "";
        for (int i = 0; i < 12; i++)
        {
            token += "CAIS0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ%2B%2F";
        }

        return scheme + "://bucket.oss-cn-shanghai.aliyuncs.com/config_file/pk1/cfg.json" + query + token;
    }

    /// <summary>A file of <paramref name="length"/> bytes with a pattern that depends on <paramref name="seed"/>.</summary>
    public static byte[] File(int length, int seed)
    {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++)
        {
            b[i] = (byte)((i * 7 + seed * 13 + (i >> 8)) % 251);
        }

        return b;
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="data"/>.</summary>
    public static byte[] SignHex(byte[] data)
    {
        ReferenceSha256 sha = new ReferenceSha256();
        sha.Update(data, 0, data.Length);
        byte[] digest = new byte[32];
        sha.Final(digest, 0);
        byte[] hex = new byte[64];
        char[] digits = "0123456789abcdef".ToCharArray();
        for (int i = 0; i < 32; i++)
        {
            hex[2 * i] = (byte)digits[digest[i] >> 4];
            hex[2 * i + 1] = (byte)digits[digest[i] & 15];
        }

        return hex;
    }

    /// <summary>ASCII bytes of <paramref name="s"/>.</summary>
    public static byte[] Ascii(string s) => Linkkit.Ascii.Latin1(s);

    /// <summary>An offer for <paramref name="signedData"/> claiming <paramref name="size"/> bytes.</summary>
    public static ConfigOffer Offer(string configId, long size, byte[] signedData, string url)
    {
        ConfigOffer offer = new ConfigOffer(2048);
        byte[] id = Ascii(configId);
        byte[] sign = SignHex(signedData);
        byte[] u = Ascii(url);
        if (!offer.Set(id, 0, id.Length, size, sign, 0, sign.Length, u, 0, u.Length))
        {
            throw new System.InvalidOperationException("offer refused");
        }

        return offer;
    }

    /// <summary>An offer for <paramref name="file"/> itself over HTTPS.</summary>
    public static ConfigOffer Offer(string configId, byte[] file)
    {
        return Offer(configId, file.Length, file, Url("https"));
    }

    /// <summary>Small buffers and quick retries so the tests cover many steps.</summary>
    public static DownloadSettings Settings()
    {
        DownloadSettings s = new DownloadSettings();
        s.BufferSize = 256;
        s.MaxAttempts = 4;
        s.BackoffMinMs = 100;
        s.BackoffMaxMs = 1000;
        s.TimeoutMs = 5000;
        return s;
    }

    /// <summary>The store's slot a fresh store stages its first candidate in.</summary>
    public const string Slot = "cfg-a";

    /// <summary>A download over a freshly booted store on <paramref name="storage"/> (as at every boot) taking configs up to 64 KB.</summary>
    public static RangeDownload Create(IHttpClient http, MemoryStorage storage, ManualClock clock, DownloadSettings settings)
    {
        return Create(http, storage, clock, settings, 64 * 1024);
    }

    /// <summary>A download over a freshly booted store on <paramref name="storage"/> taking configs up to <paramref name="maxConfigSize"/> bytes.</summary>
    public static RangeDownload Create(IHttpClient http, MemoryStorage storage, ManualClock clock, DownloadSettings settings, int maxConfigSize)
    {
        ConfigStore store = new ConfigStore(storage, new byte[256], maxConfigSize, 3);
        store.Boot();
        return new RangeDownload(http, store, storage, clock, settings, 5);
    }

    /// <summary>Steps until the download ends, moving the clock 50 ms per step.</summary>
    public static CotaStatus Run(RangeDownload download, ManualClock clock)
    {
        return Run(download, clock, 50);
    }

    /// <summary>Steps until the download ends, moving the clock <paramref name="stepMs"/> per step.</summary>
    public static CotaStatus Run(RangeDownload download, ManualClock clock, int stepMs)
    {
        for (int i = 0; i < 1000000; i++)
        {
            CotaStatus r = download.Step();
            if (r != CotaStatus.Running)
            {
                return r;
            }

            clock.Advance(stepMs);
        }

        throw new System.InvalidOperationException("download never ended");
    }

    /// <summary>True when the store's candidate slot holds exactly <paramref name="expected"/> after its header.</summary>
    public static bool Staged(MemoryStorage storage, byte[] expected)
    {
        byte[] got = storage.Contents(Slot);
        if (got == null || got.Length != ConfigStore.HeaderSize + expected.Length)
        {
            return false;
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (got[ConfigStore.HeaderSize + i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }
}
