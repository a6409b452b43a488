using System.Security.Cryptography.X509Certificates;
using CotaFirmware.Crypto;
using CotaFirmware.Host.Board;
using CotaFirmware.Host.Cloud.Registry;
using CotaFirmware.Host.Cloud;
using CotaFirmware.Linkkit;
using LinkkitIdentity = CotaFirmware.Linkkit.DeviceIdentity;
using CotaFirmware.Tests.Platform;

namespace CotaFirmware.HostTests.Linkkit;

/// <summary>One-type-one-secret registration with the core's client over HTTPS against the local platform, then a signed connection.</summary>
[TestClass]
public sealed class RegistrationEndToEndTests
{
    [TestMethod]
    public async Task RegistersConnectsAndReusesTheStoredSecretAfterAReboot()
    {
        await using var platform = await LocalPlatform.StartAsync();
        var product = platform.Registry.AddProduct();
        platform.Registry.AddDeviceForRegistration(product.ProductKey, "reg-dev-1");
        using var flashFolder = new TempFolder("reg-flash");
        string flash = flashFolder.Path;
        var ca = X509Certificate2.CreateFromPem(platform.CaPem);
        var options = new LinkkitSettings
        {
            MqttDomain = platform.Host,
            Port = platform.MqttTlsPort,
            HttpDomain = "https://" + platform.Host + ":" + platform.HttpsPort,
            UseTls = true,
            ConnectTimeoutMs = 10000,
        };
        // First boot: no secret anywhere, so the device registers and stores what the platform issued.
        var first = new LinkkitIdentity(product.ProductKey, "reg-dev-1", null, product.ProductSecret);
        using (var http = new HttpClientSource(ca))
        {
            var registration = new DeviceRegistration(http, new FileStorage(flash), new ManagedMac(), new Random(1), new RecordingLog(), new ManualClock());
            Assert.AreEqual(RegistrationResult.Registered, registration.Obtain(first, options));
        }

        Assert.AreEqual(platform.Registry.FindDevice(product.ProductKey, "reg-dev-1")!.DeviceSecret, first.DeviceSecret);
        using (var channel = TcpChannel.WithRootCaPem(platform.CaPem))
        {
            var device = HostLinkkit.Open(first, options, channel);
            Expect.Status(LinkkitStatus.Ok, device.Connect());
            device.Close();
        }

        // The connection activated the device: the platform refuses to register it again...
        var again = new LinkkitIdentity(product.ProductKey, "reg-dev-1", null, product.ProductSecret);
        using (var http = new HttpClientSource(ca))
        {
            var registration = new DeviceRegistration(http, new FileStorage(Path.Combine(flash, "blank")), new ManagedMac(), new Random(2), new RecordingLog(), new ManualClock());
            Assert.AreEqual(RegistrationResult.Rejected, registration.Obtain(again, options));
            Assert.AreEqual(DeviceRegistry.CodeAlreadyActivated, registration.LastCode);
        }

        // ...so after a reboot the device must reuse the secret it stored, without asking.
        var rebooted = new LinkkitIdentity(product.ProductKey, "reg-dev-1", null, product.ProductSecret);
        using (var http = new HttpClientSource(ca))
        {
            var registration = new DeviceRegistration(http, new FileStorage(flash), new ManagedMac(), new Random(3), new RecordingLog(), new ManualClock());
            Assert.AreEqual(RegistrationResult.Reused, registration.Obtain(rebooted, options));
        }

        Assert.AreEqual(first.DeviceSecret, rebooted.DeviceSecret);
    }
}
