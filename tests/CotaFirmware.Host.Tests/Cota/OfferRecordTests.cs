using CotaFirmware.Cota;

namespace CotaFirmware.HostTests.Cota;

/// <summary>The offer record (internal to the Cota layer, so tested on .NET only) on its own: the copy saved last wins across boots, a torn newest copy leaves the previous record, and an offer at the limits comes back whole.</summary>
[TestClass]
public class OfferRecordTests
{
    private static ConfigOffer Offer(string configId, int maxUrlLength, int urlLength)
    {
        var offer = new ConfigOffer(maxUrlLength);
        byte[] id = Ascii.Bytes(configId);
        byte[] sign = Ascii.Bytes(new string('a', ConfigOffer.DigestLength * 2));
        byte[] url = Ascii.Bytes("https://f/" + new string('u', urlLength - 10));
        Assert.IsTrue(offer.Set(id, 0, id.Length, 300, sign, 0, sign.Length, url, 0, url.Length));
        return offer;
    }

    // A boot: a record loaded from storage into offer, found or not.
    private static OfferRecord Boot(MemoryStorage storage, ConfigOffer offer, bool found)
    {
        var record = new OfferRecord();
        Assert.AreEqual(found, record.Load(storage, offer));
        return record;
    }

    private static void Save(OfferRecord record, MemoryStorage storage, uint sequence, OfferStage stage, ConfigOffer offer)
    {
        record.Sequence = sequence;
        record.Stage = stage;
        Expect.Status(StorageStatus.Ok, record.Save(storage, offer));
    }

    // One boot saves offer 1 (cfg-1), then offer 2 (cfg-2).
    private static void SaveTwoOffers(MemoryStorage storage, ConfigOffer offer)
    {
        OfferRecord record = Boot(storage, offer, false);
        Save(record, storage, 1, OfferStage.Accepted, Offer("cfg-1", 256, 40));
        Save(record, storage, 2, OfferStage.Accepted, Offer("cfg-2", 256, 40));
    }

    private static bool Holds(ConfigOffer offer, string configId) => offer.ConfigIdEquals(Ascii.Bytes(configId), 0, configId.Length);

    [TestMethod]
    public void TheRecordSavedLastWinsAcrossBoots()
    {
        var storage = new MemoryStorage();
        ConfigOffer offer = Offer("cfg-0", 256, 40);
        Save(Boot(storage, offer, false), storage, 1, OfferStage.Accepted, Offer("cfg-1", 256, 40));
        Assert.IsFalse(offer.IsSet, "no record: no offer");

        OfferRecord record = Boot(storage, offer, true);
        Assert.AreEqual(1u, record.Sequence);
        Assert.IsTrue(Holds(offer, "cfg-1"));
        Save(record, storage, 1, OfferStage.None, offer);

        record = Boot(storage, offer, true);
        Assert.IsTrue(record.Stage == OfferStage.None, "the offer ended");
        Assert.IsFalse(offer.IsSet, "an ended offer is no offer");
        Save(record, storage, 2, OfferStage.Accepted, Offer("cfg-2", 256, 40));

        record = Boot(storage, offer, true);
        Assert.AreEqual(2u, record.Sequence);
        Assert.IsTrue(record.Stage == OfferStage.Accepted);
        Assert.IsTrue(Holds(offer, "cfg-2"));
    }

    [TestMethod]
    public void ATornNewestCopyLeavesThePreviousRecord()
    {
        var storage = new MemoryStorage();
        ConfigOffer offer = Offer("cfg-0", 256, 40);
        SaveTwoOffers(storage, offer);
        Assert.IsTrue(storage.Length("cota.offer0") > 0 && storage.Length("cota.offer1") > 0, "each save went to the copy not holding the newest record");
        storage.Corrupt("cota.offer1", 60);

        OfferRecord record = Boot(storage, offer, true);
        Assert.AreEqual(1u, record.Sequence);
        Assert.IsTrue(Holds(offer, "cfg-1"));
    }

    [TestMethod]
    public void AnOfferOfTheLongestIdAndUrlComesBackAndOneWithALongerUrlThanThisFirmwareTakesIsNone()
    {
        var storage = new MemoryStorage();
        string longest = new string('i', ConfigOffer.MaxConfigIdLength);
        Save(Boot(storage, Offer("cfg-0", 256, 40), false), storage, 1, OfferStage.Accepted, Offer(longest, 256, 256));

        ConfigOffer back = new ConfigOffer(256);
        Boot(storage, back, true);
        Assert.IsTrue(Holds(back, longest));
        Assert.AreEqual(256, back.UrlLength);

        // A later setting of a shorter URL limit: the record is none this firmware can hold, not an exception.
        Boot(storage, new ConfigOffer(255), false);
    }

    // The copy not read, or the newer firmware's, may hold the newest record: an offer owned.
    [TestMethod]
    public void ARecordThatCannotBeReadOrIsANewerFirmwaresIsNeitherTakenNorOverwritten()
    {
        var storage = new MemoryStorage();
        ConfigOffer offer = Offer("cfg-0", 256, 40);
        SaveTwoOffers(storage, offer);
        byte[] copy0 = storage.Contents("cota.offer0");

        storage.UnreadableArea = "cota.offer1";
        OfferRecord record = Boot(storage, offer, false);
        Expect.Status(StorageStatus.Failed, record.ReadError);
        Expect.Status(StorageStatus.Failed, record.Save(storage, offer));
        Assert.AreEqual(Ascii.Hex(copy0, 0, copy0.Length), Ascii.Hex(storage.Contents("cota.offer0"), 0, copy0.Length));

        storage.UnreadableArea = null;
        storage.Put("cota.offer0", "COF2 a later release's offer");
        record = Boot(storage, offer, false);
        Assert.IsTrue(record.Newer);
        Expect.Status(StorageStatus.NewerRecord, record.Save(storage, offer));
    }
}
