using CotaFirmware.App;
using CotaFirmware.Linkkit;
using CotaFirmware.Tests.Config;
using CotaFirmware.Tests.Cota;

namespace CotaFirmware.Tests.App;

/// <summary>The jobs the device's loop alone owns: the one call of the board's reboot, and dynamic registration (its secret in flash) before the first connect.</summary>
[TestClass]
public class CotaDeviceOwnerTests
{
    private const string ProductSecret = "prodSecretK4";
    private const string Issued = "Dyn4mic0Secret0123456789abcdefXY";
    private const string IssuingReply = "{\"code\":200,\"data\":{\"deviceSecret\":\"" + Issued + "\"}}";

    [TestMethod]
    public void AConfigThatNeedsARebootRebootsTheBoardOnceAndEndsTheRun()
    {
        byte[] file = Ascii.Bytes("{\"wifi\":{\"ssid\":\"lab-net\",\"password\":\"lab-pass-1\"}}");
        var session = new ScriptedMqttSession();
        var reboot = new CountingReboot();
        var log = new RecordingLog();
        var clock = new ManualClock(1000, 1700000000000);
        var device = new CotaDevice(TestBoard.Of(session, new ScriptedHttpClient(file), new MemoryStorage(), reboot, clock, log, 5),
            TestBoard.Settings(new DeviceIdentity("pk1", "dn1", TestDevice.Secret, null)));

        device.Start();
        device.Step();
        Assert.IsTrue(device.IsConnected);
        session.Enqueue("/sys/pk1/dn1/thing/config/push", CotaRig.PushOf("\"7\"", CotaRig.Fields("cfg-wifi", file)));
        for (int i = 0; i < 2000 && reboot.Count == 0; i++)
        {
            device.Step();
            clock.Advance(50);
        }

        Assert.AreEqual(1, reboot.Count);
        Assert.IsTrue(log.Contains("config needs a reboot"));
        device.Step();
        device.Run();
        Assert.AreEqual(1, reboot.Count, "the loop stopped: no second reboot");
        Assert.AreEqual("", device.State.WifiSsid, "the network is taken at the next boot");
        Assert.IsTrue(device.State.IsOnTrial);
    }

    [TestMethod]
    public void DynamicRegistrationComesBeforeTheFirstConnectAndRetriesWithBackoff()
    {
        var http = new ScriptedHttpClient(Ascii.Bytes(IssuingReply)).Then(ScriptedResponse.WithStatus(503));
        var storage = new MemoryStorage();
        var log = new RecordingLog();
        var clock = new ManualClock(1000, 1700000000000);
        var boot = new Boot(http, storage, clock, log);
        boot.Device.Step();
        Assert.AreEqual(1, http.RequestCount);
        Assert.AreEqual(0, boot.Session.Connects, "no connect without a secret");
        Assert.IsTrue(log.Contains("dynamic registration failed"));

        // The first wait is drawn from 2.5 to 5 s.
        clock.Advance(2000);
        boot.Device.Step();
        Assert.AreEqual(1, http.RequestCount, "the backoff holds the next attempt");
        clock.Advance(3000);
        boot.Device.Step();
        Assert.AreEqual(2, http.RequestCount);
        Assert.AreEqual(Issued, boot.Identity.DeviceSecret);
        Assert.AreEqual(1, boot.Session.Connects);
        Assert.IsTrue(boot.Device.IsConnected);
        Assert.IsFalse(log.Contains(Issued));
        Assert.IsFalse(log.Contains(ProductSecret));
        NextBootConnectsWithTheStoredSecret(storage, clock, log);
    }

    [TestMethod]
    public void AnIssuedSecretIsStoredAgainWithBackoffAndOnlyThenUsedToConnect()
    {
        var http = new ScriptedHttpClient(Ascii.Bytes(IssuingReply));
        var storage = new MemoryStorage();
        var log = new RecordingLog();
        var clock = new ManualClock(1000, 1700000000000);
        var boot = new Boot(http, storage, clock, log);
        storage.FailWrites = true;
        boot.Device.Step();
        Assert.AreEqual(1, http.RequestCount);
        Assert.AreEqual(1, SecretWrites(storage));
        Assert.AreEqual(0, boot.Session.Connects, "connecting would activate the device with a secret the next boot cannot read");
        Assert.IsTrue(log.Contains("cannot store the device secret of pk1.dn1; no connect before it is"));
        Assert.IsTrue(log.Contains("dynamic registration failed (8, code 200); retry in"));

        // The first wait is drawn from 2.5 to 5 s, the second from 5 to 10 s.
        clock.Advance(2000);
        boot.Device.Step();
        Assert.AreEqual(1, SecretWrites(storage), "the backoff holds the next try");
        clock.Advance(3000);
        boot.Device.Step();
        Assert.AreEqual(2, SecretWrites(storage), "the secret held is stored again");
        Assert.AreEqual(0, boot.Session.Connects);
        storage.FailWrites = false;
        clock.Advance(4000);
        boot.Device.Step();
        Assert.AreEqual(2, SecretWrites(storage), "the doubled bound holds it");
        clock.Advance(6000);
        boot.Device.Step();
        Assert.AreEqual(3, SecretWrites(storage));
        Assert.AreEqual(1, http.RequestCount, "no new registration: it would issue another secret");
        Assert.AreEqual(1, boot.Session.Connects);
        Assert.IsTrue(boot.Device.IsConnected);
        Assert.IsFalse(log.Contains(Issued));
        Assert.IsFalse(log.Contains(ProductSecret));
        NextBootConnectsWithTheStoredSecret(storage, clock, log);
    }

    // The platform refuses a second registration of an activated device: the next boot must need none.
    private static void NextBootConnectsWithTheStoredSecret(MemoryStorage storage, ManualClock clock, RecordingLog log)
    {
        var refusing = new ScriptedHttpClient(Ascii.Bytes("{\"code\":6289,\"message\":\"device already activated\"}"));
        var next = new Boot(refusing, storage, clock, log);
        next.Device.Step();
        Assert.AreEqual(0, refusing.RequestCount);
        Assert.IsTrue(next.Device.IsConnected);
        Assert.AreEqual(Issued, next.Identity.DeviceSecret);
    }

    // Writes to the secret's two copies, failed ones included.
    private static int SecretWrites(MemoryStorage storage)
    {
        int n = 0;
        foreach (object area in storage.WrittenAreas)
        {
            if ((string)area == DeviceSecretRecord.Areas[0] || (string)area == DeviceSecretRecord.Areas[1])
            {
                n++;
            }
        }

        return n;
    }

    // One boot, started, of pk1/dn1 registering with the ProductSecret; storage, clock and log carry over to the next.
    private sealed class Boot
    {
        public readonly ScriptedMqttSession Session = new ScriptedMqttSession();
        public readonly DeviceIdentity Identity = new DeviceIdentity("pk1", "dn1", null, ProductSecret);
        public readonly CotaDevice Device;

        public Boot(ScriptedHttpClient http, MemoryStorage storage, ManualClock clock, RecordingLog log)
        {
            DeviceSettings settings = TestBoard.Settings(Identity);
            settings.DynamicRegistration = true;
            Device = new CotaDevice(TestBoard.Of(Session, http, storage, new CountingReboot(), clock, log, 5), settings);
            Device.Start();
        }
    }
}
