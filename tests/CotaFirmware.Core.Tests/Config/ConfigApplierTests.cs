#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using CotaFirmware.Config;
using CotaFirmware.Json;

namespace CotaFirmware.Tests.Config;

[TestClass]
public class ConfigApplierTests
{
    [TestMethod]
    public void BootWithNoConfigGivesEveryModuleItsDefaultsAndStartsRestartModules()
    {
        ApplierFixture device = new ApplierFixture();
        Assert.AreEqual("a defaults; b defaults; w defaults; b start", device.Calls());
        Assert.AreEqual(0, device.Sink.Reports.Count);
    }

    [TestMethod]
    public void AcceptedConfigIsValidatedCommittedOnTrialAndAppliedInRegistrationOrder()
    {
        ApplierFixture device = new ApplierFixture();
        Assert.IsTrue(device.Offer("c1", "{\"b\":{\"v\":2},\"a\":{\"v\":1}}", 0));
        Assert.AreEqual("a validate; b validate; a apply=1; b stop; b apply=2; b start", device.Calls());
        Assert.IsTrue(device.Store.IsOnTrial);
        Assert.AreEqual("c1", device.ActiveId());
        Assert.AreEqual(0, device.Sink.Reports.Count, "applied is reported once confirmed");
        Assert.AreEqual(0, device.Reboot.Count);
    }

