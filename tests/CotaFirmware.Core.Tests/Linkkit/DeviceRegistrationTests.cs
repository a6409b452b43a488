using CotaFirmware.Linkkit;
using CotaFirmware.Tests.Platform;

namespace CotaFirmware.Tests.Linkkit;

[TestClass]
public class DeviceRegistrationTests
{
    private const string ProductSecret = "prodSecretQ7";
    private const string Issued = "Iss5ued0Secret0123456789abcdefAB";
    private const string GoodReply = "{\"code\":200,\"data\":{\"productKey\":\"pk1\",\"deviceName\":\"dn1\",\"deviceSecret\":\"" + Issued + "\"},\"message\":\"success\"}";

    private static DeviceIdentity Unregistered() => new DeviceIdentity("pk1", "dn1", null, ProductSecret);

    [TestMethod]
    public void RegistersWithASignedFormPostAndStoresTheIssuedSecret()
    {
        var http = new ScriptedHttpClient(Ascii.Bytes(GoodReply));
        http.ReadChunk = 7;
        var storage = new MemoryStorage();
        var mac = new RecordingMac();
        var log = new RecordingLog();
        var identity = Unregistered();

        RegistrationResult r = new DeviceRegistration(http, storage, mac, new Random(1), log, new ManualClock()).Obtain(identity, new LinkkitSettings());

        Expect.Status(RegistrationResult.Registered, r);
        Assert.AreEqual(Issued, identity.DeviceSecret);
        Assert.AreEqual("https://iot-auth.cn-shanghai.aliyuncs.com/auth/register/device", http.LastUrl);
        string body = http.LastBody;
        Assert.IsTrue(body.IndexOf("productKey=pk1&deviceName=dn1&random=") == 0);
        int r0 = body.IndexOf("&random=") + 8;
        int s0 = body.IndexOf("&sign=");
        string random = body.Substring(r0, s0 - r0);
        Assert.AreEqual(16, random.Length);
        Assert.AreEqual("deviceNamedn1productKeypk1random" + random, mac.LastMessage);
        Assert.AreEqual(ProductSecret, mac.LastKey);
        string sign = Ascii.Hex(RecordingMac.DigestFor(MacMethod.HmacSha256, mac.LastMessage.Length, ProductSecret.Length), 0, 32).ToLower();
        Assert.AreEqual("&sign=" + sign + "&signMethod=hmacsha256", body.Substring(s0));
        Assert.AreEqual(132, storage.Length(DeviceSecretRecord.Areas[0]), "one sealed copy");
        Assert.AreEqual(-1, storage.Length(DeviceSecretRecord.Areas[1]));
        Assert.AreEqual(1, http.CloseCount);
        Assert.IsFalse(log.Contains(Issued));
        Assert.IsFalse(log.Contains(ProductSecret));
    }

    [TestMethod]
    public void TheStoredSecretIsReusedAfterAReboot()
    {
        var storage = new MemoryStorage();
        var http = new ScriptedHttpClient(Ascii.Bytes(GoodReply));
        new DeviceRegistration(http, storage, new RecordingMac(), new Random(1), new RecordingLog(), new ManualClock()).Obtain(Unregistered(), new LinkkitSettings());

        // Reboot: new objects, same flash, and a network that would fail.
        var http2 = new ScriptedHttpClient(new byte[0]) { Otherwise = ScriptedResponse.WithStatus((int)HttpStatus.Unreachable) };
        var identity = Unregistered();
        RegistrationResult r = new DeviceRegistration(http2, storage, new RecordingMac(), new Random(2), new RecordingLog(), new ManualClock()).Obtain(identity, new LinkkitSettings());

        Expect.Status(RegistrationResult.Reused, r);
        Assert.AreEqual(Issued, identity.DeviceSecret);
        Assert.AreEqual(0, http2.RequestCount);
    }

    [TestMethod]
    public void TheFirstFormatsRecordIsMovedIntoASealedCopyOnce()
    {
        var storage = new MemoryStorage();
        storage.Put(DeviceSecretRecord.LegacyArea, "pk1\ndn1\n" + Issued + "\n");
        Expect.Status(RegistrationResult.Reused, Reboot(storage, Unregistered()));
        Assert.AreEqual(-1, storage.Length(DeviceSecretRecord.LegacyArea));
        Assert.AreEqual(132, storage.Length(DeviceSecretRecord.Areas[0]));

        storage.ClearLog();
        var identity = Unregistered();
        Expect.Status(RegistrationResult.Reused, Reboot(storage, identity));
        Assert.AreEqual(Issued, identity.DeviceSecret);
        Assert.AreEqual(0, storage.WrittenAreas.Count, "moved once");
    }

