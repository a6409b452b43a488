using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CotaFirmware.Host.Cloud;

/// <summary>The platform's own CA (made on the first run, kept in the data folder) and the localhost server
/// certificate it signs; only clients given the CA trust the platform's TLS endpoints.</summary>
public sealed class PlatformCertificates : IDisposable
{
    private const string CaFile = "ca.pem";
    private const string CaKeyFile = "ca.key.pem";
    private const string ServerFile = "server.pem";
    private const string ServerKeyFile = "server.key.pem";

    // RSA, as Alibaba Cloud's and OSS's certificates are: nanoFramework's TLS (its Mbed TLS configuration) cannot
    // complete a handshake with an ECDSA server.
    private const int KeyBits = 2048;

    private PlatformCertificates(X509Certificate2 ca, X509Certificate2 server, string caPemPath)
    {
        CaCertificate = ca;
        ServerCertificate = server;
        CaPemPath = caPemPath;
        CaPem = File.ReadAllText(caPemPath);
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 CaCertificate { get; }

    /// <summary>The server certificate with its private key: RSA 2048, CN=localhost, SAN localhost, 127.0.0.1, ::1.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>Path of the CA certificate in PEM form.</summary>
    public string CaPemPath { get; }

    /// <summary>The CA certificate in PEM form (what a device pins as its root).</summary>
    public string CaPem { get; }

    /// <summary>Loads the certificates from <paramref name="dataFolder"/>, making the CA on the first run and a
    /// server certificate whenever the stored one is missing or close to expiry.</summary>
    public static PlatformCertificates LoadOrCreate(string dataFolder)
    {
        Directory.CreateDirectory(dataFolder);
        var caPath = Path.Combine(dataFolder, CaFile);
        var caKeyPath = Path.Combine(dataFolder, CaKeyFile);
        const string remakeCa = "delete both to make a new CA (devices and `device --ca` must then be given the new " + CaFile + ")";
        if (File.Exists(caPath) != File.Exists(caKeyPath))
        {
            // Devices trust this CA: a new one, made in its place, would cut every one of them off.
            var (gone, kept) = File.Exists(caPath) ? (caKeyPath, caPath) : (caPath, caKeyPath);
            throw new DamagedDataException(gone + " is missing beside " + kept + ": restore it, or " + remakeCa);
        }
        if (!File.Exists(caPath))
        {
            using var key = RSA.Create(KeyBits);
            var request = new CertificateRequest("CN=CotaFirmware Local IoT Platform CA, O=CotaFirmware", key,
                HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(
                X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            var now = DateTimeOffset.UtcNow;
            using var made = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(20));
            WriteKeyPair(caPath, caKeyPath, made.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
            File.Delete(Path.Combine(dataFolder, ServerFile));
        }
        using var caWithKey = Read(caPath, caKeyPath, () => X509Certificate2.CreateFromPemFile(caPath, caKeyPath), remakeCa);
        var ca = X509CertificateLoader.LoadCertificate(caWithKey.RawData);

        var serverPath = Path.Combine(dataFolder, ServerFile);
        var serverKeyPath = Path.Combine(dataFolder, ServerKeyFile);
        const string remake = "delete both: the platform makes a new one, signed by its CA (nothing else changes)";
        if (!File.Exists(serverPath) || !File.Exists(serverKeyPath)
            || Read(serverPath, serverKeyPath, () => ExpiresSoon(serverPath), remake))
        {
            using var key = RSA.Create(KeyBits);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            san.AddIpAddress(IPAddress.IPv6Loopback);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(
                X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
            var now = DateTimeOffset.UtcNow;
            var serial = RandomNumberGenerator.GetBytes(16);
            serial[0] &= 0x7F;
            using var made = request.Create(caWithKey, now.AddDays(-1), now.AddYears(2), serial);
            WriteKeyPair(serverPath, serverKeyPath, made.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
        }
        using var serverPem = Read(serverPath, serverKeyPath, () => X509Certificate2.CreateFromPemFile(serverPath, serverKeyPath), remake);
        // Through PKCS#12 so that SslStream gets a key it can use on every OS.
        var server = X509CertificateLoader.LoadPkcs12(serverPem.Export(X509ContentType.Pkcs12), null);
        return new PlatformCertificates(ca, server, caPath);
    }

    /// <summary>True when <paramref name="certificate"/> chains to this CA (and only to it).</summary>
    public bool IsTrusted(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(CaCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    /// <summary>A handler for HttpClient that trusts this CA only and checks the host name.</summary>
    public SocketsHttpHandler CreateTrustingHandler()
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
            (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && IsTrusted(cert);
        return handler;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        CaCertificate.Dispose();
        ServerCertificate.Dispose();
    }

    // Reads a certificate and its key; damaged files are named, with what to do about them.
    private static T Read<T>(string certPath, string keyPath, Func<T> read, string fix)
    {
        try
        {
            return read();
        }
        catch (CryptographicException)
        {
            throw new DamagedDataException(certPath + " or " + keyPath + " is damaged (not a PEM certificate and its key): " + fix);
        }
    }

    private static bool ExpiresSoon(string pemPath)
    {
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(pemPath));
        return cert.NotAfter.ToUniversalTime() < DateTime.UtcNow.AddDays(30);
    }

    private static void WriteKeyPair(string certPath, string keyPath, string certPem, string keyPem)
    {
        OwnerOnlyFile.Write(keyPath, keyPem);
        File.WriteAllText(certPath, certPem);
    }
}
