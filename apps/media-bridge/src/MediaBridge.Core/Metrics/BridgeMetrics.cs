using Prometheus;
using Switchboard.MediaBridge.Link;
using Switchboard.MediaBridge.Platform;
using Switchboard.MediaBridge.Sessions;

namespace Switchboard.MediaBridge.Metrics;

/** The kind label of frame counters. */
public static class FrameKinds
{
    public const string Audio = "audio";
    public const string Video = "video";
    public const string ScreenSharing = "screen_sharing";

    /** Tones, dominant speaker changes, stream failures. */
    public const string Event = "event";
    public const string Dtmf = "dtmf";

    public static string Of(MediaKind kind) => kind switch
    {
        MediaKind.Audio => Audio,
        MediaKind.ScreenSharing => ScreenSharing,
        _ => Video,
    };
}

/**
 * What the bridge exports on /metrics (Prometheus text format), beside the media container's own
 * media_* metrics: frames each way per kind, drops, sessions, the link and the platform's health.
 */
public sealed class BridgeMetrics
{
    private readonly Counter framesIn;
    private readonly Counter framesOut;
    private readonly Counter dropped;
    private readonly Counter sessionsEnded;
    private readonly Counter subscriptionUpdates;

    public BridgeMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        framesIn = factory.CreateCounter("media_bridge_frames_in_total", "Frames and events from the media platform queued for the media service", "kind");
        framesOut = factory.CreateCounter("media_bridge_frames_out_total", "Frames and DTMF tones the bridge sent into calls", "kind");
        dropped = factory.CreateCounter(
            "media_bridge_frames_dropped_total",
            "Frames dropped. in: the call's queue to the media service was full. out: malformed, no socket sends that kind, or the platform refused it",
            "direction",
            "kind");
        sessionsEnded = factory.CreateCounter("media_bridge_sessions_ended_total", "Media sessions ended, by how", "outcome");
        subscriptionUpdates = factory.CreateCounter("media_bridge_video_subscription_updates_total", "Video subscription changes asked by the media service, by result", "result");
    }

    public CollectorRegistry Registry { get; }

    /** A registry of its own: for a session or link that is not exported (tests). */
    public static BridgeMetrics Unexported() => new(Prometheus.Metrics.NewCustomRegistry());

    /** Gauges read at scrape time from the pod's sessions and health. */
    public void Observe(SessionRegistry sessions, BridgeHealth health)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        var live = factory.CreateGauge("media_bridge_sessions", "Live media sessions");
        var draining = factory.CreateGauge("media_bridge_draining", "1 while the bridge drains");
        var link = factory.CreateGauge("media_bridge_link_up", "1 while ConnectBridge to the media service is open");
        var platform = factory.CreateGauge("media_bridge_platform_healthy", "1 while the media platform takes calls");
        Registry.AddBeforeCollectCallback(() =>
        {
            live.Set(sessions.Count);
            draining.Set(sessions.IsDraining ? 1 : 0);
            link.Set(health.LinkConnected ? 1 : 0);
            platform.Set(health.PlatformHealthy ? 1 : 0);
        });
    }

    public void FrameIn(string kind) => framesIn.WithLabels(kind).Inc();

    public void FrameOut(string kind) => framesOut.WithLabels(kind).Inc();

    public void DroppedIn(string kind) => dropped.WithLabels("in", kind).Inc();

    public void DroppedOut(string kind) => dropped.WithLabels("out", kind).Inc();

    public void SessionEnded(SessionEnd outcome) => sessionsEnded.WithLabels(outcome switch
    {
        SessionEnd.ServiceEnded => "service_ended",
        SessionEnd.BridgeEnded => "bridge_ended",
        _ => "stream_failed",
    }).Inc();

    public void SubscriptionUpdated(bool changed) => subscriptionUpdates.WithLabels(changed ? "changed" : "refused").Inc();

    public async Task<string> ExportAsync(CancellationToken cancellationToken = default)
    {
        using var text = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(text, cancellationToken).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }
}
