using CotaFirmware.Cota;
using CotaFirmware.Linkkit;
using CotaFirmware.Tests.Cota;
using CotaFirmware.Timing;

namespace CotaFirmware.HostTests.Cota;

/// <summary>The result log (internal to the Cota layer, so tested on .NET only) on its own: which slot a new result takes, which result a config's lookup finds, and when a result counts as delivered or goes again.</summary>
[TestClass]
public class ResultLogTests
{
    private const string Event = "thing/event/Res/post";

    // A result log over its own flash, sent as the event "Res" of a connected device; a new instance per test.
    private sealed class Bench
    {
        public readonly MemoryStorage Flash = new MemoryStorage();
        public readonly CotaRig Rig = CotaRig.Connected(CotaRig.Config(1, 300));
        public ResultLog Log;
        private readonly int _topic;

        public Bench(int slots, int capacity)
        {
            _topic = Rig.Device.DefineEvent("Res");
            Boot(slots, capacity);
        }

        // A boot of a log of slots entries of at most capacity JSON bytes.
        public void Boot(int slots, int capacity)
        {
            Log = new ResultLog(Flash, slots, capacity, Rig.Device, _topic, new Backoff(1000, 60000, 1), Rig.Clock, Rig.Log);
            Log.Load();
        }

        public void Add(uint sequence, string configId, byte[] digest, CotaStatus reason)
        {
            byte[] id = Ascii.Bytes(configId);
            Log.Begin().WriteProperty("n", sequence.ToString());
            Expect.Status(StorageStatus.Ok, Log.Add(sequence, id, id.Length, digest, reason));
        }

        public CotaStatus Find(string configId, byte[] digest)
        {
            byte[] id = Ascii.Bytes(configId);
            return Log.Find(id, 0, id.Length, digest);
        }

        // Sends the oldest unsent result and answers it with status.
        public void Send(ReplyStatus status)
        {
            Log.Send();
            Reply(Rig.Device.LastRequestId, status);
        }

        public void Reply(int request, ReplyStatus status) => Log.OnReply(Rig.Device, request, status, 200, 0, new byte[0], 0, 0);

        public bool LastSent(string member) => Rig.LastOn(Event).IndexOf(member) > 0;
    }

    private static byte[] Digest(byte fill)
    {
        byte[] digest = new byte[ConfigOffer.DigestLength];
        for (int i = 0; i < digest.Length; i++)
        {
            digest[i] = fill;
        }

        return digest;
    }

    [TestMethod]
    public void TheNewestResultOfAConfigIsFoundAndItsSequenceIsTheHighestWhicheverSlotHoldsIt()
    {
        var b = new Bench(2, 256);
        b.Add(1, "cfg-x", null, CotaStatus.HttpError);
        b.Send(ReplyStatus.Replied);
        b.Add(2, "cfg-x", null, CotaStatus.Rejected);
        b.Send(ReplyStatus.Replied);

        // Slot 1 holds the newest entry, so offer 3 goes over slot 0: the newest is now in the first slot.
        b.Add(3, "cfg-x", null, CotaStatus.Ok);
        for (int boot = 0; boot < 2; boot++)
        {
            Assert.AreEqual(3u, b.Log.HighestSequence, "a sequence handed out is never handed out again");
            Expect.Status(CotaStatus.Ok, b.Find("cfg-x", null));
            Assert.IsFalse(b.Log.Contains(1));
            b.Boot(2, 256);
        }
    }

    [TestMethod]
    public void AResultIsFoundByItsConfigAndTheOffersDigest()
    {
        var b = new Bench(2, 256);
        b.Add(1, "cfg-x", Digest(0xA1), CotaStatus.HttpError);
        b.Add(2, "cfg-x", Digest(0xB2), CotaStatus.Ok);
        for (int boot = 0; boot < 2; boot++)
        {
            Expect.Status(CotaStatus.HttpError, b.Find("cfg-x", Digest(0xA1)));
            Expect.Status(CotaStatus.Ok, b.Find("cfg-x", Digest(0xB2)));
            Expect.Status(CotaStatus.None, b.Find("cfg-x", Digest(0xC3)), "the same configId with other content is a config not seen");
            Expect.Status(CotaStatus.None, b.Find("cfg-", null), "a configId that is another's prefix is another config");
            b.Boot(2, 256);
        }
    }

