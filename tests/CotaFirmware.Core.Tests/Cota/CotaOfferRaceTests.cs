using CotaFirmware.Cota;

namespace CotaFirmware.Tests.Cota;

/// <summary>Offers the cloud and the network drive into one another: bursts, a busy result log, a config id reused with new content.</summary>
[TestClass]
public class CotaOfferRaceTests
{
    private const string ResultTopic = "thing/event/ConfigResult/post";

    // A config republished under the configId in force but with other content (another sign) is a different file:
    // acking it 200 and doing nothing leaves the device on the old content while the cloud counts it as delivered.
    [TestMethod]
    public void AnOfferOfTheActiveConfigIdWithAnotherSignIsTakenOrAnswered()
    {
        byte[] first = CotaRig.Config(1, 3000);
        byte[] changed = CotaRig.Config(2, 3000);
        CotaRig rig = CotaRig.Connected(first);
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", first)));
        rig.ApplyAndConfirm();
        Assert.AreEqual(1, rig.A.Value);
        int results = rig.ResultCount;

        rig.Http.File = changed;
        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-1", changed)));
        bool acked = rig.Service.LastAckCode == 200;
        for (int i = 0; i < 200 && !rig.Service.IsOnTrial && !rig.Service.IsBusy; i++)
        {
            rig.Loop();
        }

        rig.Run();
        Assert.IsTrue(!acked || rig.A.Value == 2 || rig.ResultCount > results,
            "cfg-1 with a new sign was acked 200, never downloaded and never answered with a result: the device still runs value "
            + rig.A.Value.ToString());
    }

    // Every push acked 200 is an accepted offer and owes the cloud one result. Six different configs arriving in one read
    // (the broker delivering what queued up) supersede one another before a single result could be sent.
    [TestMethod]
    public void EveryOfferOfABurstGetsItsResultAtTheCloud()
    {
        byte[] file = CotaRig.Config(1, 1000);
        CotaRig rig = CotaRig.Connected(file);
        for (int i = 1; i <= 6; i++)
        {
            rig.Session.Enqueue(CotaRig.Prefix + "thing/config/push",
                CotaRig.PushOf(i.ToString(), CotaRig.Fields("cfg-" + i.ToString(), file)));
        }

        rig.Device.Yield(0);
        Assert.AreEqual(6, rig.CountOn("thing/config/push_reply"));
        Assert.AreEqual(200, rig.Service.LastAckCode);
        rig.Run();

        for (int seq = 1; seq <= 6; seq++)
        {
            Assert.IsTrue(ResultWithSeq(rig, seq), "offer " + seq.ToString() + " was acked 200 but its result never reached the cloud");
        }
    }

    // While an ended offer's result cannot reach flash, a new push is not taken: acking it 200 tells the cloud the device
    // has it. On a broker that answers no get (the docs' plain broker), nothing ever offers it again.
    [TestMethod]
    public void APushNotTakenWhileAResultIsOwedIsNotAcked200()
    {
        byte[] file = CotaRig.Config(1, 1000);
        CotaRig rig = new CotaRig(file);
        FaultyStorage flash = new FaultyStorage(rig.Storage, 0, -1);
        rig.Flash = flash;
        rig.Build(true);
        rig.Http.Otherwise = ScriptedResponse.WithStatus(404);
        rig.Push(CotaRig.PushOf("\"1\"", CotaRig.Fields("cfg-1", file)));
        Assert.AreEqual(200, rig.Service.LastAckCode);

        // Flash dies as the download ends: the result of cfg-1 is owed.
        flash.CutAt = flash.Mutations + 1;
        for (int i = 0; i < 100 && rig.Service.IsBusy; i++)
        {
            rig.Loop();
        }

        Assert.IsFalse(rig.Service.IsBusy);
        Assert.AreEqual(1, rig.Service.PendingResults, "the result of cfg-1 is owed");

        rig.Push(CotaRig.PushOf("\"2\"", CotaRig.Fields("cfg-2", file)));
        Assert.IsFalse(rig.Service.IsBusy, "cfg-2 was not taken");
        Assert.AreNotEqual(200, rig.Service.LastAckCode, "cfg-2 was refused, yet its push_reply says 200: " + rig.LastAck);
    }

    // True when a result event with this seq reached the cloud in any boot.
    private static bool ResultWithSeq(CotaRig rig, int seq)
    {
        string key = ",\"seq\":" + seq.ToString() + "}";
        for (int s = 0; s < rig.Sessions.Count; s++)
        {
            ScriptedMqttSession session = (ScriptedMqttSession)rig.Sessions[s];
            for (int i = 0; i < session.PublishedTopics.Count; i++)
            {
                if ((string)session.PublishedTopics[i] == CotaRig.Prefix + ResultTopic
                    && ((string)session.PublishedPayloads[i]).IndexOf(key) >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
