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
    ILogger<BridgeWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        platform.Initialize(new PlatformSettings(o.ApplicationId, o.CertificateThumbprint, o.ServiceFqdn, o.InstancePublicIp, o.InstancePublicPort, o.InstanceInternalPort));
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
