using CotaFirmware.Config;

namespace CotaFirmware.Tests.Config;

/// <summary>Builds stores and configs for the store's tests.</summary>
public static class ConfigFixture
{
    /// <summary>The largest config the test board accepts.</summary>
    public const int MaxLength = 1 << 20;

    /// <summary>A booted store over <paramref name="storage"/> with a small work buffer.</summary>
    public static ConfigStore Boot(IStorage storage, int maxTrialBoots)
    {
        ConfigStore store = new ConfigStore(storage, new byte[ConfigStore.HeaderSize], MaxLength, maxTrialBoots);
        store.Boot();
        return store;
    }

    /// <summary>A config of <paramref name="length"/> bytes whose every byte depends on <paramref name="seed"/>.</summary>
    public static byte[] Content(int seed, int length)
    {
        byte[] content = new byte[length];
        uint x = (uint)seed * 2654435761u + 1;
        for (int i = 0; i < length; i++)
        {
            x = x * 1103515245u + 12345u;
            content[i] = (byte)(x >> 16);
        }

        return content;
    }

    /// <summary>The ASCII bytes of <paramref name="text"/>.</summary>
    public static byte[] Ascii(string text) => Linkkit.Ascii.Latin1(text);

    /// <summary>Stages <paramref name="content"/> in chunks of <paramref name="chunk"/> bytes and seals it.</summary>
    public static ConfigStatus Stage(ConfigStore store, string id, byte[] content, int chunk)
    {
        byte[] idBytes = Ascii(id);
        ConfigStatus status = store.Begin(idBytes, 0, idBytes.Length, content.Length);
        for (int done = 0; status == ConfigStatus.Ok && done < content.Length; done += chunk)
        {
            status = store.Append(content, done, content.Length - done < chunk ? content.Length - done : chunk);
        }

        return status == ConfigStatus.Ok ? Seal(store, null) : status;
    }

    /// <summary>Seals the candidate, calling <see cref="ConfigStore.Seal"/> while it reads one buffer at a time.</summary>
    public static ConfigStatus Seal(ConfigStore store, byte[] expectedDigest)
    {
        ConfigStatus status;
        do
        {
            status = store.Seal(expectedDigest, 0);
        }
        while (status == ConfigStatus.InProgress);
        return status;
    }

    /// <summary>Stages, seals and commits <paramref name="content"/>.</summary>
    public static ConfigStatus Commit(ConfigStore store, string id, byte[] content, bool onTrial)
    {
        ConfigStatus status = Stage(store, id, content, 1000);
        return status == ConfigStatus.Ok ? store.Commit(onTrial) : status;
    }

    /// <summary>A booted store over <paramref name="storage"/> with <paramref name="older"/> committed confirmed, then <paramref name="newer"/> on trial.</summary>
    public static ConfigStore OnTrial(IStorage storage, byte[] older, byte[] newer, int maxTrialBoots)
    {
        ConfigStore store = Boot(storage, maxTrialBoots);
        Commit(store, "old", older, false);
        Commit(store, "new", newer, true);
        return store;
    }

    /// <summary>True when the active config is exactly <paramref name="content"/>, read through 7-byte pieces.</summary>
    public static bool ActiveIs(ConfigStore store, byte[] content)
    {
        ConfigReader reader = new ConfigReader();
        return store.OpenActive(reader) == ConfigStatus.Ok && ReaderHolds(reader, content);
    }

    /// <summary>True when <paramref name="reader"/> yields exactly <paramref name="content"/> and then ends.</summary>
    public static bool ReaderHolds(ConfigReader reader, byte[] content)
    {
        if (reader.Length != content.Length)
        {
            return false;
        }

        byte[] piece = new byte[7];
        int position = 0;
        while (true)
        {
            int read = reader.Read(piece, 0, piece.Length);
            if (read < 0)
            {
                return false;
            }

            if (read == 0)
            {
                return position == content.Length;
            }

            for (int i = 0; i < read; i++)
            {
                if (position >= content.Length || piece[i] != content[position])
                {
                    return false;
                }

                position++;
            }
        }
    }
}
