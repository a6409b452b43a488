using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace CotaFirmware.HostTests.Gate;

[TestClass]
public sealed class DeviceApiTests
{
    static string _buildDir = "";
    static List<string> _buildFindings = new();

    [ClassInitialize]
    public static void BuildStubs(TestContext context)
    {
        _buildDir = Path.Combine(Path.GetTempPath(), "device-api-" + Guid.NewGuid().ToString("N"));
        _buildFindings = DeviceApi.Build(_buildDir);
    }

    [ClassCleanup]
    public static void RemoveBuild()
    {
        if (Directory.Exists(_buildDir))
        {
            Directory.Delete(_buildDir, recursive: true);
        }
    }

    [TestMethod]
    public void EveryStubAssemblyAndTheCoreCompileThroughTheGateInDependencyOrder() =>
        Assert.AreEqual(0, _buildFindings.Count, "device API stubs:\n" + string.Join("\n", _buildFindings));

    [TestMethod]
    public void EachStubFolderIsListedAndBuildsAnAssemblyWithItsRealName()
    {
        var folders = Directory.EnumerateDirectories(DeviceApi.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var listed = DeviceApi.Assemblies.Select(a => a.Name).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(folders, listed, "tests/DeviceApi folders and DeviceApi.Assemblies differ");
        foreach (var (name, _) in DeviceApi.Assemblies)
        {
            Assert.AreEqual(name, DeviceApi.AssemblyName(DeviceApi.Dll(_buildDir, name)));
        }
    }

    [TestMethod]
    public void StubReferencesComeEarlierInTheOrder()
    {
        var seen = new HashSet<string>();
        foreach (var (name, references) in DeviceApi.Assemblies)
        {
            foreach (string r in references)
            {
                Assert.IsTrue(seen.Contains(r), name + " references " + r + ", which is not built before it");
            }

            seen.Add(name);
        }
    }

    [TestMethod]
    public void EveryStubFileNamesItsSourceAndPackage()
    {
        foreach (var (name, _) in DeviceApi.Assemblies)
        {
            foreach (string file in DeviceApi.Sources(name))
            {
                string header = string.Join("\n", File.ReadLines(file).TakeWhile(l => l.StartsWith("//", StringComparison.Ordinal)));
                StringAssert.Contains(header, "// Source: nanoframework/", file);
                StringAssert.Contains(header, "@ ", file + " names no commit");
                StringAssert.Contains(header, "// Package: ", file);
            }
        }
    }

    [TestMethod]
    public void GlueShapedCodeCompilesAgainstTheStubsAndTheCore()
    {
        var findings = DeviceApi.CheckDeviceSources(_buildDir, new[] { Write(GlueShapedSource) },
            DeviceApi.Assemblies.Where(a => a.Name != "nanoFramework.TestFramework").Select(a => a.Name), "GlueShape");
        Assert.AreEqual(0, findings.Count, string.Join("\n", findings));
    }

    [TestMethod]
    public void AnApiTheDeviceLacksFailsToCompile()
    {
        const string source = "namespace Glue; public static class A { public static void N(System.Net.Sockets.Socket s, System.Net.EndPoint e) => s.ConnectAsync(e); }";
        var findings = DeviceApi.CheckDeviceSources(_buildDir, new[] { Write(source) }, new[] { "System.Net", "System.IO.Streams", "System.Threading" }, "Lacks");
        StringAssert.Contains(string.Join("\n", findings), "ConnectAsync");
    }

    [TestMethod]
    public void CoreUnitTestsCompileInTheDeviceSubset()
    {
        string folder = Repo.Path("tests", "CotaFirmware.Core.Tests");
        var sources = CompileList.Present(folder).Select(p => Path.Combine(folder, p)).ToList();
        Assert.IsTrue(sources.Count > 0);
        var findings = DeviceApi.CheckDeviceSources(_buildDir, sources, new[] { "nanoFramework.TestFramework" }, "CotaFirmware.Core.Tests");
        Assert.AreEqual(0, findings.Count, "the core's unit tests leave the nanoFramework subset:\n" + string.Join("\n", findings));
    }

    static string Write(string source)
    {
        string dir = Path.Combine(_buildDir, "src-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "Glue.cs");
        File.WriteAllText(path, source);
        return path;
    }

    /// <summary>The calls the ESP32 glue makes, in the shapes it makes them: a stand-in until the device app exists.</summary>
    const string GlueShapedSource = """
        using System;
        using System.Device.Gpio;
        using System.Device.Wifi;
        using System.Diagnostics;
        using System.IO;
        using System.Net;
        using System.Net.NetworkInformation;
        using System.Net.Security;
        using System.Net.Sockets;
        using System.Security.Cryptography;
        using System.Security.Cryptography.X509Certificates;
        using System.Threading;
        using nanoFramework.M2Mqtt;
        using nanoFramework.M2Mqtt.Messages;
        using nanoFramework.Networking;
        using nanoFramework.Runtime.Native;
        using CotaFirmware.Platform;

        namespace Glue
        {
            public sealed class Shapes : IStatusLed
            {
                readonly GpioPin _pin;

                public Shapes(GpioController gpio, int pin) { _pin = gpio.OpenPin(pin, PinMode.Output); }

                public void Set(bool on) => _pin.Write(on ? PinValue.High : PinValue.Low);

                public static RadioStatus Join(string ssid, string password)
                {
                    WifiAdapter adapter = WifiAdapter.FindAllAdapters()[0];
                    WifiConnectionResult result = adapter.Connect(ssid, WifiReconnectionKind.Automatic, password);
                    if (result.ConnectionStatus == WifiConnectionStatus.InvalidCredential) return RadioStatus.WrongPassword;
                    var cts = new CancellationTokenSource(15000);
                    bool ok = WifiNetworkHelper.ConnectDhcp(ssid, password, requiresDateTime: true, token: cts.Token);
                    if (!ok && WifiNetworkHelper.Status == NetworkHelperStatus.TokenExpiredWaitingIPAddress) return RadioStatus.Timeout;
                    Sntp.Server1 = "ntp.aliyun.com";
                    Sntp.Start();
                    NetworkChange.NetworkAvailabilityChanged += (s, e) => Debug.WriteLine(e.IsAvailable ? "up" : "down");
                    foreach (NetworkInterface ni in NetworkInterface.GetAllNetworkInterfaces())
                    {
                        if (ni.NetworkInterfaceType == NetworkInterfaceType.Wireless80211 && ni.IPv4Address != "0.0.0.0") return RadioStatus.Ok;
                    }

                    return DateTime.UtcNow.Year >= 2021 ? RadioStatus.Ok : RadioStatus.Joining;
                }

                public static int Tls(string host, int port, byte[] rootCa, byte[] buffer)
                {
                    IPHostEntry entry = Dns.GetHostEntry(host);
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    socket.Connect(new IPEndPoint(entry.AddressList[0], port));
                    var ssl = new SslStream(socket);
                    ssl.SslVerification = SslVerification.CertificateRequired;
                    ssl.AuthenticateAsClient(host, null, new X509Certificate(rootCa), SslProtocols.Tls12);
                    ssl.ReadTimeout = 1000;
                    int n = ssl.DataAvailable ? ssl.Read(buffer, 0, buffer.Length) : 0;
                    ssl.Write(buffer, 0, n);
                    bool closed = socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;
                    ssl.Close();
                    return closed ? (int)ChannelStatus.Closed : n;
                }

                public static long Download(string url, int from, byte[] rootCa, string path, byte[] buffer)
                {
                    var request = (HttpWebRequest)WebRequest.Create(url);
                    request.HttpsAuthentCert = new X509Certificate(rootCa);
                    request.SslProtocols = SslProtocols.Tls12;
                    request.AddRange(from);
                    request.Timeout = 10000;
                    using (var response = (HttpWebResponse)request.GetResponse())
                    using (Stream body = response.GetResponseStream())
                    using (var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write))
                    {
                        if (response.StatusCode != HttpStatusCode.PartialContent) return -1;
                        file.Seek(from, SeekOrigin.Begin);
                        long total = 0;
                        while (total < response.ContentLength)
                        {
                            int n = body.Read(buffer, 0, buffer.Length);
                            if (n <= 0) break;
                            file.Write(buffer, 0, n);
                            total += n;
                        }

                        file.Flush();
                        return total;
                    }
                }

                public static void Files(string dir)
                {
                    if (!Directory.Exists(dir)) Directory.CreateDirectory(dir);
                    foreach (string f in Directory.GetFiles(dir)) if (f.EndsWith(".tmp")) File.Delete(f);
                    if (File.Exists(dir + "\\a.bin")) File.Move(dir + "\\a.bin", dir + "\\b.bin");
                }

                public static byte[] Sign(byte[] key, byte[] content) => HMACSHA256.HashData(key, content);

                public static void Mqtt(string host, byte[] rootCa, string clientId, string user, string password)
                {
                    var client = new MqttClient(host, 8883, true, new X509Certificate(rootCa), null, MqttSslProtocols.TLSv1_2);
                    client.ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
                    client.MqttMsgPublishReceived += (s, e) => Debug.WriteLine(e.Topic + " " + e.Message.Length);
                    client.ConnectionClosed += (s, e) => Debug.WriteLine("closed");
                    if (client.Connect(clientId, user, password, true, 60) != MqttReasonCode.Success) return;
                    client.Subscribe(new[] { "/sys/p/d/thing/config/push" }, new[] { MqttQoSLevel.AtLeastOnce });
                    client.Publish("/sys/p/d/thing/config/get", new byte[0], null, null, MqttQoSLevel.AtMostOnce, false);
                    client.Disconnect();
                }

                public static void Reboot() => Power.RebootDevice();
            }
        }
        """;
}
