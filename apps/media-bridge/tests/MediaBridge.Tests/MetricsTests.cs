using Switchboard.MediaBridge.Link;
using Switchboard.MediaBridge.Metrics;
using Switchboard.MediaBridge.Sessions;

namespace Switchboard.MediaBridge.Tests;

public class MetricsTests
{
    [Fact]
    public async Task ExportsSessionsLinkAndPlatformStateAsTheyAreAtScrapeTime()
    {
        var metrics = BridgeMetrics.Unexported();
        var sessions = new SessionRegistry();
        var health = new BridgeHealth { PlatformHealthy = true };
        metrics.Observe(sessions, health);
        sessions.Add(new CallSession("call-1", Frames.Settings(), new SessionQueues(10, 10, 10), metrics, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        metrics.FrameIn(FrameKinds.Audio);
        metrics.DroppedIn(FrameKinds.Audio);
        metrics.SessionEnded(SessionEnd.StreamFailed);

        var text = await metrics.ExportAsync();

        Assert.Contains("media_bridge_sessions 1", text, StringComparison.Ordinal);
        Assert.Contains("media_bridge_link_up 0", text, StringComparison.Ordinal);
        Assert.Contains("media_bridge_platform_healthy 1", text, StringComparison.Ordinal);
        Assert.Contains("media_bridge_frames_in_total{kind=\"audio\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("media_bridge_frames_dropped_total{direction=\"in\",kind=\"audio\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("media_bridge_sessions_ended_total{outcome=\"stream_failed\"} 1", text, StringComparison.Ordinal);

        health.LinkConnected = true;
        sessions.StartDrain();
        text = await metrics.ExportAsync();
        Assert.Contains("media_bridge_link_up 1", text, StringComparison.Ordinal);
        Assert.Contains("media_bridge_draining 1", text, StringComparison.Ordinal);
    }
}
