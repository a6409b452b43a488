using CotaFirmware.Linkkit;
using CotaFirmware.Tests.Platform;

namespace CotaFirmware.Tests.Cota;

/// <summary>Today's firmware boots on every golden flash image of an earlier format and loses nothing the device kept.</summary>
[TestClass]
public class FlashImageBootTests
{
    [TestMethod]
    public void ADownloadImageKeepsItsConfigResumesItsOfferAndSendsItsUnsentResult()
    {
        byte[] file3 = CotaRig.Config(3, 1200);
        CotaRig rig = new CotaRig(file3);
        FlashImages.Load(FlashImages.Downloading, rig.Storage);
        rig.Http.ReadChunk = 300;
        rig.Build(false);
        Assert.AreEqual("cfg-1", rig.ActiveId());
        Assert.AreEqual(1, rig.A.Value);
        Assert.AreEqual(1, rig.Service.PendingResults, "the result of cfg-2 waits");

        rig.Device.Connect();
        rig.Loop(100);
        Assert.AreEqual(512L, rig.Http.OffsetOf(0), "the download of cfg-3 resumed where it stood");
        rig.Run();
        Assert.AreEqual("cfg-3", rig.ActiveId());
        Assert.AreEqual(3, rig.A.Value);
        Assert.AreEqual(2, rig.ResultCount);
        string first = (string)rig.Session.PublishedPayloads[IndexOfFirstResult(rig)];
        Assert.IsTrue(first.IndexOf("{\"configId\":\"cfg-2\",\"status\":\"failed\",\"reason\":\"SizeMismatch\"") > 0, first);
        Assert.AreEqual("{\"configId\":\"cfg-3\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
        AssertIdentityIntact(rig.Storage);
    }

    [TestMethod]
    public void ATrialImageBootsIntoItsTrialConfirmsItAndReportsIt()
    {
        byte[] file = Ascii.Bytes("{\"a\":{\"v\":4},\"w\":{\"v\":5}}");
        CotaRig rig = new CotaRig(file);
        FlashImages.Load(FlashImages.RebootingIntoTrial, rig.Storage);
        rig.Build(true);
        Assert.AreEqual("cfg-w", rig.ActiveId());
        Assert.AreEqual(5, rig.W.Value);
        rig.Run();
        Assert.IsFalse(rig.Store.IsOnTrial);
        Assert.AreEqual("cfg-w", rig.ActiveId());
        Assert.AreEqual("{\"configId\":\"cfg-w\",\"status\":\"applied\",\"errors\":[]}", rig.LastResultParams);
        Assert.AreEqual(0, rig.Http.RequestCount, "nothing downloaded again");
        AssertIdentityIntact(rig.Storage);
    }

    // The stored secret is reused: no registration request goes out.
    private static void AssertIdentityIntact(MemoryStorage storage)
    {
        var http = new ScriptedHttpClient(new byte[0]) { Otherwise = ScriptedResponse.WithStatus((int)HttpStatus.Unreachable) };
        var identity = new DeviceIdentity("pk1", "dn1", null, "prodSecretQ7");
        RegistrationResult r = new DeviceRegistration(http, storage, new RecordingMac(), new Random(1), new RecordingLog(), new ManualClock()).Obtain(identity, new LinkkitSettings());
        Expect.Status(RegistrationResult.Reused, r);
        Assert.AreEqual(FlashImages.Secret, identity.DeviceSecret);
        Assert.AreEqual(0, http.RequestCount);
    }

    private static int IndexOfFirstResult(CotaRig rig)
    {
        for (int i = 0; i < rig.Session.PublishedTopics.Count; i++)
        {
            if ((string)rig.Session.PublishedTopics[i] == CotaRig.Prefix + "thing/event/ConfigResult/post")
            {
                return i;
            }
        }

        return -1;
    }
}
