using System.Text.Json;
using System.Text;
using CotaFirmware.Host.Cloud.Cota;
using CotaFirmware.Host.Cloud.Files;
using CotaFirmware.Host.Cloud.Registry;
using CotaFirmware.Host.Cloud;
using CotaFirmware.HostTests.Cota;

namespace CotaFirmware.HostTests.Esp32;

/// <summary>
/// The ESP32 application itself (firmware/CotaFirmware.Esp32: its TLS channel, HttpWebRequest client, flash on
/// <c>I:\</c>, M2Mqtt session, reboot) on nanoCLR, the device's interpreter, against the local IoT platform over TLS,
/// inside a 160,000-byte managed heap, for both MQTT sessions (the core client over the TLS channel, and M2Mqtt).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class Esp32OnNanoClrTests
{
    private const string Live = "{\"telemetry\":{\"intervalSeconds\":45},\"statusLed\":{\"pattern\":\"heartbeat\"}}";
    private const string Wifi = "{\"telemetry\":{\"intervalSeconds\":46},\"wifi\":{\"ssid\":\"lab-net\",\"password\":\"lab-pass-1\"}}";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static LocalPlatform _platform = null!;

    // Each test has a product of its own, so that no other test's config is what its device is offered.
    private string _productKey = "";

    // Both MQTT sessions the app runs: the core client over its TLS channel, and M2Mqtt.
    public static IEnumerable<object[]> Transports => new[] { new object[] { "core" }, new object[] { "m2mqtt" } };

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => _platform = await LocalPlatform.StartAsync();

    [TestInitialize]
    public void NewProduct() => _productKey = _platform.Registry.AddProduct().ProductKey;

    [ClassCleanup]
    public static async Task StopAsync() => await _platform.StopAsync();

    [TestMethod]
    [DynamicData(nameof(Transports))]
    public async Task APushIsDownloadedOverHttpsVerifiedStoredAppliedAndReported(string transport)
    {
        using var esp = await OnlineAsync(transport, "push");
        var config = await PublishToAsync(esp, Live);

        var result = await ResultAsync(esp, config.ConfigId);
        Assert.AreEqual(ResultReport.Applied, result.Status, esp.Output());
        await esp.ExpectAsync("module telemetry \\(live\\): section applied");
        var download = _platform.Files.Requests.Last(r => r.ConfigId == config.ConfigId);
        Assert.AreEqual(200, download.Status, esp.Output());
        Assert.AreEqual(config.Size, download.BodyBytes);
    }

    [TestMethod]
    [DynamicData(nameof(Transports))]
    public async Task AConfigThatNeedsARebootEndsTheRunAndIsConfirmedAfterTheNextBoot(string transport)
    {
        using var esp = await OnlineAsync(transport, "reboot");
        var config = await PublishToAsync(esp, Wifi);
        await esp.ExpectAsync("config needs a reboot");
        Assert.AreEqual(0, await esp.Run!.WaitForExitAsync(Wait), esp.Output());
        Assert.IsFalse(Results(esp, config.ConfigId).Any(), "no result before the reboot: " + esp.Output());

        esp.Boot();
        await esp.ExpectAsync("module wifi \\(reboot\\): section applied");
        await esp.ExpectAsync("config on trial, boot 1");
        var result = await ResultAsync(esp, config.ConfigId);
        Assert.AreEqual(ResultReport.Applied, result.Status, esp.Output());
        await esp.ExpectAsync("confirmed: it is the last good config");
    }

    [TestMethod]
    [DynamicData(nameof(Transports))]
    public async Task AConfigPublishedWhileTheAppIsStoppedIsPulledWhenItComesBack(string transport)
    {
        using var esp = await OnlineAsync(transport, "offline");
        esp.Run!.Kill();
        var config = _platform.Cota.PublishConfig(_productKey, Live);

        esp.Boot();
        await esp.ExpectAsync("new config " + config.ConfigId + ", \\d+ bytes, from get");
        var result = await ResultAsync(esp, config.ConfigId);
        Assert.AreEqual(ResultReport.Applied, result.Status, esp.Output());
    }

    [TestMethod]
    [DynamicData(nameof(Transports))]
    public async Task AKillMidDownloadResumesFromTheSavePointAndReportsOneApplied(string transport)
    {
        using var esp = await OnlineAsync(transport, "kill");
        var config = _platform.Cota.PublishConfig(_productKey, Padded(60 * 1024));
        const long cut = 40000;
        _platform.Files.InjectFault(FileFault.ResetAfter(cut, times: 1), config.ConfigId);
        await _platform.Cota.PushToDeviceAsync(_productKey, DeviceName(esp), config.ConfigId);
        await Until(() => _platform.Files.Requests.Any(r => r.ConfigId == config.ConfigId && r.Fault == FileFaultKind.ResetAfter), esp);
        esp.Run!.Kill();

        esp.Boot();
        var result = await ResultAsync(esp, config.ConfigId);
        Assert.AreEqual(ResultReport.Applied, result.Status, esp.Output());
        var requests = _platform.Files.Requests.Where(r => r.ConfigId == config.ConfigId).ToList();
        Assert.IsTrue(requests.Count >= 2, esp.Output());
        // The boot resumes from its save point; the get_reply's fresh URL may restart the request from what landed since.
        long resumedAt = RangeStart(requests[1].Range);
        Assert.IsTrue(resumedAt > 0 && resumedAt <= cut && requests.Skip(1).All(r => RangeStart(r.Range) >= resumedAt),
            "the boot after the kill asks for the rest, not the whole file: " + string.Join(", ", requests.Select(r => r.Range)) + "\n" + esp.Output());
        await esp.ExpectAsync("result of config " + config.ConfigId + ", offer \\d+ delivered");
        Assert.AreEqual(1, Results(esp, config.ConfigId).Count(), esp.Output());
    }

    [TestMethod]
    [DynamicData(nameof(Transports))]
    public async Task APlatformRestartedWhileTheAppIsConnectedIsReconnectedAndItsNextPushApplied(string transport)
    {
        string data = Directory.CreateTempSubdirectory("nanoclr-cloud").FullName;
        var platform = await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = data });
        try
        {
            string pk = platform.Registry.AddProduct().ProductKey;
            var d = platform.Registry.AddDevice(pk, "e32-" + transport + "-restart");
            using var esp = new NanoClrEsp32(platform, transport, NanoClrEsp32.Provisioned(platform, pk, d.DeviceName, d.DeviceSecret!));
            esp.Boot();
            int first = await esp.ExpectAsync("linkkit: connected to ");
            await platform.StopAsync();
            platform = await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = data });
            await esp.ExpectAsync("linkkit: connected to ", from: first + 1);

            var config = platform.Cota.PublishConfig(pk, Live);
            await platform.Cota.PushToDeviceAsync(pk, d.DeviceName, config.ConfigId);
            var message = await platform.Cota.WaitForAsync(m => m.DeviceName == d.DeviceName && m.Kind == DeviceMessageKind.Result
                && ResultReport.From(m)?.ConfigId == config.ConfigId, Wait);
            Assert.AreEqual(ResultReport.Applied, ResultReport.From(message)!.Status, esp.Output());
        }
        finally
        {
            await platform.StopAsync();
            Directory.Delete(data, true);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Transports))]
    public async Task ADownloadServerTheBoardCaDidNotSignEndsTheOfferWithOneFailedResultNamingTls(string transport)
    {
        // A server with a certificate for 127.0.0.1 from another CA: everything but the trust is right.
        string rogueFolder = Directory.CreateTempSubdirectory("nanoclr-rogue").FullName;
        using var rogue = PlatformCertificates.LoadOrCreate(rogueFolder);
        byte[] file = Encoding.UTF8.GetBytes(Live);
        using var server = new RangeServer(file, rogue.ServerCertificate);
        // Published on another product: the device's own product offers it nothing, only the push below.
        var config = _platform.Cota.PublishConfig(_platform.Registry.AddProduct().ProductKey, Live);
        using var esp = await OnlineAsync(transport, "rogue");
        await _platform.Broker.PublishAsync("/sys/" + _productKey + "/" + DeviceName(esp) + "/thing/config/push", Push(config, server.Url()));

        var result = await ResultAsync(esp, config.ConfigId);
        Assert.AreEqual("failed", result.Status, esp.Output());
        StringAssert.Contains(result.Reasons, "TlsFailed", "the result names TLS: " + result.Reasons);
        Assert.IsTrue(server.RangeStarts.IsEmpty, "no request reached the untrusted server");
        Assert.IsFalse(Directory.EnumerateFiles(esp.Flash, "*", SearchOption.AllDirectories).Any(f => File.ReadAllBytes(f).AsSpan().IndexOf(file) >= 0),
            "nothing of the file is stored");
        Directory.Delete(rogueFolder, true);
    }

    [TestMethod]
    [DynamicData(nameof(Transports))]
    public async Task EveryPushOfABurstIsAnswered(string transport)
    {
        // More QoS 1 pushes in one burst than M2Mqtt's delivery ring holds: the broker has each one acked, so each
        // needs its push_reply.
        using var esp = await OnlineAsync(transport, "burst");
        await esp.ExpectAsync("get_reply 6710"); // subscribed: the get went out after the SUBSCRIBE
        var config = _platform.Cota.PublishConfig(_productKey, Live);
        string name = DeviceName(esp);
        string topic = "/sys/" + _productKey + "/" + name + "/thing/config/push";
        string url = _platform.Cota.DownloadUrl(config);
        var ids = Enumerable.Range(9101, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await Task.WhenAll(ids.Select(id => _platform.Broker.PublishAsync(topic, Push(config, url, id), MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)));

        await Until(() => ids.All(id => Replied(name, id)), esp);
        Assert.AreEqual(ResultReport.Applied, (await ResultAsync(esp, config.ConfigId)).Status, esp.Output());
    }

    [TestMethod]
    [DynamicData(nameof(Transports))]
    public async Task DynamicRegistrationOverHttpsStoresASecretThatTheNextBootConnectsWith(string transport)
    {
        var product = _platform.Registry.Products.First(p => p.ProductKey == _productKey);
        string name = "e32-" + transport + "-register";
        _platform.Registry.AddDeviceForRegistration(_productKey, name);
        using var esp = new NanoClrEsp32(_platform, transport, new
        {
            productKey = _productKey, deviceName = name, productSecret = product.ProductSecret, dynamicRegistration = true,
            mqttDomain = _platform.Host, mqttPort = _platform.MqttTlsPort, httpDomain = _platform.Host + ":" + _platform.HttpsPort,
        });
        esp.Boot();
        await esp.ExpectAsync("linkkit: connected to ");
        Assert.IsNotNull(_platform.Registry.FindDevice(_productKey, name)!.DeviceSecret, esp.Output());
        esp.Run!.Kill();

        esp.Boot();
        await esp.ExpectAsync("linkkit: connected to ");
        Assert.IsFalse(esp.Run!.Lines.Any(l => l.Contains("registration failed", StringComparison.Ordinal)), esp.Output());
        var config = _platform.Cota.PublishConfig(_productKey, Live);
        await _platform.Cota.PushToDeviceAsync(_productKey, name, config.ConfigId);
        Assert.AreEqual(ResultReport.Applied, (await ResultAsync(esp, config.ConfigId, name)).Status, esp.Output());
    }

    [TestMethod]
    public async Task ADeviceJsonWhoseIdentityHasTheWrongFormIsRefusedWithALineNamingTheCheck()
    {
        const string secret = "s3cret-that-must-not-be-printed";
        using var esp = new NanoClrEsp32(_platform, "core", NanoClrEsp32.Provisioned(_platform, "a1-not-a-key", "e32-badkey", secret));
        esp.Boot();
        await esp.ExpectAsync("E app: settings refused: LinkKit device: bad product key");
        Assert.IsFalse(esp.Output().Contains(secret, StringComparison.Ordinal), esp.Output());
    }

    // Waits for a state the platform records (not for a line of the device's).
    private static async Task Until(Func<bool> condition, NanoClrEsp32 esp)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("not reached within " + Wait.TotalSeconds + " s; the device printed:\n" + esp.Output());
            }

            await Task.Delay(20);
        }
    }

    [TestMethod]
    public async Task TheNanoClrBoardCommandProvisionsBuildsDeploysAndRunsTheAppAgainstARunningPlatform()
    {
        Gate.NanoToolsGuard.Require();
        string data = Directory.CreateTempSubdirectory("nanoclr-board").FullName;
        var platform = await LocalPlatform.StartAsync(new PlatformSettings { DataFolder = data, Console = true });
        try
        {
            platform.Registry.AddProduct();
            var psi = new System.Diagnostics.ProcessStartInfo(NanoBuild.ToolProcess.Dotnet)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = data,
            };
            psi.ArgumentList.Add(typeof(CotaFirmware.NanoClrBoard.Program).Assembly.Location);
            psi.ArgumentList.Add("--data");
            psi.ArgumentList.Add(data);
            using var command = System.Diagnostics.Process.Start(psi)!;
            var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            command.OutputDataReceived += (_, e) =>
            {
                if (e.Data != null)
                {
                    output.Enqueue(e.Data);
                    if (e.Data.Contains("linkkit: connected to ", StringComparison.Ordinal))
                    {
                        connected.TrySetResult();
                    }
                }
            };
            command.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
            command.BeginOutputReadLine();
            command.BeginErrorReadLine();
            bool done = await Task.WhenAny(connected.Task, command.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(4))) == connected.Task;
            command.Kill(entireProcessTree: true);
            await command.WaitForExitAsync();
            string said = string.Join("\n", output.Where(l => !l.StartsWith("Loaded:", StringComparison.Ordinal)).TakeLast(40));
            Assert.IsTrue(done, "the board's app never connected:\n" + said);
            Assert.IsTrue(output.Any(l => l.StartsWith("provisioned esp1 in product ", StringComparison.Ordinal)), said);
            Assert.IsTrue(File.Exists(Path.Combine(data, "nanoclr-flash-esp1", "device.json")), said);
        }
        finally
        {
            await platform.StopAsync();
            Directory.Delete(data, true);
        }
    }

    private NanoClrEsp32 Device(string transport, string test)
    {
        var d = _platform.Registry.AddDevice(_productKey, "e32-" + transport + "-" + test);
        return new NanoClrEsp32(_platform, transport, NanoClrEsp32.Provisioned(_platform, _productKey, d.DeviceName, d.DeviceSecret!));
    }

    // The app for this test's device, booted and connected to the platform.
    private async Task<NanoClrEsp32> OnlineAsync(string transport, string test)
    {
        var esp = Device(transport, test);
        try
        {
            esp.Boot();
            await esp.ExpectAsync("linkkit: connected to ");
            return esp;
        }
        catch
        {
            esp.Dispose();
            throw;
        }
    }

    // Publishes a config on this test's product and pushes it to the app's device.
    private async Task<ConfigFile> PublishToAsync(NanoClrEsp32 esp, string json)
    {
        var config = _platform.Cota.PublishConfig(_productKey, json);
        await _platform.Cota.PushToDeviceAsync(_productKey, DeviceName(esp), config.ConfigId);
        return config;
    }

    private static string DeviceName(NanoClrEsp32 esp) => JsonDocument.Parse(File.ReadAllText(Path.Combine(esp.Flash, "device.json"))).RootElement.GetProperty("deviceName").GetString()!;

    private IEnumerable<ResultReport> Results(NanoClrEsp32 esp, string configId, string? name = null)
    {
        name ??= DeviceName(esp);
        return _platform.Cota.Messages.Where(m => m.DeviceName == name && m.Kind == DeviceMessageKind.Result)
            .Select(ResultReport.From).Where(r => r?.ConfigId == configId).Select(r => r!);
    }

    private async Task<ResultReport> ResultAsync(NanoClrEsp32 esp, string configId, string? name = null)
    {
        name ??= DeviceName(esp);
        try
        {
            var message = await _platform.Cota.WaitForAsync(m => m.DeviceName == name && m.Kind == DeviceMessageKind.Result
                && ResultReport.From(m)?.ConfigId == configId, Wait);
            return ResultReport.From(message)!;
        }
        catch (TimeoutException)
        {
            Assert.Fail("no result for " + configId + " within " + Wait.TotalSeconds + " s; the device printed:\n" + esp.Output());
            throw;
        }
    }

    // A config of `size` bytes that applies live: unknown keys would reject it, so the bulk is whitespace between members.
    private static string Padded(int size)
    {
        const string head = "{\"telemetry\":{\"intervalSeconds\":50},";
        const string tail = "\"statusLed\":{\"pattern\":\"blink\"}}";
        return head + new string(' ', size - head.Length - tail.Length) + tail;
    }

    // The first byte of a "bytes=N-" header, or 0 without one.
    private static long RangeStart(string? range) =>
        range != null && range.StartsWith("bytes=", StringComparison.Ordinal) ? long.Parse(range[6..range.IndexOf('-', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture) : 0;

    private bool Replied(string name, string pushId)
    {
        return _platform.Cota.Messages.Any(m => m.DeviceName == name && m.Kind == DeviceMessageKind.PushReply && m.Id?.Trim('"') == pushId);
    }

    private static string Push(ConfigFile config, string url, string id = "9001")
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("version", "1.0");
            json.WriteStartObject("params");
            PlatformCota.WriteConfigFields(json, config, url);
            json.WriteEndObject();
            json.WriteString("method", "thing.config.push");
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
