using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Media.V1;
using Switchboard.MediaBridge.Metrics;
using Switchboard.MediaBridge.Platform;
using Switchboard.MediaBridge.Sessions;

namespace Switchboard.MediaBridge.Tests;

public class CallSessionTests
{
    private static CallSession Session(int queue = 100, MediaDirection direction = MediaDirection.SendReceive) =>
        new("call-1", Frames.Settings(direction), new SessionQueues(queue, 10, 5), BridgeMetrics.Unexported(), NullLogger.Instance);

    private static StreamCallResponse Outbound(byte fill, int bytes = 640) =>
        new() { Audio = new OutboundAudioFrame { Data = ByteString.CopyFrom(Enumerable.Repeat(fill, bytes).ToArray()) } };

    /** A session attached to a recording platform session and running on an in-memory stream. */
    private static (CallSession Session, RecordingPlatformSession Platform, MemoryCallStream Stream, Task<SessionEnd> Run) Start()
    {
        var session = Session();
        var platform = new RecordingPlatformSession();
        session.Attach(platform);
        var stream = new MemoryCallStream();
        return (session, platform, stream, session.RunAsync(stream, TimeProvider.System, CancellationToken.None));
    }

    [Fact]
    public async Task OpensTheCallThenForwardsFramesAndEventsInOrder()
    {
        var (session, platform, stream, run) = Start();

        session.OnAudio(Frames.Audio(1, 200_000));
        session.OnTone(Tone.Digit5, 1);
        session.OnDominantSpeakerChanged(7);
        session.OnVideo(new ReceivedVideo(9, PixelFormat.Nv12, 4, 2, new byte[12], 5));
        session.OnStreamFailure(Platform.MediaKind.Video, "lost");
        var requests = await stream.ReadRequests(6);

        Assert.Equal("call-1", requests[0].Open.CallId);
        Assert.Equal(AudioFormat.Pcm16K, requests[0].Open.Settings.AudioFormat);
        Assert.Equal(
            [StreamCallRequest.PayloadOneofCase.Audio, StreamCallRequest.PayloadOneofCase.Tone, StreamCallRequest.PayloadOneofCase.DominantSpeakerChanged,
             StreamCallRequest.PayloadOneofCase.Video, StreamCallRequest.PayloadOneofCase.StreamFailure],
            requests.Skip(1).Select(r => r.PayloadCase));
        Assert.Equal(DtmfTone._5, requests[2].Tone.Tone);

        stream.Responses.Writer.Complete();
        Assert.Equal(SessionEnd.ServiceEnded, await run.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(platform.Disposed);
        Assert.True(stream.Disposed);
    }

    [Fact]
    public async Task WhenTheBridgeEndsItWritesWhatIsQueuedThenHalfClosesAndReleasesTheSockets()
    {
        var session = Session();
        var platform = new RecordingPlatformSession();
        session.Attach(platform);
        var stream = new MemoryCallStream();
        for (byte i = 0; i < 5; i++) session.OnAudio(Frames.Audio(i));
        session.End();

        var outcome = await session.RunAsync(stream, TimeProvider.System, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(SessionEnd.BridgeEnded, outcome);
        Assert.True(stream.Completed);
        Assert.True(platform.Disposed);
        var written = new List<StreamCallRequest>();
        while (stream.Requests.Reader.TryRead(out var r)) written.Add(r);
        Assert.Equal([0, 1, 2, 3, 4], written.Skip(1).Select(r => (int)r.Audio.Data[0]));
    }

    [Fact]
    public void NeverBlocksThePlatformWhenTheStreamIsStuckAndCountsTheDrops()
    {
        var session = Session(queue: 10);
        // No stream is running: nothing drains the queue.
        for (byte i = 0; i < 60; i++) session.OnAudio(Frames.Audio(i));
        Assert.Equal(10, session.ForwardedFrames);
        Assert.Equal(50, session.DroppedFrames);
    }

    [Fact]
    public async Task SendsTheReturnedAudioPacedAndSkipsMalformedFrames()
    {
        var (_, platform, stream, run) = Start();
        await stream.Responses.Writer.WriteAsync(new StreamCallResponse { Opened = new CallOpened { CallId = "call-1", PodName = "media-0" } });
        await stream.Responses.Writer.WriteAsync(Outbound(1));
        await stream.Responses.Writer.WriteAsync(Outbound(2, 320));
        await stream.Responses.Writer.WriteAsync(Outbound(3));

        for (var i = 0; i < 250 && platform.Audio.Count < 2; i++) await Task.Delay(10);
        lock (platform.Audio) Assert.Equal([1, 3], platform.Audio.Select(a => (int)a[0]));

        stream.Responses.Writer.Complete();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AReceiveOnlyCallSendsNoAudio()
    {
        var session = Session(direction: MediaDirection.ReceiveOnly);
        var platform = new RecordingPlatformSession();
        session.Attach(platform);
        session.Pacer.Tick();
        await session.Pacer.EnqueueAsync(new byte[640], CancellationToken.None);
        session.Pacer.Tick();
        Assert.Empty(platform.Audio);
    }

    [Fact]
    public async Task AStreamThatBreaksStillReleasesTheSockets()
    {
        var (_, platform, stream, run) = Start();
        stream.Responses.Writer.Complete(new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Unavailable, "gone")));
        Assert.Equal(SessionEnd.StreamFailed, await run.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(platform.Disposed);
    }

    [Fact]
    public void ChangesVideoSubscriptionsThroughThePlatformAndSaysWhyNot()
    {
        var session = Session();
        var update = (UpdateVideoSubscription u) => session.ChangeVideoSubscription(u);
        Assert.Equal("the call's sockets are not ready", update(new UpdateVideoSubscription { Subscribe = new VideoSubscription { Msi = 3 } }));
        var platform = new RecordingPlatformSession();
        session.Attach(platform);

        Assert.Null(update(new UpdateVideoSubscription { Subscribe = new VideoSubscription { Msi = 3, Format = VideoFormat.Nv12 } }));
        Assert.Null(update(new UpdateVideoSubscription { Kind = Media.V1.MediaKind.ScreenSharing, Subscribe = new VideoSubscription { Msi = 4 } }));
        Assert.Null(update(new UpdateVideoSubscription { UnsubscribeMsi = 3 }));
        Assert.Equal("no free video socket", update(new UpdateVideoSubscription { Subscribe = new VideoSubscription { Msi = 404 } }));
        Assert.Equal("internal media failure", update(new UpdateVideoSubscription { Subscribe = new VideoSubscription { Msi = 500 } }));
        Assert.Equal("update_video_subscription needs subscribe or unsubscribe_msi", update(new UpdateVideoSubscription()));
        Assert.Equal("update_video_subscription kind must be MEDIA_KIND_VIDEO or MEDIA_KIND_SCREEN_SHARING, got MEDIA_KIND_AUDIO",
            update(new UpdateVideoSubscription { Kind = Media.V1.MediaKind.Audio, UnsubscribeMsi = 3 }));
        Assert.Equal(["Video +3", "ScreenSharing +4", "Video -3"], platform.SubscriptionChanges);
    }
}