    [TestMethod]
    public void ANewResultTakesTheSlotOfItsConfigsSentResultElseTheOldestSentOne()
    {
        var b = new Bench(3, 256);
        string[] ids = { "cfg-a", "cfg-b", "cfg-c" };
        for (int i = 0; i < ids.Length; i++)
        {
            b.Add((uint)i + 1, ids[i], null, CotaStatus.Ok);
            b.Send(ReplyStatus.Replied);
        }

        b.Add(4, "cfg-b", null, CotaStatus.HttpError);
        Expect.Status(CotaStatus.Ok, b.Find("cfg-a", null), "cfg-b's own slot was taken, not the oldest");
        Expect.Status(CotaStatus.HttpError, b.Find("cfg-b", null));
        b.Send(ReplyStatus.Replied);

        b.Add(5, "cfg-d", null, CotaStatus.Ok);
        Expect.Status(CotaStatus.None, b.Find("cfg-a", null), "the oldest sent result gave way");
        Expect.Status(CotaStatus.Ok, b.Find("cfg-c", null));
        Expect.Status(CotaStatus.HttpError, b.Find("cfg-b", null));
    }

    [TestMethod]
    public void AnUnsentResultOfTheSameConfigIsNeverTheOneOverwritten()
    {
        var b = new Bench(4, 256);
        b.Add(1, "cfg-b", null, CotaStatus.Ok);
        b.Send(ReplyStatus.Replied);
        b.Add(2, "cfg-c", null, CotaStatus.Ok);
        b.Send(ReplyStatus.Replied);
        b.Add(3, "cfg-a", null, CotaStatus.HttpError);
        b.Add(4, "cfg-d", null, CotaStatus.HttpError);

        b.Add(5, "cfg-a", null, CotaStatus.Ok);
        Assert.IsTrue(b.Log.Contains(3), "offer 3's result still waits to be sent");
        Assert.IsFalse(b.Log.Contains(1));
        Assert.AreEqual(3, b.Log.Unsent);
    }

    // Every slot waits: the oldest refusal gives way, the log names it, and the reply to it, in flight, marks nothing.
    [TestMethod]
    public void WhenEverySlotWaitsTheOldestRefusalGivesWayAndItsLateReplyMarksNothing()
    {
        var b = new Bench(3, 256);
        b.Add(1, "cfg-1", null, CotaStatus.TooLarge);
        b.Add(2, "cfg-2", null, CotaStatus.TooLarge);
        b.Add(3, "cfg-3", null, CotaStatus.TooLarge);
        b.Log.Send();
        int inFlight = b.Rig.Device.LastRequestId;
        Assert.IsTrue(b.LastSent("\"n\":\"1\""), "the oldest goes first");

        b.Add(4, "cfg-4", null, CotaStatus.Ok);
        Assert.IsFalse(b.Log.Contains(1));
        Assert.IsTrue(b.Log.Contains(2) && b.Log.Contains(3) && b.Log.Contains(4));
        Assert.IsTrue(b.Rig.Log.Contains("result of config cfg-1, offer 1 (a refusal) lost unsent"), b.Rig.Log.ToString());
        b.Reply(inFlight, ReplyStatus.Replied);
        Assert.AreEqual(3, b.Log.Unsent, "offer 4's result was never sent");

        b.Send(ReplyStatus.Replied);
        Assert.IsTrue(b.LastSent("\"n\":\"2\""));
    }