    [TestMethod]
    public void ANewRegistrationOverwritesTheOlderCopyAndTheNewestWins()
    {
        var storage = new MemoryStorage();
        string[] secrets = { Issued, "second0Secret", "third0Secret" };
        for (int i = 0; i < secrets.Length; i++)
        {
            string reply = "{\"code\":200,\"data\":{\"deviceSecret\":\"" + secrets[i] + "\"}}";
            storage.ClearLog();
            Expect.Status(RegistrationResult.Registered, new DeviceRegistration(new ScriptedHttpClient(Ascii.Bytes(reply)), storage, new RecordingMac(), new Random(i), new RecordingLog(), new ManualClock()).Register(Unregistered(), new LinkkitSettings()));
            Assert.AreEqual(DeviceSecretRecord.Areas[i % 2], (string)storage.WrittenAreas[0]);
            var identity = Unregistered();
            Expect.Status(RegistrationResult.Reused, Reboot(storage, identity));
            Assert.AreEqual(secrets[i], identity.DeviceSecret);
        }
    }

    [TestMethod]
    public void ASecretStaysReadableAfterOneBootUnderAMistypedDeviceName()
    {
        // pk1.dn1 registers (and, connecting, is activated: the platform will not register it again). One boot with a
        // mistyped DeviceName registers that name into the other copy; dn1's sealed copy is untouched. With the typo
        // fixed, dn1's secret is still in flash and must be used, or the device is locked out until reset in the console.
        var storage = new MemoryStorage();
        Expect.Status(RegistrationResult.Registered, new DeviceRegistration(new ScriptedHttpClient(Ascii.Bytes(GoodReply)), storage, new RecordingMac(), new Random(1), new RecordingLog(), new ManualClock()).Obtain(Unregistered(), new LinkkitSettings()));
        var typo = new DeviceIdentity("pk1", "dn2", null, ProductSecret);
        string typoReply = "{\"code\":200,\"data\":{\"deviceSecret\":\"typoSecret0\"}}";
        Expect.Status(RegistrationResult.Registered, new DeviceRegistration(new ScriptedHttpClient(Ascii.Bytes(typoReply)), storage, new RecordingMac(), new Random(2), new RecordingLog(), new ManualClock()).Obtain(typo, new LinkkitSettings()));

        var identity = Unregistered();
        Expect.Status(RegistrationResult.Reused, Reboot(storage, identity));
        Assert.AreEqual(Issued, identity.DeviceSecret);
    }

    [TestMethod]
    public void WhenNeitherCopyIsReadableTheDeviceSaysSoAndRegistersAgain()
    {
        var storage = new MemoryStorage();
        new DeviceRegistration(new ScriptedHttpClient(Ascii.Bytes(GoodReply)), storage, new RecordingMac(), new Random(1), new RecordingLog(), new ManualClock()).Obtain(Unregistered(), new LinkkitSettings());
        storage.Corrupt(DeviceSecretRecord.Areas[0], 40);
        var log = new RecordingLog();
        var http = new ScriptedHttpClient(Ascii.Bytes("{\"code\":6289,\"message\":\"device already activated\"}"));
        var identity = Unregistered();
        Expect.Status(RegistrationResult.Rejected, new DeviceRegistration(http, storage, new RecordingMac(), new Random(2), log, new ManualClock()).Obtain(identity, new LinkkitSettings()));
        Assert.IsTrue(log.Contains("no stored device secret of pk1.dn1 is readable"));
        Assert.IsTrue(log.Contains("reset the device in the console"));
        Assert.AreEqual(1, http.RequestCount, "registering again is the platform's to allow");
        Assert.IsNull(identity.DeviceSecret);
    }

