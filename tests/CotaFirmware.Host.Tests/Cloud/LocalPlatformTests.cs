using System.Net.NetworkInformation;
using System.Net;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Files;
using CotaFirmware.Host.Cloud;

namespace CotaFirmware.HostTests.Cloud;

/// <summary>Starting, stopping and restarting the whole platform.</summary>
[TestClass]
public sealed class LocalPlatformTests
{
    [TestMethod]
    public async Task ListensOnLoopbackOnlyAndFreesItsPortsOnStop()
    {
        var platform = await LocalPlatform.StartAsync();
        var ports = new[] { platform.MqttPort, platform.MqttTlsPort, platform.HttpsPort };
        Assert.AreEqual(3, ports.Distinct().Count());
        var listeners = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners()
            .Where(e => ports.Contains(e.Port)).ToList();
        Assert.AreEqual(3, listeners.Count);
        Assert.IsTrue(listeners.All(e => IPAddress.IsLoopback(e.Address)), string.Join(", ", listeners));

        var folder = platform.DataFolder;
        await platform.StopAsync();
        Assert.IsFalse(IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Any(e => ports.Contains(e.Port)));
        Assert.IsFalse(Directory.Exists(folder));
    }

    [TestMethod]
    public async Task StopCutsAHangingDownload()
    {
        var platform = await LocalPlatform.StartAsync();
        var product = platform.Registry.AddProduct();
        var config = platform.Cota.PublishConfig(product.ProductKey, "{}");
        platform.Files.InjectFault(FileFault.Hang());
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        platform.Files.Arrived += _ => arrived.TrySetResult();
        using var http = new HttpClient(platform.Certificates.CreateTrustingHandler()) { Timeout = TimeSpan.FromSeconds(30) };
        var download = http.GetAsync(platform.Cota.DownloadUrl(config));
        // The server holds the request: the client must see a failure, not its timeout.
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await platform.StopAsync();
        await Assert.ThrowsExactlyAsync<HttpRequestException>(() => download);
    }

