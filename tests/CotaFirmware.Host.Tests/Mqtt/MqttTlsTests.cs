using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CotaFirmware.Host.Board;
using CotaFirmware.Host.Cli;
using CotaFirmware.Mqtt;

namespace CotaFirmware.HostTests.Mqtt;

/// <summary>TLS to mosquitto with a CA made at test time: trusted, wrong host name, untrusted CA.</summary>
[TestClass]
public sealed class MqttTlsTests
{
    private static X509Certificate2 MakeCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static (string CertPem, string KeyPem) MakeServer(X509Certificate2 ca)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var cert = req.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));
        return (cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private static Mosquitto StartTlsBroker(X509Certificate2 ca)
    {
        var owned = Mosquitto.NewFolder();
        string folder = owned.Path;
        var (certPem, keyPem) = MakeServer(ca);
        File.WriteAllText(Path.Combine(folder, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "server.pem"), certPem);
        File.WriteAllText(Path.Combine(folder, "server.key"), keyPem);
        return Mosquitto.Start(
            $"cafile {Path.Combine(folder, "ca.pem")}\ncertfile {Path.Combine(folder, "server.pem")}\nkeyfile {Path.Combine(folder, "server.key")}\n",
            owned);
    }

    [TestMethod]
    public void TrustedCaAndMatchingHostNameGiveAWorkingSession()
    {
        using var ca = MakeCa("CotaFirmware Test CA");
        using var broker = StartTlsBroker(ca);
        var channel = TcpChannel.WithRootCaPem(ca.ExportCertificatePem());
        var client = new MqttClient(channel, new HostClock(), MqttBrokerTests.Settings());
        string got = "";
        client.MessageReceived = m => got = Encoding.UTF8.GetString(m.Buffer, m.PayloadOffset, m.PayloadCount);
        Assert.AreEqual(MqttStatus.Ok, MqttBrokerTests.Open(client, channel, broker.Port, "dev-tls", "localhost", tls: true));
        client.Subscribe("tls/echo", 1);
        byte[] p = Encoding.UTF8.GetBytes("over tls");
        Assert.AreEqual(MqttStatus.Ok, client.Publish("tls/echo", p, 0, p.Length, 1, false));
        Assert.IsTrue(MqttBrokerTests.Pump(client, () => got.Length > 0 && client.InFlightCount == 0));
        Assert.AreEqual("over tls", got);
        client.Disconnect();
    }

    [TestMethod]
    public void HostNameMismatchIsRefused()
    {
        using var ca = MakeCa("CotaFirmware Test CA");
        using var broker = StartTlsBroker(ca);
        var channel = TcpChannel.WithRootCaPem(ca.ExportCertificatePem());
        Assert.AreEqual(ChannelStatus.TlsFailed, channel.Connect("127.0.0.1", broker.Port, true, 3000), "the certificate names localhost only");

        // Through the LinkKit session port, the failure maps once to ChannelFailed and the log names the channel's status.
        var log = new RecordingLog();
        var session = new CotaFirmware.Linkkit.MqttClientSession(channel, new HostClock(), MqttBrokerTests.Settings(), log);
        Assert.AreEqual(MqttStatus.ChannelFailed, session.Connect(
            new CotaFirmware.Linkkit.ConnectionCredentials { Host = "127.0.0.1", Port = broker.Port, UseTls = true, ClientId = "dev-tls-name", KeepAliveSeconds = 30, CleanSession = true },
            3000));
        Assert.IsFalse(session.IsConnected);
        StringAssert.Contains(log.ToString(), "cannot reach 127.0.0.1:" + broker.Port + ": tls failed");
    }

    [TestMethod]
    public void CertificateFromAnotherCaIsRefused()
    {
        using var ca = MakeCa("CotaFirmware Test CA");
        using var other = MakeCa("Someone Else");
        using var broker = StartTlsBroker(ca);
        var channel = TcpChannel.WithRootCaPem(other.ExportCertificatePem());
        Assert.AreEqual(ChannelStatus.TlsFailed, channel.Connect("localhost", broker.Port, true, 3000));
        var good = TcpChannel.WithRootCaPem(ca.ExportCertificatePem());
        Assert.AreEqual(ChannelStatus.Ok, good.Connect("localhost", broker.Port, true, 3000));
        var buffer = new byte[8];
        Assert.AreEqual(0, good.Read(buffer, 0, 8, 50), "a read with nothing to read times out with 0");
        good.Close();
        Expect.Status(ChannelStatus.Closed, good.Read(buffer, 0, 8, 50));
    }
}
