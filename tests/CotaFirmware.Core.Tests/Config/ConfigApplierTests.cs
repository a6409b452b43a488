using CotaFirmware.Config;
using CotaFirmware.Crypto;
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
        Expect.Status(ConfigStatus.Ok, device.BootStatus);
    }

    [TestMethod]
    public void AcceptedConfigIsValidatedCommittedOnTrialAndAppliedInRegistrationOrder()
    {
        ApplierFixture device = new ApplierFixture();
        Expect.Status(ConfigStatus.Ok, device.Offer("c1", "{\"b\":{\"v\":2},\"a\":{\"v\":1}}"));
        Assert.AreEqual("a validate; b validate; a apply=1; b stop; b apply=2; b start", device.Calls());
        Assert.IsTrue(device.Store.IsOnTrial);
        Assert.IsTrue(device.Applier.IsOnTrial, "it stays on trial until the COTA layer confirms it");
        Assert.AreEqual("c1", device.ActiveId());
        Assert.IsFalse(device.Applier.RebootRequested);
    }

    [TestMethod]
    public void UnchangedSectionsAreNeitherValidatedNorApplied()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1},\"b\":{\"v\":2}}");
        Expect.Status(ConfigStatus.Ok, device.Offer("c2", "{\"a\":{\"v\":1},\"b\":{\"v\":5}}"));
        Assert.AreEqual("b validate; b stop; b apply=5; b start", device.Calls());

        // A section that disappears is a change too: the module takes its defaults.
        device.Applier.Confirm();
        Expect.Status(ConfigStatus.Ok, device.Offer("c3", "{\"b\":{\"v\":5}}"));
        Assert.AreEqual("a defaults", device.Calls());
    }

    [TestMethod]
    public void UnchangedSectionsAreKnownAfterAReboot()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1},\"b\":{\"v\":2}}");
        device.PowerOn();
        Expect.Status(ConfigStatus.Ok, device.Offer("c2", "{\"a\":{\"v\":3},\"b\":{\"v\":2}}"));
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
        Expect.Status(ConfigStatus.Rejected, device.Offer("c2", "{\"a\":{\"v\":7},\"b\":{\"v\":1},\"zzz\":1}"));
        Assert.AreEqual("a validate; b validate", device.Calls());
        Assert.AreEqual(
            "{\"errors\":[{\"module\":\"\",\"key\":\"zzz\",\"code\":\"key_not_recognized\"},"
            + "{\"module\":\"a\",\"key\":\"v\",\"code\":\"out_of_range\"},{\"module\":\"b\",\"key\":\"name\",\"code\":\"too_long\"}]}",
            ApplierFixture.Json(device.Applier.Errors));
        Assert.AreEqual("c1", device.ActiveId());
        Assert.AreEqual(1, device.A.Value);
        Assert.IsFalse(device.Store.IsOnTrial);
        Assert.AreEqual(ConfigSlot.None, device.Store.CandidateSlot);

        // The store takes the next config.
        device.A.RejectCode = -1;
        device.B.RejectCode = -1;
        Expect.Status(ConfigStatus.Ok, device.Offer("c3", "{\"a\":{\"v\":8}}"));
        Assert.AreEqual(8, device.A.Value);
    }

    [TestMethod]
    public void EveryErrorCodeHasItsWireName()
    {
        ApplierFixture device = new ApplierFixture();
        string[] names = new string[] { "key_not_recognized", "format_not_valid", "out_of_range", "too_long", "general_error", "duplicate_key" };
        for (int code = 0; code < names.Length; code++)
        {
            device.A.RejectCode = code;
            Expect.Status(ConfigStatus.Rejected, device.Offer("r" + code.ToString(), "{\"a\":{\"v\":1}}"));
            ConfigErrors result = device.Applier.Errors;
            Assert.AreEqual(1, result.ErrorCount);
            Assert.AreEqual(code, (int)result.ErrorCode(0));
            Assert.AreEqual("a", result.ErrorModule(0));
            Assert.AreEqual("v", result.ErrorKey(0));
            Assert.AreEqual(
                "{\"errors\":[{\"module\":\"a\",\"key\":\"v\",\"code\":\"" + names[code] + "\"}]}",
                ApplierFixture.Json(result));
        }

        Assert.AreEqual(ConfigSlot.None, device.Store.ActiveSlot);
    }

    [TestMethod]
    public void UnknownTopLevelKeysAreErrorsAndTooManyAreCounted()
    {
        ApplierFixture device = new ApplierFixture();
        Expect.Status(ConfigStatus.Rejected, device.Offer("u", "{\"k1\":1,\"k2\":[1,{}],\"a\":{},\"z\\\"q\":{\"x\":1},\"k4\":null,\"k5\":true}"));
        ConfigErrors result = device.Applier.Errors;
        Assert.AreEqual(4, result.ErrorCount);
        Assert.AreEqual(1, result.DroppedErrors);
        Assert.AreEqual("z\"q", result.ErrorKey(2));
        Assert.AreEqual(
            "{\"errors\":[{\"module\":\"\",\"key\":\"k1\",\"code\":\"key_not_recognized\"},"
            + "{\"module\":\"\",\"key\":\"k2\",\"code\":\"key_not_recognized\"},{\"module\":\"\",\"key\":\"z\\\"q\",\"code\":\"key_not_recognized\"},"
            + "{\"module\":\"\",\"key\":\"k4\",\"code\":\"key_not_recognized\"}],\"errorsDropped\":1}",
            ApplierFixture.Json(result));
    }

    [TestMethod]
    public void ARepeatedTopLevelKeyIsADuplicateKey()
    {
        ApplierFixture device = new ApplierFixture();
        Expect.Status(ConfigStatus.Rejected, device.Offer("d", "{\"a\":{\"v\":1},\"a\":{\"v\":2}}"));
        ConfigErrors result = device.Applier.Errors;
        Assert.AreEqual(1, result.ErrorCount);
        Expect.Status(ConfigErrorCode.DuplicateKey, result.ErrorCode(0));
        Assert.AreEqual("a", result.ErrorPath(0));
        Assert.AreEqual("{\"errors\":[{\"module\":\"\",\"key\":\"a\",\"code\":\"duplicate_key\"}]}", ApplierFixture.Json(result));
        Assert.AreEqual(ConfigSlot.None, device.Store.ActiveSlot);
    }

    [TestMethod]
    public void BrokenJsonIsRejectedWithTheErrorAndItsByteOffset()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1}}");
        Expect.Status(ConfigStatus.Rejected, device.Offer("bad", "{\"a\":{\"v\":2} \"b\":{}}"));
        Assert.AreEqual("", device.Calls());
        ConfigErrors result = device.Applier.Errors;
        Expect.Status(JsonError.UnexpectedCharacter, result.JsonError);
        Assert.AreEqual(13, result.JsonErrorOffset);
        Assert.AreEqual(
            "{\"errors\":[{\"module\":\"\",\"key\":\"\",\"code\":\"general_error\"}],"
            + "\"jsonError\":\"unexpected_character\",\"jsonErrorOffset\":13}",
            ApplierFixture.Json(result));

        Expect.Status(ConfigStatus.Rejected, device.Offer("cut", "{\"a\":{\"v\":2},"));
        Expect.Status(JsonError.UnexpectedEnd, device.Applier.Errors.JsonError);
        Expect.Status(ConfigStatus.Rejected, device.Offer("tail", "{\"a\":{\"v\":2}} x"));
        Expect.Status(JsonError.TrailingData, device.Applier.Errors.JsonError);
        Assert.AreEqual(14, device.Applier.Errors.JsonErrorOffset);
        Expect.Status(ConfigStatus.Rejected, device.Offer("array", "[1]"));
        Expect.Status(ConfigErrorCode.ValueFormatNotValid, device.Applier.Errors.ErrorCode(0));
        Assert.AreEqual("c1", device.ActiveId());
        Assert.AreEqual(1, device.A.Value);
    }

    [TestMethod]
    public void ConfirmedConfigBecomesLastKnownGood()
    {
        ApplierFixture device = new ApplierFixture();
        Expect.Status(ConfigStatus.Ok, device.Offer("c1", "{\"a\":{\"v\":1}}"));
        Expect.Status(ConfigStatus.Ok, device.Applier.Confirm());
        Assert.IsFalse(device.Store.IsOnTrial);
        Assert.AreEqual(device.Store.ActiveSlot, device.Store.LastGoodSlot);
        Expect.Status(ConfigStatus.NotOnTrial, device.Applier.Confirm(), "nothing left to confirm");
        Expect.Status(ConfigStatus.NotOnTrial, device.Applier.RollBack(), "nothing left to roll back");
        Assert.AreEqual("c1", device.ActiveId());
    }

    [TestMethod]
    public void RollBackReappliesTheLastGoodConfig()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1},\"b\":{\"v\":2}}");
        Expect.Status(ConfigStatus.Ok, device.Offer("c2", "{\"a\":{\"v\":5},\"b\":{\"v\":6}}"));
        device.Journal.Clear();

        Expect.Status(ConfigStatus.Ok, device.Applier.RollBack());
        Assert.IsFalse(device.Store.IsOnTrial);
        Assert.AreEqual("a apply=1; b stop; b apply=2; b start", device.Calls());
        Assert.AreEqual("c1", device.ActiveId());
        Assert.IsFalse(device.Applier.RebootRequested);
        Assert.IsTrue(device.Store.RejectedConfigIdEquals(ConfigFixture.Ascii("c2"), 0, 2));

        // The rejected config never comes back, and the next one is taken.
        device.PowerOn();
        Assert.AreEqual("c1", device.ActiveId());
        Assert.AreEqual(1, device.A.Value);
        Assert.IsTrue(device.Store.RejectedConfigIdEquals(ConfigFixture.Ascii("c2"), 0, 2), "the store still names what it rejected");
        Expect.Status(ConfigStatus.Ok, device.Offer("c3", "{\"a\":{\"v\":9},\"b\":{\"v\":2}}"));
        Assert.AreEqual("a validate; a apply=9", device.Calls());
    }

    [TestMethod]
    public void AModuleThatThrowsIsNamedAndItsConfigCanBeRolledBack()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1},\"b\":{\"v\":2}}");
        device.B.FailOn = 6;
        Expect.Status(ConfigStatus.ModuleFailed, device.Offer("c2", "{\"a\":{\"v\":5},\"b\":{\"v\":6}}"));
        Assert.AreEqual("{\"errors\":[{\"module\":\"b\",\"key\":\"\",\"code\":\"general_error\"}]}", ApplierFixture.Json(device.Applier.Errors));
        Assert.IsTrue(device.Store.IsOnTrial, "committed: the caller decides");
        device.Journal.Clear();
        Expect.Status(ConfigStatus.Ok, device.Applier.RollBack());
        Assert.AreEqual("a apply=1; b stop; b apply=2; b start", device.Calls());
        Assert.AreEqual("c1", device.ActiveId());
    }

    [TestMethod]
    public void AReadErrorWhileAModuleTakesItsSectionFailsTheModuleInsteadOfLeavingItsDefaults()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1}}");
        device.A.ReadFailsOnApply = device.Storage;

        // The section outgrows the 32-byte window, so its value is read from flash during Apply.
        Expect.Status(ConfigStatus.ModuleFailed, device.Offer("c2", "{\"a\":{\"p1\":\"0123456789\",\"p2\":\"0123456789\",\"v\":5}}"));
        Assert.AreEqual("{\"errors\":[{\"module\":\"a\",\"key\":\"\",\"code\":\"general_error\"}]}", ApplierFixture.Json(device.Applier.Errors));
        Assert.IsTrue(device.Store.IsOnTrial, "committed: the caller rolls it back");

        device.A.ReadFailsOnApply = null;
        device.Storage.UnreadableArea = null;
        Expect.Status(ConfigStatus.Ok, device.Applier.RollBack());
        Assert.AreEqual(1, device.A.Value);
        Assert.AreEqual("c1", device.ActiveId());
    }

    [TestMethod]
    public void AReadErrorWhileAConfigIsValidatedIsAStorageFailureNotARefusal()
    {
        ApplierFixture device = new ApplierFixture();
        for (int stage = 0; stage < 2; stage++)
        {
            // Reads fail from the scan (stage 0), or once a module validates its section, past the first window (stage 1).
            Assert.IsTrue(ConfigFixture.Stage(device.Store, "c1", ConfigFixture.Ascii("{\"a\":{\"p1\":\"0123456789\",\"p2\":\"0123456789\",\"v\":5}}"), 5) == ConfigStatus.Ok);
            device.A.RejectCode = stage == 1 ? (int)ConfigErrorCode.ValueOutOfRange : -1;
            device.Storage.UnreadableArea = stage == 0 ? "cfg-" : null;
            device.A.ReadFailsOnValidate = stage == 1 ? device.Storage : null;
            Expect.Status(ConfigStatus.StorageFailed, device.Applier.ApplyCandidate());
            Assert.AreEqual(0, device.Applier.Errors.ErrorCount, "nothing was judged: no errors to report");
            Expect.Status(StorageStatus.Failed, device.Store.LastStorageError);
            Assert.IsFalse(device.Store.IsOnTrial);
            device.Storage.UnreadableArea = null;
        }

        // The flash reads again: the same config is taken.
        device.A.RejectCode = -1;
        device.A.ReadFailsOnValidate = null;
        Expect.Status(ConfigStatus.Ok, device.Offer("c1", "{\"a\":{\"p1\":\"0123456789\",\"p2\":\"0123456789\",\"v\":5}}"));
        Assert.AreEqual(5, device.A.Value, device.Calls());
    }

    [TestMethod]
    public void ABootThatCannotReadTheConfigOnTrialFailsItInsteadOfTryingItOnDefaults()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1}}");
        Expect.Status(ConfigStatus.Ok, device.Offer("c2", "{\"a\":{\"v\":2},\"w\":{\"v\":3}}"));
        Assert.IsTrue(device.Applier.RebootRequested);

        // Reads of the slots fail once the store has checked the config on trial, before its sections are read.
        device.StoreHash = new UnreadableAfterDigest(device.Storage);
        device.PowerOn();
        Expect.Status(ConfigStatus.ModuleFailed, device.BootStatus, "not a trial of the defaults, which contact would confirm");
        Assert.IsTrue(device.Store.IsOnTrial);
        Assert.AreEqual(1, device.Applier.Errors.ErrorCount);

        Expect.Status(ConfigStatus.Ok, device.Applier.RollBack());
        BootsIntoC1(device);
    }

    [TestMethod]
    public void ARollBackThatCannotReadTheLastGoodConfigRebootsIntoItInsteadOfLeavingDefaults()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1}}");
        Expect.Status(ConfigStatus.Ok, device.Offer("c2", "{\"a\":{\"v\":2}}"));
        device.Storage.UnreadableArea = ConfigSlot.AreaOf(device.Store.LastGoodSlot);
        Expect.Status(ConfigStatus.Ok, device.Applier.RollBack());
        Assert.IsTrue(device.Applier.RebootRequested, "the boot applies c1: a module left on its defaults is no rollback");
        BootsIntoC1(device);
    }

    // Flash reads again: the next boot runs c1, confirmed, with its value.
    private static void BootsIntoC1(ApplierFixture device)
    {
        device.StoreHash = null;
        device.Storage.UnreadableArea = null;
        device.PowerOn();
        Assert.AreEqual("c1", device.ActiveId());
        Assert.IsFalse(device.Store.IsOnTrial);
        Assert.AreEqual(1, device.A.Value);
    }

    [TestMethod]
    public void BootTellsWhenAModuleThrowsTakingAConfigOnTrial()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1}}");
        Expect.Status(ConfigStatus.Ok, device.Offer("c2", "{\"a\":{\"v\":2},\"w\":{\"v\":3}}"));
        Assert.IsTrue(device.Applier.RebootRequested);

        device.WFailsOn = 3;
        device.PowerOn();
        Expect.Status(ConfigStatus.ModuleFailed, device.BootStatus);
        Assert.AreEqual("{\"errors\":[{\"module\":\"w\",\"key\":\"\",\"code\":\"general_error\"}]}", ApplierFixture.Json(device.Applier.Errors));
        Expect.Status(ConfigStatus.Ok, device.Applier.RollBack());
        Assert.IsTrue(device.Applier.RebootRequested, "w takes the old config at the next boot");

        device.WFailsOn = int.MinValue;
        device.PowerOn();
        Expect.Status(ConfigStatus.Ok, device.BootStatus);
        Assert.AreEqual("c1", device.ActiveId());
        Assert.AreEqual(-1, device.W.Value);
    }

    [TestMethod]
    public void RebootModuleChangePersistsPendingRebootsAndTheBootApplies()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1}}");
        Expect.Status(ConfigStatus.Ok, device.Offer("c2", "{\"a\":{\"v\":2},\"w\":{\"v\":3}}"));
        Assert.AreEqual("a validate; w validate", device.Calls());
        Assert.IsTrue(device.Applier.RebootRequested);
        Expect.Status(ConfigStatus.WrongStage, device.Applier.Confirm(), "nothing happens between the reboot request and the reboot");

        device.Journal.Clear();
        device.PowerOn();
        Assert.IsTrue(device.Store.RebootWasPending);
        Assert.IsTrue(device.Store.IsOnTrial);
        Assert.AreEqual("a apply=2; b defaults; w apply=3; b start", device.Calls());
        Expect.Status(ConfigStatus.Ok, device.Applier.Confirm());
        Assert.AreEqual("c2", device.ActiveId());
    }

    [TestMethod]
    public void RollbackOfARebootModuleRebootsIntoTheOldConfig()
    {
        ApplierFixture device = new ApplierFixture();
        Expect.Status(ConfigStatus.Ok, device.Offer("c1", "{\"w\":{\"v\":1}}"));
        device.PowerOn();
        Expect.Status(ConfigStatus.Ok, device.Applier.Confirm());
        Expect.Status(ConfigStatus.Ok, device.Offer("c2", "{\"w\":{\"v\":2}}"));
        device.PowerOn();
        Assert.AreEqual(2, device.W.Value);
        Assert.IsFalse(device.Applier.RebootRequested);

        Expect.Status(ConfigStatus.Ok, device.Applier.RollBack());
        Assert.IsTrue(device.Applier.RebootRequested);
        device.PowerOn();
        Assert.AreEqual(1, device.W.Value);
        Assert.AreEqual("c1", device.ActiveId());
        Assert.IsFalse(device.Store.IsOnTrial);
    }

    [TestMethod]
    public void BootLoopGuardRollsBackThroughBoot()
    {
        ApplierFixture device = new ApplierFixture();
        device.Install("c1", "{\"a\":{\"v\":1}}");
        Expect.Status(ConfigStatus.Ok, device.Offer("c2", "{\"a\":{\"v\":2},\"w\":{\"v\":3}}"));
        for (int boot = 1; boot <= ApplierFixture.TrialBoots; boot++)
        {
            device.PowerOn();
            Assert.IsTrue(device.Store.IsOnTrial);
            Assert.AreEqual(3, device.W.Value);
        }

        device.PowerOn();
        Expect.Status(ConfigStatus.RolledBack, device.Store.BootOutcome);
        Assert.IsTrue(device.Store.RejectedConfigIdEquals(ConfigFixture.Ascii("c2"), 0, 2));
        Assert.AreEqual("c1", device.ActiveId());
        Assert.AreEqual(1, device.A.Value);
        Assert.AreEqual(-1, device.W.Value);
    }

    [TestMethod]
    public void ApplyCandidateWithoutASealedCandidateDoesNothing()
    {
        ApplierFixture device = new ApplierFixture();
        device.Journal.Clear();
        Expect.Status(ConfigStatus.WrongStage, device.Applier.ApplyCandidate());
        Assert.AreEqual("", device.Calls());
    }

    [TestMethod]
    public void RegistryRefusesDuplicateAndOverlongNames()
    {
        System.Collections.ArrayList journal = new System.Collections.ArrayList();
        ModuleRegistry registry = new ModuleRegistry(2);
        Assert.AreEqual(0, registry.Register(new JournalingModule("a", ConfigApplyPolicy.Live, journal)));
        Expect.Throws(typeof(System.ArgumentException), () => registry.Register(new JournalingModule("a", ConfigApplyPolicy.Live, journal)));
        Expect.Throws(typeof(System.ArgumentException), () => registry.Register(new JournalingModule("0123456789012345678901234567890123", ConfigApplyPolicy.Live, journal)));
        Assert.AreEqual(1, registry.Register(new JournalingModule("b", ConfigApplyPolicy.Live, journal)));
        Expect.Throws(typeof(System.ArgumentException), () => registry.Register(new JournalingModule("c", ConfigApplyPolicy.Live, journal)));
    }

    // SHA-256 after whose first digest every read of the config slots fails (a flash read error that starts then).
    private sealed class UnreadableAfterDigest : HashFunction
    {
        private readonly Sha256 _inner = new Sha256();
        private readonly MemoryStorage _storage;

        public UnreadableAfterDigest(MemoryStorage storage)
        {
            _storage = storage;
        }

        public override int HashSize => _inner.HashSize;

        public override int BlockSize => _inner.BlockSize;

        public override void Reset() => _inner.Reset();

        public override void Update(byte[] buffer, int offset, int count) => _inner.Update(buffer, offset, count);

        public override void Final(byte[] output, int offset)
        {
            _inner.Final(output, offset);
            _storage.UnreadableArea = "cfg-";
        }
    }
}
