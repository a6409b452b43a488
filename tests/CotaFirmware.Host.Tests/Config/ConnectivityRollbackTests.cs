using CotaFirmware.Config;
using CotaFirmware.Host.Board;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace CotaFirmware.HostTests.Config;

/// <summary>A config that cuts the device off the cloud (Wi-Fi credentials the access point refuses) is rolled back by itself.</summary>
[TestClass]
public sealed class ConnectivityRollbackTests
{
    const string Good = "{\"telemetry\":{\"intervalSeconds\":10},\"wifi\":{\"ssid\":\"plant\",\"password\":\"good-pass\"}}";
    const string Bad = "{\"telemetry\":{\"intervalSeconds\":20},\"wifi\":{\"ssid\":\"plant\",\"password\":\"typo-pass\"}}";

    /// <summary>Runs the device in 100 ms steps until <paramref name="untilMs"/>, rebooting it (a new instance over the same flash) whenever it asks.</summary>
    static (ApplierDevice Device, long Now) Run(ApplierDevice device, MemoryFlash flash, InProcessReboot reboot, ResultList results, AccessPointRadio radio, long fromMs, long untilMs)
    {
        long now = fromMs;
        while (now < untilMs)
        {
            now += 100;
            device.Step(now);
            if (reboot.IsRequested)
            {
                reboot.Acknowledge();
                device = new ApplierDevice(flash, reboot, results, radio, now);
            }
        }

        return (device, now);
    }

    [TestMethod]
    public void BadWifiPasswordIsRolledBackAndTheDeviceComesBackOnline()
    {
        var flash = new MemoryFlash();
        var reboot = new InProcessReboot();
        var results = new ResultList();
        var radio = new AccessPointRadio("plant", "good-pass");

        // Provisioned with the factory password, which this access point refuses: the first config brings the good one.
        var device = new ApplierDevice(flash, reboot, results, radio, 0);
        Assert.IsTrue(device.Offer("c1", Good, 0));
        Assert.IsTrue(reboot.IsRequested, "new Wi-Fi credentials take a reboot");
        (device, long now) = Run(device, flash, reboot, results, radio, 0, 5_000);
        Assert.IsTrue(device.Online);
        Assert.AreEqual("c1", device.ActiveId());
        Assert.IsFalse(device.Store.IsOnTrial);
        CollectionAssert.AreEqual(new[] { "{\"configId\":\"c1\",\"status\":\"applied\",\"errors\":[]}" }, results.Json);

        // The bad password: after the reboot the access point refuses it, so the cloud is never reached.
        Assert.IsTrue(device.Offer("c2", Bad, now));
        int refusals = radio.Refusals;
        (device, now) = Run(device, flash, reboot, results, radio, now, now + ApplierDevice.TrialDeadlineMs - 1_000);
        Assert.AreEqual("c2", device.ActiveId());
        Assert.IsTrue(device.Store.IsOnTrial);
        Assert.IsFalse(device.Online);
        Assert.IsTrue(radio.Refusals > refusals);
        Assert.AreEqual("typo-pass", radio.LastPassword);

        // The deadline passes: rollback, a reboot into the old credentials, online again.
        (device, now) = Run(device, flash, reboot, results, radio, now, now + 10_000);
        Assert.IsTrue(device.Online);
        Assert.AreEqual("c1", device.ActiveId());
        Assert.AreEqual("good-pass", radio.LastPassword);
        Assert.AreEqual(10, device.Telemetry.IntervalSeconds);
        Assert.IsFalse(device.Store.IsOnTrial);
        Assert.AreEqual("{\"configId\":\"c2\",\"status\":\"rolled_back\",\"errors\":[]}", results.Json[^1]);
        Assert.AreEqual(2, results.Json.Count);
    }
}