    [TestMethod]
    public void ACopyOfANewerFirmwareIsLeftAsItIsAndNoRegistrationOverwritesIt()
    {
        var storage = new MemoryStorage();
        storage.Put(DeviceSecretRecord.Areas[1], "LKS3 a newer format");
        var log = new RecordingLog();
        var http = new ScriptedHttpClient(Ascii.Bytes(GoodReply));
        var identity = Unregistered();
        Expect.Status(RegistrationResult.StorageFailed, new DeviceRegistration(http, storage, new RecordingMac(), new Random(1), log, new ManualClock()).Obtain(identity, new LinkkitSettings()));
        Assert.AreEqual(0, http.RequestCount);
        Assert.AreEqual(0, storage.WrittenAreas.Count);
        Assert.AreEqual("LKS3 a newer format", storage.Text(DeviceSecretRecord.Areas[1]));
        Assert.IsTrue(log.Contains("written by a newer firmware"));
    }

    [TestMethod]
    public void ARecordOfAnotherDeviceOrCutShortIsNotUsed()
    {
        string[] records = { "pk1\ndn2\nabc\n", "pk2\ndn1\nabc\n", "pk1\ndn1\nabc", "pk1\ndn1\n\n", "pk1\ndn1\n", "pk1\ndn1\nab c\n", "pk1dn1abc\n" };
        for (int i = 0; i < records.Length; i++)
        {
            var storage = new MemoryStorage();
            storage.Put(DeviceSecretRecord.LegacyArea, records[i]);
            var http = new ScriptedHttpClient(Ascii.Bytes(GoodReply));
            var identity = Unregistered();
            RegistrationResult r = new DeviceRegistration(http, storage, new RecordingMac(), new Random(i), new RecordingLog(), new ManualClock()).Obtain(identity, new LinkkitSettings());
            Assert.IsTrue(r == RegistrationResult.Registered, records[i]);
            Assert.AreEqual(1, http.RequestCount);
            Assert.AreEqual(Issued, identity.DeviceSecret);
        }
    }

    [TestMethod]
    public void EveryPrefixOfTheStoredRecordIsEitherRejectedOrWhole()
    {
        // Power may cut a write short, leaving a prefix: no prefix may pass for a (shorter) secret.
        string record = "pk1\ndn1\n" + Issued + "\n";
        for (int n = 0; n <= record.Length; n++)
        {
            var storage = new MemoryStorage();
            storage.Put(DeviceSecretRecord.LegacyArea, record.Substring(0, n));
            var http = new ScriptedHttpClient(new byte[0]) { Otherwise = ScriptedResponse.WithStatus((int)HttpStatus.Unreachable) };
            var identity = Unregistered();
            RegistrationResult r = new DeviceRegistration(http, storage, new RecordingMac(), new Random(n), new RecordingLog(), new ManualClock()).Obtain(identity, new LinkkitSettings());
            if (n == record.Length)
            {
                Expect.Status(RegistrationResult.Reused, r);
                Assert.AreEqual(Issued, identity.DeviceSecret);
            }
            else
            {
                Expect.Status(RegistrationResult.NetworkError, r);
                Assert.IsNull(identity.DeviceSecret);
            }
        }
    }

    [TestMethod]
    public void EachAttemptSendsAFreshNonce()
    {
        var http = new ScriptedHttpClient(Ascii.Bytes(GoodReply));
        var registration = new DeviceRegistration(http, new MemoryStorage(), new RecordingMac(), new Random(42), new RecordingLog(), new ManualClock());
        registration.Register(Unregistered(), new LinkkitSettings());
        string first = http.LastBody;
        registration.Register(Unregistered(), new LinkkitSettings());
        Assert.AreEqual(2, http.RequestCount);
        Assert.IsFalse(first == http.LastBody);
    }

    [TestMethod]
    public void AGivenSecretNeedsNoRegistration()
    {
        var http = new ScriptedHttpClient(new byte[0]);
        var identity = new DeviceIdentity("pk1", "dn1", "given", ProductSecret);
        RegistrationResult r = new DeviceRegistration(http, new MemoryStorage(), new RecordingMac(), new Random(1), new RecordingLog(), new ManualClock()).Obtain(identity, new LinkkitSettings());
        Expect.Status(RegistrationResult.Given, r);
        Assert.AreEqual(0, http.RequestCount);
    }