    [TestMethod]
    public void UnchangedSectionsAreNeitherValidatedNorApplied()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1},\"b\":{\"v\":2}}");
        Assert.IsTrue(device.Offer("c2", "{\"a\":{\"v\":1},\"b\":{\"v\":5}}", 0));
        Assert.AreEqual("b validate; b stop; b apply=5; b start", device.Calls());

        // A section that disappears is a change too: the module takes its defaults.
        device.Applier.CloudConfirmed();
        Assert.IsTrue(device.Offer("c3", "{\"b\":{\"v\":5}}", 0));
        Assert.AreEqual("a defaults", device.Calls());
    }

    [TestMethod]
    public void UnchangedSectionsAreKnownAfterAReboot()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1},\"b\":{\"v\":2}}");
        device.PowerOn(0);
        Assert.IsTrue(device.Offer("c2", "{\"a\":{\"v\":3},\"b\":{\"v\":2}}", 0));
        Assert.AreEqual("a validate; a apply=3", device.Calls());
    }

    [TestMethod]
    public void OneRejectionRejectsTheWholeConfigWithPerModuleErrorsAndAppliesNothing()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1}}");
        device.A.RejectCode = (int)ConfigErrorCode.ValueOutOfRange;
        device.B.RejectCode = (int)ConfigErrorCode.StringTooLong;
        device.B.RejectKey = "name";
        Assert.IsFalse(device.Offer("c2", "{\"a\":{\"v\":7},\"b\":{\"v\":1},\"zzz\":1}", 0));
        Assert.AreEqual("a validate; b validate", device.Calls());
        Assert.AreEqual(
            "{\"configId\":\"c2\",\"status\":\"rejected\",\"errors\":[{\"module\":\"\",\"key\":\"zzz\",\"code\":\"key_not_recognized\"},"
            + "{\"module\":\"a\",\"key\":\"v\",\"code\":\"out_of_range\"},{\"module\":\"b\",\"key\":\"name\",\"code\":\"too_long\"}]}",
            device.Sink.Last);
        Assert.AreEqual("c1", device.ActiveId());
        Assert.AreEqual(1, device.A.Value);
        Assert.IsFalse(device.Store.IsOnTrial);
        Assert.AreEqual(ConfigSlot.None, device.Store.CandidateSlot);

        // The store takes the next config.
        device.A.RejectCode = -1;
        device.B.RejectCode = -1;
        Assert.IsTrue(device.Offer("c3", "{\"a\":{\"v\":8}}", 0));
        Assert.AreEqual(8, device.A.Value);
    }

    [TestMethod]
    public void EveryErrorCodeHasItsWireName()
    {
        ApplierFixture device = new ApplierFixture();
        string[] names = new string[] { "key_not_recognized", "format_not_valid", "out_of_range", "too_long", "general_error" };
        for (int code = 0; code < names.Length; code++)
        {
            device.A.RejectCode = code;
            Assert.IsFalse(device.Offer("r" + code.ToString(), "{\"a\":{\"v\":1}}", 0));
            ConfigResult result = device.Applier.LastResult;
            Assert.AreEqual(1, result.ErrorCount);
            Assert.AreEqual(code, (int)result.ErrorCode(0));
            Assert.AreEqual("a", result.ErrorModule(0));
            Assert.AreEqual("v", result.ErrorKey(0));
            Assert.AreEqual(
                "{\"configId\":\"r" + code.ToString() + "\",\"status\":\"rejected\",\"errors\":[{\"module\":\"a\",\"key\":\"v\",\"code\":\"" + names[code] + "\"}]}",
                device.Sink.Last);
        }

        Assert.AreEqual(ConfigSlot.None, device.Store.ActiveSlot);
    }

    [TestMethod]
    public void UnknownTopLevelKeysAreErrorsAndTooManyAreCounted()
    {
        ApplierFixture device = new ApplierFixture();
        Assert.IsFalse(device.Offer("u", "{\"k1\":1,\"k2\":[1,{}],\"a\":{},\"z\\\"q\":{\"x\":1},\"k4\":null,\"k5\":true}", 0));
        ConfigResult result = device.Applier.LastResult;
        Assert.AreEqual(4, result.ErrorCount);
        Assert.AreEqual(1, result.DroppedErrors);
        Assert.AreEqual("z\"q", result.ErrorKey(2));
        Assert.AreEqual(
            "{\"configId\":\"u\",\"status\":\"rejected\",\"errors\":[{\"module\":\"\",\"key\":\"k1\",\"code\":\"key_not_recognized\"},"
            + "{\"module\":\"\",\"key\":\"k2\",\"code\":\"key_not_recognized\"},{\"module\":\"\",\"key\":\"z\\\"q\",\"code\":\"key_not_recognized\"},"
            + "{\"module\":\"\",\"key\":\"k4\",\"code\":\"key_not_recognized\"}],\"errorsDropped\":1}",
            device.Sink.Last);
    }

    [TestMethod]
    public void BrokenJsonIsRejectedWithTheErrorAndItsByteOffset()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1}}");
        Assert.IsFalse(device.Offer("bad", "{\"a\":{\"v\":2} \"b\":{}}", 0));
        Assert.AreEqual("", device.Calls());
        ConfigResult result = device.Applier.LastResult;
        Assert.AreEqual((int)JsonError.UnexpectedCharacter, (int)result.JsonError);
        Assert.AreEqual(13, result.JsonErrorOffset);
        Assert.AreEqual(
            "{\"configId\":\"bad\",\"status\":\"rejected\",\"errors\":[{\"module\":\"\",\"key\":\"\",\"code\":\"general_error\"}],"
            + "\"jsonError\":\"unexpected_character\",\"jsonErrorOffset\":13}",
            device.Sink.Last);

        Assert.IsFalse(device.Offer("cut", "{\"a\":{\"v\":2},", 0));
        Assert.AreEqual((int)JsonError.UnexpectedEnd, (int)device.Applier.LastResult.JsonError);
        Assert.IsFalse(device.Offer("tail", "{\"a\":{\"v\":2}} x", 0));
        Assert.AreEqual((int)JsonError.TrailingData, (int)device.Applier.LastResult.JsonError);
        Assert.AreEqual(14, device.Applier.LastResult.JsonErrorOffset);
        Assert.IsFalse(device.Offer("array", "[1]", 0));
        Assert.AreEqual((int)ConfigErrorCode.ValueFormatNotValid, (int)device.Applier.LastResult.ErrorCode(0));
        Assert.AreEqual("c1", device.ActiveId());
        Assert.AreEqual(1, device.A.Value);
    }

    [TestMethod]
    public void ConfirmedConfigIsReportedAppliedAndBecomesLastKnownGood()
    {
        ApplierFixture device = new ApplierFixture();
        Assert.IsTrue(device.Offer("c1", "{\"a\":{\"v\":1}}", 0));
        Assert.IsTrue(device.Applier.CloudConfirmed());
        Assert.AreEqual("{\"configId\":\"c1\",\"status\":\"applied\",\"errors\":[]}", device.Sink.Last);
        Assert.IsFalse(device.Store.IsOnTrial);
        Assert.AreEqual(device.Store.ActiveSlot, device.Store.LastGoodSlot);
        Assert.IsFalse(device.Applier.CloudConfirmed(), "nothing left to confirm");
        device.Applier.Step(ApplierFixture.Deadline * 10);
        Assert.AreEqual("c1", device.ActiveId());
        Assert.AreEqual(1, device.Sink.Reports.Count);
    }

    [TestMethod]
    public void TrialPastItsDeadlineIsRolledBackReappliedAndReported()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1},\"b\":{\"v\":2}}");
        Assert.IsTrue(device.Offer("c2", "{\"a\":{\"v\":5},\"b\":{\"v\":6}}", 1000));
        device.Journal.Clear();
        device.Applier.Step(1000 + ApplierFixture.Deadline - 1);
        Assert.IsTrue(device.Store.IsOnTrial);
        Assert.AreEqual("", device.Calls());

        device.Applier.Step(1000 + ApplierFixture.Deadline);
        Assert.IsFalse(device.Store.IsOnTrial);
        Assert.AreEqual("a apply=1; b stop; b apply=2; b start", device.Calls());
        Assert.AreEqual("{\"configId\":\"c2\",\"status\":\"rolled_back\",\"errors\":[]}", device.Sink.Last);
        Assert.AreEqual("c1", device.ActiveId());
        Assert.AreEqual(0, device.Reboot.Count);

        // The rejected config never comes back, and the next one is taken.
        device.PowerOn(0);
        Assert.AreEqual("c1", device.ActiveId());
        Assert.AreEqual(1, device.A.Value);
        Assert.IsTrue(device.Offer("c3", "{\"a\":{\"v\":9},\"b\":{\"v\":2}}", 0));
        Assert.AreEqual("a validate; a apply=9", device.Calls());
    }

    [TestMethod]
    public void RebootModuleChangePersistsPendingRebootsAndTheBootApplies()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1}}");
        Assert.IsTrue(device.Offer("c2", "{\"a\":{\"v\":2},\"w\":{\"v\":3}}", 0));
        Assert.AreEqual("a validate; w validate", device.Calls());
        Assert.AreEqual(1, device.Reboot.Count);
        Assert.IsTrue(device.Applier.RebootRequested);
        Assert.IsFalse(device.Applier.CloudConfirmed(), "nothing happens between the reboot request and the reboot");

        device.Journal.Clear();
        device.PowerOn(500);
        Assert.IsTrue(device.Store.RebootWasPending);
        Assert.IsTrue(device.Store.IsOnTrial);
        Assert.AreEqual("a apply=2; b defaults; w apply=3; b start", device.Calls());
        Assert.AreEqual(500 + ApplierFixture.Deadline, device.Applier.TrialDeadline);
        Assert.IsTrue(device.Applier.CloudConfirmed());
        Assert.AreEqual("{\"configId\":\"c2\",\"status\":\"applied\",\"errors\":[]}", device.Sink.Last);
    }

    [TestMethod]
    public void RollbackOfARebootModuleRebootsIntoTheOldConfig()
    {
        ApplierFixture device = new ApplierFixture();
        Assert.IsTrue(device.Offer("c1", "{\"w\":{\"v\":1}}", 0));
        device.PowerOn(0);
        Assert.IsTrue(device.Applier.CloudConfirmed());
        Assert.IsTrue(device.Offer("c2", "{\"w\":{\"v\":2}}", 0));
        device.PowerOn(0);
        Assert.AreEqual(2, device.W.Value);
        Assert.AreEqual(2, device.Reboot.Count);

        device.Applier.Step(ApplierFixture.Deadline);
        Assert.AreEqual(3, device.Reboot.Count);
        Assert.AreEqual("{\"configId\":\"c2\",\"status\":\"rolled_back\",\"errors\":[]}", device.Sink.Last);
        int reports = device.Sink.Reports.Count;
        device.PowerOn(0);
        Assert.AreEqual(1, device.W.Value);
        Assert.AreEqual("c1", device.ActiveId());
        Assert.IsFalse(device.Store.IsOnTrial);
        Assert.AreEqual(reports, device.Sink.Reports.Count);
    }

    [TestMethod]
    public void BootLoopGuardRollsBackThroughBootAndReportsIt()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1}}");
        Assert.IsTrue(device.Offer("c2", "{\"a\":{\"v\":2},\"w\":{\"v\":3}}", 0));
        for (int boot = 1; boot <= ApplierFixture.TrialBoots; boot++)
        {
            device.PowerOn(0);
            Assert.IsTrue(device.Store.IsOnTrial);
            Assert.AreEqual(3, device.W.Value);
        }

        int reports = device.Sink.Reports.Count;
        device.PowerOn(0);
        Assert.AreEqual((int)ConfigBootOutcome.RolledBack, (int)device.Store.BootOutcome);
        Assert.AreEqual(reports + 1, device.Sink.Reports.Count);
        Assert.AreEqual("{\"configId\":\"c2\",\"status\":\"rolled_back\",\"errors\":[]}", device.Sink.Last);
        Assert.AreEqual("c1", device.ActiveId());
        Assert.AreEqual(1, device.A.Value);
        Assert.AreEqual(-1, device.W.Value);
    }

    [TestMethod]
    public void ResultIsPostedAsALinkkitEvent()
    {
        ApplierFixture device = new ApplierFixture();
        device.B.RejectCode = (int)ConfigErrorCode.StringTooLong;
        device.B.RejectKey = "name";
        Assert.IsFalse(device.Offer("c9", "{\"b\":{\"v\":1}}", 0));

        Linkkit.TestDevice cloud = new Linkkit.TestDevice(null);
        int topic = cloud.Device.DefineEvent(ConfigResult.DefaultEventIdentifier);
        cloud.Device.Connect();
        Assert.AreEqual(1, cloud.Device.TriggerEvent(topic, device.Applier.LastResult, null));
        Assert.AreEqual("/sys/pk1/dn1/thing/event/ConfigResult/post", cloud.Session.LastTopic);
        Assert.AreEqual(
            "{\"id\":\"1\",\"version\":\"1.0\",\"params\":{\"configId\":\"c9\",\"status\":\"rejected\",\"errors\":[{\"module\":\"b\",\"key\":\"name\",\"code\":\"too_long\"}]},"
            + "\"method\":\"thing.event.ConfigResult.post\"}",
            cloud.Session.LastPayload);
    }

    [TestMethod]
    public void ApplyCandidateWithoutASealedCandidateDoesNothing()
    {
        ApplierFixture device = new ApplierFixture();
        device.Journal.Clear();
        Assert.IsFalse(device.Applier.ApplyCandidate(0));
        Assert.AreEqual("", device.Calls());
        Assert.AreEqual(0, device.Sink.Reports.Count);
    }

    [TestMethod]
    public void RegistryRefusesDuplicateAndOverlongNames()
    {
        System.Collections.ArrayList journal = new System.Collections.ArrayList();
        ModuleRegistry registry = new ModuleRegistry(2);
        Assert.AreEqual(0, registry.Register(new FakeModule("a", ConfigApplyPolicy.Live, journal)));
        Expect.Throws(typeof(System.ArgumentException), () => registry.Register(new FakeModule("a", ConfigApplyPolicy.Live, journal)));
        Expect.Throws(typeof(System.ArgumentException), () => registry.Register(new FakeModule("0123456789012345678901234567890123", ConfigApplyPolicy.Live, journal)));
        Assert.AreEqual(1, registry.Register(new FakeModule("b", ConfigApplyPolicy.Live, journal)));
        Expect.Throws(typeof(System.ArgumentException), () => registry.Register(new FakeModule("c", ConfigApplyPolicy.Live, journal)));
    }
}
