using System.Net.Security;
using System.Net.Sockets;
using System.Text.Json;
using System.Text;
using CotaFirmware.Host.Cloud.Registry;
using CotaFirmware.Host.Cloud.Web;
using CotaFirmware.Host.Cloud;
using MQTTnet;

namespace CotaFirmware.HostTests.Cloud;

/// <summary>The platform probed from loopback with what a device holds: no device takes over another's session,
/// nothing is buffered for an unauthenticated length, and slow or idle sockets are closed by deadlines.</summary>
[TestClass]
[DoNotParallelize]
public sealed class PlatformProbeTests
{
    // Far above the test's short deadlines, far below a hang: a socket the platform keeps this long was not closed.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static LocalPlatform _platform = null!;
    private static Product _product = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _platform = await LocalPlatform.StartAsync(new PlatformSettings
        {
            ConnectDeadline = TimeSpan.FromSeconds(2),
            MaxPacketBytes = 4096,
            Console = true,
        });
        _product = _platform.Registry.AddProduct("pkprobe", "productsecret-probe");
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await _platform.StopAsync();
    }

    private static Device NewDevice() =>
        _platform.Registry.AddDevice(_product.ProductKey, "d" + Guid.NewGuid().ToString("N")[..10]);

    // dev1's own secret, dev2's exact client id: what the attacker of the hijack probe sends.
    private static MqttClientOptions Impostor(Device attacker, Device victim, bool cleanSession) =>
        TestDevice.Options(_platform, attacker, signedId: victim.ProductKey + "." + victim.DeviceName,
            clientId: TestDevice.Options(_platform, victim).ClientId, cleanSession: cleanSession);

    [TestMethod]
    public async Task AnotherDeviceCannotResumeAPersistentSession()
    {
        var victim = NewDevice();
        var attacker = NewDevice();
        await using (var owner = await TestDevice.ConnectAsync(victim, TestDevice.Options(_platform, victim, cleanSession: false)))
        {
            Assert.AreEqual(MqttClientSubscribeResultCode.GrantedQoS1, await owner.SubscribeAsync(owner.Sys("thing/config/push")));
        }

        Assert.AreEqual(MqttClientConnectResultCode.ClientIdentifierNotValid,
            await TestDevice.TryConnectAsync(Impostor(attacker, victim, cleanSession: false)));
        Assert.AreEqual("client id in use by another device", _platform.Broker.Refusals[^1].Reason);

        // Nothing the attacker could post reaches the platform as the victim's result.
        Assert.IsFalse(_platform.Cota.Messages.Any(m => m.DeviceName == victim.DeviceName));
    }

    [TestMethod]
    public async Task AnotherDeviceCannotKnockTheOwnerOff()
    {
        var victim = NewDevice();
        var attacker = NewDevice();
        await using var owner = await TestDevice.ConnectAsync(_platform, victim);

        Assert.AreEqual(MqttClientConnectResultCode.ClientIdentifierNotValid,
            await TestDevice.TryConnectAsync(Impostor(attacker, victim, cleanSession: true)));

        Assert.IsTrue(owner.Client.IsConnected);
        _platform.Cota.PublishConfig(_product.ProductKey, "{\"telemetry\":{\"intervalSeconds\":30}}");
        Assert.AreEqual(MqttClientSubscribeResultCode.GrantedQoS1, await owner.SubscribeAsync(owner.Sys("thing/config/push")));
        await _platform.Cota.PushToDeviceAsync(victim.ProductKey, victim.DeviceName);
        StringAssert.Contains(await owner.ReceiveAsync(owner.Sys("thing/config/push")), "thing.config.push");
    }

    [TestMethod]
    public async Task ANewLoginClosesTheDevicesOlderConnectionWhateverItsClientId()
    {
        var device = NewDevice();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var first = await TestDevice.ConnectAsync(device, TestDevice.Options(_platform, device, timestamp: now.ToString()));
        await using var second = await TestDevice.ConnectAsync(device, TestDevice.Options(_platform, device, timestamp: (now + 1).ToString()));

        await first.Disconnected.WaitAsync(Bound);
        Assert.IsTrue(second.Client.IsConnected);
        var online = await _platform.Broker.OnlineDevicesAsync();
        Assert.AreEqual(1, online.Count(d => d.DeviceName == device.DeviceName));
        StringAssert.Contains(online.Single(d => d.DeviceName == device.DeviceName).ClientId, "timestamp=" + (now + 1));
    }

    [TestMethod]
    public async Task AnOversizedConnectIsRefusedBeforeItsBodyIsBuffered()
    {
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long heapBefore = HeapAfterFullCollection();
        var sockets = new List<TcpClient>();
        for (int i = 0; i < 3; i++)
        {
            var socket = new TcpClient();
            await socket.ConnectAsync(_platform.Host, _platform.MqttPort);
            // CONNECT declaring 256 MB (the largest remaining length), then 64 KiB of it.
            var stream = socket.GetStream();
            await stream.WriteAsync(new byte[] { 0x10, 0xFF, 0xFF, 0xFF, 0x7F });
            try
            {
                await stream.WriteAsync(new byte[64 * 1024]);
            }
            catch (IOException)
            {
                // Already closed by the platform: what this test wants.
            }
            sockets.Add(socket);
        }
        foreach (var socket in sockets)
        {
            await ClosedByPeerAsync(socket.GetStream());
            socket.Dispose();
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long heapAfter = HeapAfterFullCollection();

        // Three declared 256 MB bodies; a platform that buffers one allocates 256 MB for it.
        Assert.IsTrue(allocated < 64L * 1024 * 1024, "allocated " + allocated + " bytes for three refused logins");
        Assert.IsTrue(heapAfter - heapBefore < 32L * 1024 * 1024, "heap grew from " + heapBefore + " to " + heapAfter);
        Assert.IsTrue(_platform.Broker.Refusals.Any(r => r.Reason.StartsWith("a CONNECT of 268435455 bytes")));
    }

    [TestMethod]
    public async Task AFirstPacketThatIsNotAConnectIsRefused()
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(_platform.Host, _platform.MqttPort);
        await socket.GetStream().WriteAsync(new byte[] { 0xC0, 0x00 });

        await ClosedByPeerAsync(socket.GetStream());
        Assert.IsTrue(_platform.Broker.Refusals.Any(r => r.Reason == "the first packet is not a CONNECT"));
    }

    [TestMethod]
    public async Task APacketOverTheLimitAfterLoginEndsTheConnection()
    {
        await using var device = await TestDevice.ConnectAsync(_platform, NewDevice());
        try
        {
            await device.PublishAsync(device.Sys("thing/event/property/post"), new string('x', 8000));
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The platform may close before the PUBACK: the disconnect below is what counts.
        }

        await device.Disconnected.WaitAsync(Bound);
        Assert.IsTrue(_platform.Broker.Refusals.Any(r => r.Action == "packet" && r.Reason.Contains("over the limit of 4096")));
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public async Task AnIdleMqttSocketIsClosedAtTheConnectDeadline(bool tls)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(_platform.Host, tls ? _platform.MqttTlsPort : _platform.MqttPort);

        await ClosedByPeerAsync(socket.GetStream());
        Assert.IsTrue(_platform.Broker.Refusals.Any(r => r.Reason == "no complete CONNECT within 2 s"));
    }

    [TestMethod]
    public async Task ASlowRegistrationBodyIsClosed()
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(_platform.Host, _platform.HttpsPort);
        using var tls = new SslStream(socket.GetStream(), false, (_, certificate, _, _) => _platform.Certificates.IsTrusted(certificate));
        await tls.AuthenticateAsClientAsync(_platform.Host);
        await tls.WriteAsync(Encoding.ASCII.GetBytes("POST /auth/register/device HTTP/1.1\r\nHost: " + _platform.Host
            + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\np"));
        await tls.FlushAsync();

        // One byte in, 499 promised: below the minimum rate once the grace period is over.
        await ClosedByPeerAsync(tls);
    }

    [TestMethod]
    public async Task AMalformedRegistrationGetsAJsonCode()
    {
        using var http = new HttpClient(_platform.Certificates.CreateTrustingHandler()) { Timeout = Bound };
        var broken = new ByteArrayContent(Encoding.ASCII.GetBytes("--xyz\r\nContent-Disposition: form-data; name=\"productKey\"\r\n\r\npk"));
        broken.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=xyz");

        using var response = await http.PostAsync(_platform.RegistrationUri, broken);

        Assert.AreEqual(200, (int)response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.AreEqual(DeviceRegistry.CodeBadRequest, json.GetProperty("code").GetInt32());
    }

    [TestMethod]
    public async Task AnOversizedRegistrationGets413()
    {
        using var http = new HttpClient(_platform.Certificates.CreateTrustingHandler()) { Timeout = Bound };
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["productKey"] = _product.ProductKey,
            ["deviceName"] = new string('a', 10 * 1024 * 1024),
        });

        int status;
        try
        {
            using var response = await http.PostAsync(_platform.RegistrationUri, form);
            status = (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The platform answered 413 and closed while the rest of the body was still being sent.
            status = 413;
        }

        Assert.AreEqual(413, status);
    }

    [TestMethod]
    public async Task ConnectionsOverTheCapAreClosedAndLogged()
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var platform = await LocalPlatform.StartAsync(new PlatformSettings { MaxConnections = 2, Log = log.Enqueue });
        var sockets = new List<TcpClient>();
        try
        {
            // The third on the MQTT listeners and the third on the HTTPS server are over the cap. The platform may close
            // one so soon that the connect itself sees the reset: closed either way.
            var ports = new[] { platform.MqttPort, platform.MqttTlsPort, platform.MqttPort, platform.HttpsPort, platform.HttpsPort, platform.HttpsPort };
            var resetAtConnect = new bool[ports.Length];
            for (int i = 0; i < ports.Length; i++)
            {
                var socket = new TcpClient();
                sockets.Add(socket);
                try
                {
                    await socket.ConnectAsync(platform.Host, ports[i]);
                }
                catch (SocketException e) when ((i == 2 || i == 5) && e.SocketErrorCode == SocketError.ConnectionReset)
                {
                    resetAtConnect[i] = true;
                }
            }

            foreach (int over in new[] { 2, 5 })
            {
                if (!resetAtConnect[over])
                {
                    await ClosedByPeerAsync(sockets[over].GetStream());
                }
            }
            Assert.AreEqual("more than 2 open connections", platform.Broker.Refusals.Single().Reason);
            Assert.IsTrue(log.Contains("https: refused a connection: more than 2 open connections"));
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    [TestMethod]
    public async Task ACrossSitePostIsRefused()
    {
        var console = _platform.Console!;
        using var http = new HttpClient { Timeout = Bound };
        int configs = _platform.Registry.Configs.Count;
        var address = "http://127.0.0.1:" + console.Port + "/api/publish?productKey=" + _product.ProductKey;

        // What a page on another site can send without a preflight: a text/plain form post, its Origin attached.
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, address + "&token=" + console.Token)
        {
            Content = new StringContent("{\"telemetry\":{\"intervalSeconds\":5}}", Encoding.UTF8, "text/plain"),
        };
        crossSite.Headers.Add("Origin", "http://evil.example");
        crossSite.Headers.Add(WebConsole.TokenHeader, console.Token);
        using (var response = await http.SendAsync(crossSite))
        {
            Assert.AreEqual(403, (int)response.StatusCode);
        }

        // The token in the address alone never makes a change.
        using (var response = await http.PostAsync(address + "&token=" + console.Token,
                   new StringContent("{\"telemetry\":{\"intervalSeconds\":5}}", Encoding.UTF8, "text/plain")))
        {
            Assert.AreEqual(403, (int)response.StatusCode);
            StringAssert.Contains(await response.Content.ReadAsStringAsync(), WebConsole.TokenHeader);
        }
        Assert.AreEqual(configs, _platform.Registry.Configs.Count, "nothing was published");

        // The page's own request: same origin, token in the header.
        using var own = new HttpRequestMessage(HttpMethod.Post, address)
        {
            Content = new StringContent("{\"telemetry\":{\"intervalSeconds\":5}}", Encoding.UTF8, "text/plain"),
        };
        own.Headers.Add("Origin", "http://127.0.0.1:" + console.Port);
        own.Headers.Add(WebConsole.TokenHeader, console.Token);
        using (var response = await http.SendAsync(own))
        {
            Assert.AreEqual(200, (int)response.StatusCode);
        }
        Assert.AreEqual(configs + 1, _platform.Registry.Configs.Count);
    }

    [TestMethod]
    public async Task TheConsoleCannotBeFramedLeaksNoReferrerAndAnswersOnlyItsOwnName()
    {
        var console = _platform.Console!;
        using var http = new HttpClient { Timeout = Bound };
        using (var page = await http.GetAsync("http://127.0.0.1:" + console.Port + "/"))
        {
            Assert.AreEqual(200, (int)page.StatusCode);
            StringAssert.Contains(page.Headers.GetValues("Content-Security-Policy").Single(), "frame-ancestors 'none'");
            Assert.AreEqual("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        }

        // A name that resolves here by rebinding is not this console's.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:" + console.Port + "/api/state?token=" + console.Token);
        rebound.Headers.Host = "evil.example:" + console.Port;
        using (var response = await http.SendAsync(rebound))
        {
            Assert.AreEqual(421, (int)response.StatusCode);
        }
    }

    // The managed heap's size after a full, compacting collection (GC.GetTotalMemory can read below zero with regions).
    private static long HeapAfterFullCollection()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes;
    }

    // Reads until the platform closes the connection (end of stream or a reset), within the bound.
    private static async Task ClosedByPeerAsync(Stream stream)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var buffer = new byte[1024];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("the platform kept the connection open for " + Bound.TotalSeconds + " s");
        }
    }
}