    [TestMethod]
    public void FailuresHaveTheirOwnResultsAndStoreNothing()
    {
        Check((int)HttpStatus.Timeout, GoodReply, RegistrationResult.NetworkError);
        Check((int)HttpStatus.TlsFailed, GoodReply, RegistrationResult.NetworkError);
        Check(500, "<html>error</html>", RegistrationResult.HttpError);
        Check(200, "{\"code\":6288,\"message\":\"device already activated\"}", RegistrationResult.Rejected);
        Check(200, "{\"code\":\"6100\"}", RegistrationResult.Rejected);
        Check(200, "<html>", RegistrationResult.BadReply);
        Check(200, "", RegistrationResult.BadReply);
        Check(200, "{\"code\":200,\"data\":{\"deviceSecret\":\"abc\"}", RegistrationResult.BadReply);
        Check(200, "{\"code\":200}", RegistrationResult.BadReply);
        Check(200, "{\"code\":200,\"data\":[]}", RegistrationResult.BadReply);
        Check(200, "{\"code\":200,\"data\":{}}", RegistrationResult.BadReply);
        Check(200, "{\"code\":200,\"data\":{\"deviceSecret\":\"\"}}", RegistrationResult.BadReply);
        Check(200, "{\"code\":200,\"data\":{\"deviceSecret\":\"a\\u0062c\"}}", RegistrationResult.BadReply);
        Check(200, "{\"code\":200,\"data\":{\"deviceSecret\":12}}", RegistrationResult.BadReply);
        Check(200, "{\"code\":200,\"data\":{\"deviceName\":\"dn2\",\"deviceSecret\":\"abc\"}}", RegistrationResult.BadReply);
        Check(200, "{\"code\":200,\"data\":{\"productKey\":\"pk9\",\"deviceSecret\":\"abc\"}}", RegistrationResult.BadReply);
        Check(200, "{\"code\":200,\"data\":{\"deviceSecret\":\"abc\"}} {}", RegistrationResult.BadReply);
    }

    [TestMethod]
    public void ACodeAndSecretAloneAreEnough()
    {
        Check(200, "{\"data\":{\"deviceSecret\":\"abc\"},\"code\":200}", RegistrationResult.Registered);
    }

    [TestMethod]
    public void ARejectionKeepsThePlatformsCode()
    {
        var http = new ScriptedHttpClient(Ascii.Bytes("{\"code\":6288,\"message\":\"x\"}"));
        var registration = new DeviceRegistration(http, new MemoryStorage(), new RecordingMac(), new Random(1), new RecordingLog(), new ManualClock());
        Expect.Status(RegistrationResult.Rejected, registration.Register(Unregistered(), new LinkkitSettings()));
        Assert.AreEqual(6288, registration.LastCode);
        Assert.AreEqual(200, registration.LastHttpStatus);
    }

    [TestMethod]
    public void AReplyTooLongOrBrokenOffIsNotTrusted()
    {
        string padded = "{\"code\":200,\"data\":{\"deviceSecret\":\"abc\"},\"message\":\"" + new string('x', 1100) + "\"}";
        Check(200, padded, RegistrationResult.BadReply);

        var http = new ScriptedHttpClient(Ascii.Bytes(GoodReply)) { Otherwise = ScriptedResponse.FailingAfter(20, (int)HttpStatus.Broken) };
        var storage = new MemoryStorage();
        Expect.Status(RegistrationResult.NetworkError, new DeviceRegistration(http, storage, new RecordingMac(), new Random(1), new RecordingLog(), new ManualClock()).Register(Unregistered(), new LinkkitSettings()));
        Assert.AreEqual(-1, storage.Length(DeviceSecretRecord.Areas[0]));
    }

    [TestMethod]
    public void AReplyTricklingInEndsWithinTheRegistrationsTimeLimit()
    {
        // A server (or a captive portal) that sends the reply one byte every 14 s: each read is within TimeoutMs, the
        // request as a whole takes half an hour, and the device's one loop waits inside Register all that time.
        var clock = new ManualClock(1000, 1700000000000);
        var http = new ScriptedHttpClient(Ascii.Bytes(GoodReply)) { Clock = clock, Otherwise = ScriptedResponse.InPieces(1, 14000) };
        var registration = new DeviceRegistration(http, new MemoryStorage(), new RecordingMac(), new Random(1), new RecordingLog(), clock);
        long start = clock.MonotonicMs;

        registration.Obtain(Unregistered(), new LinkkitSettings());

        long took = clock.MonotonicMs - start;
        Assert.IsTrue(took <= 2 * registration.TimeoutMs, "one registration request took " + took + " ms; TimeoutMs is " + registration.TimeoutMs);
    }

