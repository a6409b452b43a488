using System.Collections;
using CotaFirmware.Config;
using CotaFirmware.Crypto;
using CotaFirmware.Json;

namespace CotaFirmware.Tests.Config;

/// <summary>A device for the applier's tests: storage, store, modules a (live), b (restart), w (reboot), and the applier.</summary>
public sealed class ApplierFixture
{
    /// <summary>Boots before the boot-loop guard rolls back.</summary>
    public const int TrialBoots = 3;

    /// <summary>The storage that survives reboots.</summary>
    public readonly MemoryStorage Storage;

    /// <summary>Every module call, as "name what".</summary>
    public readonly ArrayList Journal = new ArrayList();

    /// <summary>The store of this boot.</summary>
    public ConfigStore Store;

    /// <summary>Module a (live), b (restart), w (reboot).</summary>
    public JournalingModule A;

    /// <summary>Module b (restart).</summary>
    public JournalingModule B;

    /// <summary>Module w (reboot).</summary>
    public JournalingModule W;

    /// <summary>The value module w throws on at every boot from now on (int.MinValue: none).</summary>
    public int WFailsOn = int.MinValue;

    /// <summary>The applier of this boot.</summary>
    public ConfigApplier Applier;

    /// <summary>The SHA-256 the store of each boot checks slots with (null: its own).</summary>
    public HashFunction StoreHash;

    /// <summary>Creates the device over fresh storage and boots it.</summary>
    public ApplierFixture()
        : this(new MemoryStorage())
    {
    }

    /// <summary>Creates the device over <paramref name="storage"/> and boots it.</summary>
    public ApplierFixture(MemoryStorage storage)
    {
        Storage = storage;
        PowerOn();
    }

    /// <summary>What the last <see cref="PowerOn"/>'s <see cref="ConfigApplier.Boot"/> returned.</summary>
    public ConfigStatus BootStatus;

    /// <summary>A new firmware instance over the same storage (RAM lost), booted.</summary>
    public void PowerOn()
    {
        Store = StoreHash == null
            ? new ConfigStore(Storage, new byte[256], ConfigFixture.MaxLength, TrialBoots)
            : new ConfigStore(Storage, StoreHash, new byte[256], ConfigFixture.MaxLength, TrialBoots);
        A = new JournalingModule("a", ConfigApplyPolicy.Live, Journal);
        B = new JournalingModule("b", ConfigApplyPolicy.RestartModule, Journal);
        W = new JournalingModule("w", ConfigApplyPolicy.RebootDevice, Journal);
        W.FailOn = WFailsOn;
        ModuleRegistry registry = new ModuleRegistry(4);
        registry.Register(A);
        registry.Register(B);
        registry.Register(W);
        Applier = new ConfigApplier(Store, registry, null, new byte[64], new byte[32], 4);
        BootStatus = Applier.Boot();
    }

    /// <summary>Stages <paramref name="json"/> as config <paramref name="id"/> and hands it to the applier.</summary>
    public ConfigStatus Offer(string id, string json)
    {
        Journal.Clear();
        Assert(ConfigFixture.Stage(Store, id, ConfigFixture.Ascii(json), 5) == ConfigStatus.Ok);
        return Applier.ApplyCandidate();
    }

    /// <summary>Offers and confirms a config.</summary>
    public void Install(string id, string json)
    {
        Assert(Offer(id, json) == ConfigStatus.Ok);
        Assert(Applier.Confirm() == ConfigStatus.Ok);
        Journal.Clear();
    }

    /// <summary>The journal as one line, entries separated by "; ".</summary>
    public string Calls()
    {
        string text = "";
        for (int i = 0; i < Journal.Count; i++)
        {
            text = text + (i == 0 ? "" : "; ") + (string)Journal[i];
        }

        return text;
    }

    /// <summary>The active config's id, or "" when none.</summary>
    public string ActiveId()
    {
        byte[] id = new byte[ConfigStore.MaxConfigIdLength];
        int n = Store.CopyActiveConfigId(id, 0);
        return n < 0 ? "" : Text(id, n);
    }

    /// <summary>The JSON form of <paramref name="errors"/>, as one object: <c>{"errors":[..],..}</c>.</summary>
    public static string Json(ConfigErrors errors)
    {
        byte[] buffer = new byte[512];
        JsonWriter writer = new JsonWriter(buffer, 0, buffer.Length);
        writer.BeginObject();
        errors.WriteMembers(writer);
        writer.EndObject();
        return Text(buffer, writer.Length);
    }

    /// <summary>ASCII bytes as text.</summary>
    public static string Text(byte[] bytes, int count)
    {
        char[] chars = new char[count];
        for (int i = 0; i < count; i++)
        {
            chars[i] = (char)bytes[i];
        }

        return new string(chars);
    }

    private static void Assert(bool condition)
    {
        if (!condition)
        {
            throw new System.InvalidOperationException("fixture step failed");
        }
    }
}
