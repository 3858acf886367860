using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Switchboard.MediaBridge.Configuration;

namespace Switchboard.MediaBridge.Tests;

public sealed class MediaCertificateTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("media-cert-").FullName;
    private readonly string thumbprint;

    public MediaCertificateTests()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=media.bot.example.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        thumbprint = certificate.Thumbprint;
        File.WriteAllText(Path.Combine(dir, "tls.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "tls.key"), key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void LoadsTheMountedTlsSecretWithItsKey()
    {
        using var loaded = MediaCertificate.Load(dir, thumbprint.ToLowerInvariant());
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(thumbprint, loaded.Thumbprint);
    }

    [Fact]
    public void RefusesACertificateWhoseThumbprintIsNotTheConfiguredOne()
    {
        var wrong = new string('A', 40);
        var error = Assert.Throws<InvalidOperationException>(() => MediaCertificate.Load(dir, wrong));
        Assert.Equal($"MEDIA_CERTIFICATE_THUMBPRINT is {wrong} but the certificate in MEDIA_CERTIFICATE_DIR has thumbprint {thumbprint}", error.Message);
    }

    [Fact]
    public void NamesTheMissingFile()
    {
        File.Delete(Path.Combine(dir, "tls.key"));
        var error = Assert.Throws<InvalidOperationException>(() => MediaCertificate.Load(dir, thumbprint));
        Assert.StartsWith("MEDIA_CERTIFICATE_DIR: ", error.Message);
        Assert.EndsWith("tls.key does not exist", error.Message);
    }
}