    [TestMethod]
    public void AnIssuedSecretThatCannotBeStoredIsHeldAndStoredByTheNextObtainWithoutANewRequest()
    {
        var http = new ScriptedHttpClient(Ascii.Bytes(GoodReply));
        var storage = new MemoryStorage { FailWrites = true };
        var log = new RecordingLog();
        var identity = Unregistered();
        var registration = new DeviceRegistration(http, storage, new RecordingMac(), new Random(1), log, new ManualClock());
        Expect.Status(RegistrationResult.StorageFailed, registration.Obtain(identity, new LinkkitSettings()));
        Assert.AreEqual(Issued, identity.DeviceSecret, "held for the next try");
        Assert.IsTrue(log.Contains("cannot store the device secret of pk1.dn1"));
        Expect.Status(RegistrationResult.StorageFailed, registration.Obtain(identity, new LinkkitSettings()));

        storage.FailWrites = false;
        Expect.Status(RegistrationResult.Registered, registration.Obtain(identity, new LinkkitSettings()));
        Assert.AreEqual(1, http.RequestCount, "each registration issues a new secret: the one held is stored, none asked for");
        Assert.IsFalse(log.Contains(Issued));
        Expect.Status(RegistrationResult.Given, registration.Obtain(identity, new LinkkitSettings()), "stored once");
        var next = Unregistered();
        Expect.Status(RegistrationResult.Reused, Reboot(storage, next));
        Assert.AreEqual(Issued, next.DeviceSecret);
    }

    [TestMethod]
    public void WithoutAProductSecretThereIsNothingToRegisterWith()
    {
        var http = new ScriptedHttpClient(new byte[0]);
        var registration = new DeviceRegistration(http, new MemoryStorage(), new RecordingMac(), new Random(1), new RecordingLog(), new ManualClock());
        Expect.Status(RegistrationResult.BadIdentity, registration.Obtain(new DeviceIdentity("pk1", "dn1", null, null), new LinkkitSettings()));
        Expect.Status(RegistrationResult.BadIdentity, registration.Obtain(new DeviceIdentity("pk1", "d/n", null, ProductSecret), new LinkkitSettings()));
        Assert.AreEqual(0, http.RequestCount);
    }

    [TestMethod]
    public void CustomHttpDomainAndFormEncodingOfDeviceNames()
    {
        var http = new ScriptedHttpClient(Ascii.Bytes("{\"code\":200,\"data\":{\"deviceName\":\"dn@1:x\",\"deviceSecret\":\"abc\"}}"));
        var identity = new DeviceIdentity("pk1", "dn@1:x", null, ProductSecret);
        var options = new LinkkitSettings { HttpDomain = "127.0.0.1:8443" };
        Expect.Status(RegistrationResult.Registered, new DeviceRegistration(http, new MemoryStorage(), new RecordingMac(), new Random(1), new RecordingLog(), new ManualClock()).Obtain(identity, options));
        Assert.AreEqual("https://127.0.0.1:8443/auth/register/device", http.LastUrl);
        Assert.IsTrue(http.LastBody.IndexOf("&deviceName=dn%401%3Ax&") > 0);
    }

    // A boot whose network fails: only a stored secret can serve.
    private static RegistrationResult Reboot(MemoryStorage storage, DeviceIdentity identity)
    {
        var http = new ScriptedHttpClient(new byte[0]) { Otherwise = ScriptedResponse.WithStatus((int)HttpStatus.Unreachable) };
        return new DeviceRegistration(http, storage, new RecordingMac(), new Random(9), new RecordingLog(), new ManualClock()).Obtain(identity, new LinkkitSettings());
    }

    private static void Check(int status, string reply, RegistrationResult expected)
    {
        var http = new ScriptedHttpClient(Ascii.Bytes(reply)) { Otherwise = new ScriptedResponse { Status = status, Body = Ascii.Bytes(reply) } };
        var storage = new MemoryStorage();
        var identity = Unregistered();
        RegistrationResult r = new DeviceRegistration(http, storage, new RecordingMac(), new Random(3), new RecordingLog(), new ManualClock()).Obtain(identity, new LinkkitSettings());
        Expect.Status(expected, r, reply);
        if (expected != RegistrationResult.Registered)
        {
            Assert.IsNull(identity.DeviceSecret, reply);
            Assert.AreEqual(-1, storage.Length(DeviceSecretRecord.Areas[0]), reply);
        }
    }
}
