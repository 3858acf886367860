using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Media.V1;
using Switchboard.MediaBridge.Configuration;
using Switchboard.MediaBridge.Fake;
using Switchboard.MediaBridge.Link;
using Switchboard.MediaBridge.Metrics;
using Switchboard.MediaBridge.Sessions;

namespace Switchboard.MediaBridge.Tests;

public class LinkTests
{
    [Fact]
    public async Task AnswersEverySubscriptionChangeWithItsRequestIdAndTheReasonWhenItCannot()
    {
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress("http://127.0.0.1:9");
        var sessions = new SessionRegistry();
        var metrics = BridgeMetrics.Unexported();
        using var platform = new FakeMediaPlatform(0, TimeProvider.System, NullLogger<FakeMediaPlatform>.Instance);
        platform.Initialize(new Platform.PlatformSettings("", "", null, "", "", 0, 0));
        var link = new MediaServiceLink(new MediaService.MediaServiceClient(channel), platform, sessions, new BridgeOptions(), new BridgeHealth(), metrics, TimeProvider.System, NullLogger<MediaServiceLink>.Instance);
        var session = new CallSession("call-1", Frames.Settings() with { VideoReceiveSockets = 1 }, new SessionQueues(10, 10, 10), metrics, NullLogger.Instance);
        sessions.Add(session);
        session.Attach(platform.CreateSession("call-1", Frames.Settings() with { VideoReceiveSockets = 1 }, session));

        var unknown = link.ChangeVideoSubscription(new UpdateVideoSubscription { CallId = "call-9", RequestId = "r1", UnsubscribeMsi = 3 });
        var subscribed = link.ChangeVideoSubscription(new UpdateVideoSubscription { CallId = "call-1", RequestId = "r2", Subscribe = new VideoSubscription { Msi = 3 } });
        var full = link.ChangeVideoSubscription(new UpdateVideoSubscription { CallId = "call-1", RequestId = "r3", Subscribe = new VideoSubscription { Msi = 4 } });

        Assert.Equal(("call-9", "r1", "call call-9 has no media session on this bridge"), Answer(unknown));
        Assert.Equal(("call-1", "r2", ""), Answer(subscribed));
        Assert.Equal(("call-1", "r3", "every video socket of the call is in use (1); unsubscribe one first"), Answer(full));
        Assert.Equal(["video socket 0: msi 3"], platform.Report().Single().SubscriptionChanges);
        var text = await metrics.ExportAsync();
        Assert.Contains("media_bridge_video_subscription_updates_total{result=\"refused\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("media_bridge_video_subscription_updates_total{result=\"changed\"} 1", text, StringComparison.Ordinal);
    }

    private static (string, string, string) Answer(ConnectBridgeRequest request) =>
        (request.VideoSubscriptionUpdated.CallId, request.VideoSubscriptionUpdated.RequestId, request.VideoSubscriptionUpdated.Error);
}
