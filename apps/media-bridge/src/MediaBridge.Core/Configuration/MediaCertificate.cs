using System.Security.Cryptography.X509Certificates;

namespace Switchboard.MediaBridge.Configuration;

/**
 * The media platform's certificate, from the PEM files of a kubernetes.io/tls Secret mounted at
 * MEDIA_CERTIFICATE_DIR (tls.crt, tls.key). Handing it to the platform directly spares the container
 * a certificate store it may not write to. Its thumbprint must be the configured one.
 */
public static class MediaCertificate
{
    public static X509Certificate2 Load(string directory, string expectedThumbprint)
    {
        var certificate = Path.Combine(directory, "tls.crt");
        var key = Path.Combine(directory, "tls.key");
        foreach (var file in new[] { certificate, key })
        {
            if (!File.Exists(file)) throw new InvalidOperationException($"{BridgeConfiguration.CertificateDir}: {file} does not exist");
        }
        X509Certificate2 loaded;
        try
        {
            loaded = X509Certificate2.CreateFromPemFile(certificate, key);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new InvalidOperationException($"{BridgeConfiguration.CertificateDir}: tls.crt and tls.key are not a certificate and its key ({ex.Message})", ex);
        }
        if (!string.Equals(loaded.Thumbprint, expectedThumbprint, StringComparison.OrdinalIgnoreCase))
        {
            var actual = loaded.Thumbprint;
            loaded.Dispose();
            throw new InvalidOperationException(
                $"{BridgeConfiguration.CertificateThumbprint} is {expectedThumbprint} but the certificate in {BridgeConfiguration.CertificateDir} has thumbprint {actual}");
        }
        return loaded;
    }
}
