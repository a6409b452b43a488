using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CotaFirmware.HostTests.Cota;

/// <summary>A throwaway root CA and a server certificate it signs, made in memory for TLS tests.</summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates(string subjectAltDns = "", bool forLoopback = true)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=CotaFirmware Test Root", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var caWithKey = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));
        Root = X509CertificateLoader.LoadCertificate(caWithKey.RawData);

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=config server", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        if (forLoopback)
        {
            san.AddIpAddress(IPAddress.Loopback);
        }

        if (subjectAltDns.Length > 0)
        {
            san.AddDnsName(subjectAltDns);
        }

        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        using var leaf = leafRequest.Create(caWithKey, now.AddDays(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var leafWithKey = leaf.CopyWithPrivateKey(leafKey);
        Server = X509CertificateLoader.LoadPkcs12(leafWithKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The root CA (public part only).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Server { get; }

    public void Dispose()
    {
        Root.Dispose();
        Server.Dispose();
    }
}
