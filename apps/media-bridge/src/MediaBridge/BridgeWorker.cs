using Switchboard.MediaBridge.Configuration;
using Switchboard.MediaBridge.Link;
using Switchboard.MediaBridge.Platform;
using Switchboard.MediaBridge.Sessions;

namespace Switchboard.MediaBridge.Host;

/** Starts the media platform, keeps the link to the media service, ends every session on stop. */
public sealed class BridgeWorker(
    IMediaPlatform platform,
    MediaServiceLink link,
    SessionRegistry sessions,
    BridgeHealth health,
    Microsoft.Extensions.Options.IOptions<BridgeOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<BridgeWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        try
        {
            var certificate = o.Platform == PlatformKind.Microsoft && o.CertificateDir.Length > 0 ? MediaCertificate.Load(o.CertificateDir, o.CertificateThumbprint) : null;
            platform.Initialize(new PlatformSettings(o.ApplicationId, o.CertificateThumbprint, certificate, o.ServiceFqdn, o.InstancePublicIp, o.InstancePublicPort, o.InstanceInternalPort));
        }
#pragma warning disable CA1031 // Whatever stops the platform stops the process, with the reason.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogCritical("media platform did not start: {Reason}", ex.Message);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
            return;
        }
        health.PlatformHealthy = platform.IsHealthy;
        logger.LogInformation("media platform started ({Platform}), public endpoint {Ip}:{Port}", o.Platform, o.InstancePublicIp, o.InstancePublicPort);
        await link.RunAsync(stoppingToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        sessions.StartDrain();
        foreach (var session in sessions.Sessions) session.End();
        try
        {
            await sessions.WhenIdle(cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("{Count} media sessions still open at stop", sessions.Count);
        }
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        platform.Dispose();
    }
}