    [TestMethod]
    public void AResultWithoutReplyIsDeliveredOnlyWhileTheCloudHasNeverAnsweredAndTheConnectionHeld()
    {
        var b = new Bench(2, 256);
        b.Add(1, "cfg-1", null, CotaStatus.Ok);
        b.Send(ReplyStatus.Disconnected);
        Assert.AreEqual(1, b.Log.Unsent, "lost with the connection");

        b.Log.OnConnected();
        b.Log.Send();
        b.Log.OnConnected();
        b.Reply(b.Rig.Device.LastRequestId, ReplyStatus.TimedOut);
        Assert.AreEqual(1, b.Log.Unsent, "the connection it went out on did not hold");

        b.Log.OnConnected();
        b.Send(ReplyStatus.TimedOut);
        Assert.AreEqual(0, b.Log.Unsent, "a plain broker has it once the connection held through the wait");
        Assert.IsFalse(b.Log.TakeAnswer());

        for (uint sequence = 2; sequence <= 3; sequence++)
        {
            b.Add(sequence, "cfg-" + sequence.ToString(), null, CotaStatus.Ok);
            b.Send(ReplyStatus.Replied);
            Assert.IsTrue(b.Log.TakeAnswer());
        }

        b.Add(4, "cfg-4", null, CotaStatus.Ok);
        b.Send(ReplyStatus.TimedOut);
        Assert.AreEqual(1, b.Log.Unsent, "a cloud that answers events did not answer this one");
    }

    [TestMethod]
    public void AResultThatWasNotDeliveredWaitsForTheBackoffOrTheNextConnection()
    {
        var b = new Bench(2, 256);
        b.Add(1, "cfg-1", null, CotaStatus.Ok);
        Assert.AreEqual(0L, b.Log.NextSendAt, "it may go now");
        b.Log.Send();
        Assert.AreEqual(-1L, b.Log.NextSendAt, "one in flight at a time");
        b.Reply(b.Rig.Device.LastRequestId, ReplyStatus.Disconnected);

        long next = b.Log.NextSendAt;
        Assert.IsTrue(next >= b.Rig.Clock.MonotonicMs + 500, next.ToString());
        int sent = b.Rig.CountOn(Event);
        b.Rig.Clock.Advance(next - b.Rig.Clock.MonotonicMs - 1);
        b.Log.Send();
        Assert.AreEqual(sent, b.Rig.CountOn(Event), "not before the backoff ends");
        b.Log.OnConnected();
        b.Log.Send();
        Assert.AreEqual(sent + 1, b.Rig.CountOn(Event), "a new connection sends what waits at once");
    }

    [TestMethod]
    public void AnEntryLargerThanTheLogTakesCountsAsAbsent()
    {
        var b = new Bench(2, 512);
        byte[] id = Ascii.Bytes("cfg-1");
        b.Log.Begin().WriteProperty("detail", new string('d', 300));
        Expect.Status(StorageStatus.Ok, b.Log.Add(1, id, id.Length, null, CotaStatus.Ok));

        b.Boot(2, 256);
        Assert.AreEqual(0, b.Log.Unsent);
        Expect.Status(CotaStatus.None, b.Find("cfg-1", null));
    }

    [TestMethod]
    public void SlotsOfANewerFirmwareAreNeitherReadNorOverwritten()
    {
        const string Later = "CRS2 a later release's result";
        var b = new Bench(2, 256);
        b.Flash.Put("cota.r0", Later);
        b.Flash.Put("cota.r1", Later);
        b.Boot(2, 256);
        Assert.AreEqual(2, b.Log.Newer);
        byte[] id = Ascii.Bytes("cfg-1");
        b.Log.Begin();
        Expect.Status(StorageStatus.NewerRecord, b.Log.Add(1, id, id.Length, null, CotaStatus.Ok));
        Assert.AreEqual(Later.Length, b.Flash.Length("cota.r0"));
        Assert.AreEqual(Later.Length, b.Flash.Length("cota.r1"));
    }
}