    [TestMethod]
    public async Task RegistryAndCaSurviveARestart()
    {
        using var folder = new TempFolder("cota-platform-test");
        string ca;
        await using (var first = await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = folder.Path }))
        {
            var product = first.Registry.AddProduct("pkkeep", "s");
            var device = first.Registry.AddDevice(product.ProductKey, "keep", "devicesecret");
            first.Cota.PublishConfig(product.ProductKey, "{\"a\":1}", "cfgkeep");
            ca = first.CaPem;
            await using var online = await TestDevice.ConnectAsync(first, device);
            var push = await first.Cota.PushToDeviceAsync(product.ProductKey, "keep");
            await online.PublishAsync(online.Sys("thing/config/push_reply"), "{\"id\":\"" + push.PushId + "\",\"code\":200,\"data\":{}}");
            await online.PublishAsync(online.Sys("thing/event/ConfigResult/post"), "{\"id\":\"1\",\"params\":{\"result\":0}}");
            await first.Cota.NextAsync(product.ProductKey, "keep", DeviceMessageKind.Result, TimeSpan.FromSeconds(20));
            await first.Cota.WaitForPushReplyAsync(push, TimeSpan.FromSeconds(20));
        }
        await using var second = await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = folder.Path });
        Assert.AreEqual(ca, second.CaPem);
        Assert.AreEqual("devicesecret", second.Registry.FindDevice("pkkeep", "keep")!.DeviceSecret);
        Assert.IsTrue(second.Registry.FindDevice("pkkeep", "keep")!.Activated);
        var state = second.Registry.CotaState("pkkeep", "keep");
        Assert.IsNotNull(state.LastPushId);
        Assert.AreEqual("cfgkeep", state.LastPushConfigId);
        Assert.AreEqual(200, state.PushReplies.Single().Code);
        Assert.AreEqual("ConfigResult", state.Results.Single().Identifier);
        Assert.AreEqual("cfgkeep", second.Registry.CurrentConfig("pkkeep")!.ConfigId);
        using var http = new HttpClient(second.Certificates.CreateTrustingHandler());
        var body = await http.GetStringAsync(second.Cota.DownloadUrl(second.Registry.FindConfig("cfgkeep")!));
        Assert.AreEqual("{\"a\":1}", body);
    }

    [TestMethod]
    public async Task ACaMissingHalfOfItsPairIsNamedNotReplaced()
    {
        using var folder = new TempFolder("cota-platform-test");
        await (await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = folder.Path })).DisposeAsync();
        string ca = Path.Combine(folder.Path, "ca.pem");
        string caKey = Path.Combine(folder.Path, "ca.key.pem");
        foreach (var (gone, kept) in new[] { (caKey, ca), (ca, caKey) })
        {
            byte[] keptBytes = File.ReadAllBytes(kept);
            byte[] goneBytes = File.ReadAllBytes(gone);
            File.Delete(gone);

            // The devices trust this CA: a new one would cut every device off.
            var e = await Assert.ThrowsExactlyAsync<DamagedDataException>(() => LocalPlatform.StartAsync(new PlatformSettings { DataFolder = folder.Path }));
            StringAssert.Contains(e.Message, gone + " is missing beside " + kept + ": restore it, or delete both to make a new CA");
            CollectionAssert.AreEqual(keptBytes, File.ReadAllBytes(kept), kept + " was changed");
            Assert.IsFalse(File.Exists(gone), gone + " was made anew");
            File.WriteAllBytes(gone, goneBytes);
        }
    }

    [TestMethod]
    public async Task ARestartOnTheSameFolderListensOnTheSamePorts()
    {
        using var folder = new TempFolder("cota-platform-test");
        int[] before;
        string token;
        await using (var first = await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = folder.Path, Console = true }))
        {
            before = new[] { first.MqttPort, first.MqttTlsPort, first.HttpsPort, first.Console!.Port };
            token = first.Console.Token;
        }

        await using var second = await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = folder.Path, Console = true });
        CollectionAssert.AreEqual(before, new[] { second.MqttPort, second.MqttTlsPort, second.HttpsPort, second.Console!.Port });
        Assert.AreEqual(token, second.Console.Token, "an open console page keeps working after a restart");
    }

    [TestMethod]
    public async Task APlatformKilledBeforeARebootDoesNotSeemToRunInTheProcessThatTookItsId()
    {
        using var folder = new TempFolder("cota-platform-test");
        Directory.CreateDirectory(folder.Path);
        // Its process id now names another program, started long after the platform was.
        using var other = System.Diagnostics.Process.Start("sleep", "60");
        try
        {
            File.WriteAllText(Path.Combine(folder.Path, PlatformEndpoints.FileName),
                "{\"Host\": \"127.0.0.1\", \"ProcessId\": " + other.Id + ", \"ProcessStartedAt\": \"2000-01-01T00:00:00+00:00\"}");
            Assert.IsFalse(PlatformEndpoints.Load(folder.Path)!.IsRunning);

            await using var platform = await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = folder.Path });
            Assert.AreEqual(Environment.ProcessId, PlatformEndpoints.Load(folder.Path)!.ProcessId);
        }
        finally
        {
            other.Kill();
            other.WaitForExit();
        }
    }

    [TestMethod]
    public async Task ARecordedPortTakenByAnotherProgramIsAClearError()
    {
        using var folder = new TempFolder("cota-platform-test");
        int tls;
        await using (var first = await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = folder.Path }))
        {
            tls = first.MqttTlsPort;
        }

        var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, tls);
        squatter.Start();
        try
        {
            var e = await Assert.ThrowsExactlyAsync<PortTakenException>(() => LocalPlatform.StartAsync(new PlatformSettings { DataFolder = folder.Path }));
            StringAssert.Contains(e.Message, "port " + tls + " (MQTT over TLS)");
            StringAssert.Contains(e.Message, "taken by another program");
            StringAssert.Contains(e.Message, PlatformEndpoints.FileName);
        }
        finally
        {
            squatter.Stop();
        }
    }

    [TestMethod]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task EveryFileHoldingASecretIsReadableByItsOwnerOnlyAlsoAfterARewrite()
    {

        using var folder = new TempFolder("cota-platform-test");
        await using (var platform = await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = folder.Path, Console = true }))
        {
            var product = platform.Registry.AddProduct();
            platform.Registry.AddDevice(product.ProductKey, "dev1");
            platform.Registry.AddDevice(product.ProductKey, "dev1");
            platform.Registry.AddDevice(product.ProductKey, "dev2");
            // Configs carry Wi-Fi passwords.
            platform.Cota.PublishConfig(product.ProductKey, "{\"wifi\":{\"ssid\":\"x\",\"password\":\"p\"}}", "wifi1");
        }

        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        foreach (var file in new[] { "registry.json", "ca.key.pem", "server.key.pem", PlatformEndpoints.FileName, "configs/wifi1.bin" })
        {
            Assert.AreEqual(ownerOnly, File.GetUnixFileMode(Path.Combine(folder.Path, file)), file);
        }

        const UnixFileMode ownerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.AreEqual(ownerOnlyFolder, File.GetUnixFileMode(folder.Path));
        Assert.AreEqual(ownerOnlyFolder, File.GetUnixFileMode(Path.Combine(folder.Path, "configs")), "configs carry Wi-Fi passwords");
        Assert.IsFalse(Directory.GetFiles(folder.Path).Any(f => f.EndsWith(".tmp", StringComparison.Ordinal)), "no temporary file is left");

        // A device's flash may hold its secret (dynamic registration): every area file is owner-only too.
        // The lock, taken first by a device, makes the folder as owner-only as the storage does.
        using (CotaFirmware.Host.Board.FlashLock.Acquire(Path.Combine(folder.Path, "flash")))
        {
            Assert.AreEqual(ownerOnlyFolder, File.GetUnixFileMode(Path.Combine(folder.Path, "flash")));
        }

        var storage = new CotaFirmware.Host.Board.FileStorage(Path.Combine(folder.Path, "flash"));
        var secret = System.Text.Encoding.ASCII.GetBytes("pk dn secret");
        storage.Write(CotaFirmware.Linkkit.DeviceSecretRecord.Areas[0], 0, secret, 0, secret.Length);
        storage.Write(CotaFirmware.Linkkit.DeviceSecretRecord.Areas[0], 0, secret, 0, secret.Length);
        foreach (var file in Directory.GetFiles(Path.Combine(folder.Path, "flash")))
        {
            Assert.AreEqual(ownerOnly, File.GetUnixFileMode(file), file);
        }
    }
}
