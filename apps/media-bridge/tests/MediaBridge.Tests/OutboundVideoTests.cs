using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Media.V1;
using Switchboard.MediaBridge.Metrics;
using Switchboard.MediaBridge.Platform;
using Switchboard.MediaBridge.Sessions;
using MediaKind = Switchboard.MediaBridge.Platform.MediaKind;
using ProtoKind = Switchboard.Media.V1.MediaKind;

namespace Switchboard.MediaBridge.Tests;

public class OutboundVideoTests
{
    private sealed record Running(CallSession Session, RecordingPlatformSession Platform, MemoryCallStream Stream, Task<SessionEnd> Run, BridgeMetrics Metrics);

    private static Running Start(SessionSettings settings, bool sendStatusActive = true)
    {
        var metrics = BridgeMetrics.Unexported();
        var session = new CallSession("call-1", settings, new SessionQueues(100, 10, 5), metrics, NullLogger.Instance);
        var platform = new RecordingPlatformSession { SendStatusActive = sendStatusActive };
        session.Attach(platform);
        var stream = new MemoryCallStream();
        return new Running(session, platform, stream, session.RunAsync(stream, TimeProvider.System, CancellationToken.None), metrics);
    }

    private static StreamCallResponse Video(VideoFormat format, uint width, uint height, ProtoKind kind = ProtoKind.Unspecified, int bytes = 16) =>
        new() { Video = new VideoFrame { Format = format, Width = width, Height = height, Kind = kind, Data = ByteString.CopyFrom(new byte[bytes]) } };

    private static async Task Until(Func<bool> done)
    {
        for (var i = 0; i < 500 && !done(); i++) await Task.Delay(10);
        Assert.True(done());
    }

    private static async Task End(Running running)
    {
        running.Stream.Responses.Writer.Complete();
        await running.Run.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task SendsEachReturnedFrameOnTheSocketOfItsKindAndDropsMalformedOnesAndOthersThanItsSendFormats()
    {
        var running = Start(Frames.SendingVideo());
        var responses = running.Stream.Responses.Writer;
        await responses.WriteAsync(Video(VideoFormat.H264, 320, 180));
        await responses.WriteAsync(Video(VideoFormat.Nv12, 1280, 720, ProtoKind.ScreenSharing));
        await responses.WriteAsync(Video(VideoFormat.H264, 320, 180, bytes: 0));
        await responses.WriteAsync(Video(VideoFormat.H264, 320, 180, ProtoKind.Audio));
        await responses.WriteAsync(Video(VideoFormat.H264, 640, 360));
        await responses.WriteAsync(Video(VideoFormat.H264, 320, 180, ProtoKind.Video, bytes: 32));

        await Until(() => running.Session.OutboundVideoSent == 3 && running.Session.DroppedOutbound == 3);
        lock (running.Platform.Video)
        {
            // Each kind has its own pacer: order holds within a kind.
            Assert.Equal([16, 32], running.Platform.Video.Where(v => v.Kind == MediaKind.Video).Select(v => v.Data.Length));
            Assert.Equal((1280, 720), running.Platform.Video.Where(v => v.Kind == MediaKind.ScreenSharing).Select(v => (v.Width, v.Height)).Single());
        }
        var text = await running.Metrics.ExportAsync();
        Assert.Contains("media_bridge_frames_out_total{kind=\"video\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("media_bridge_frames_out_total{kind=\"screen_sharing\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("media_bridge_frames_dropped_total{direction=\"out\",kind=\"video\"} 3", text, StringComparison.Ordinal);
        await End(running);
    }

    [Fact]
    public async Task ACallWhoseVideoOnlyReceivesDropsOutboundVideoAndCountsIt()
    {
        var running = Start(Frames.Settings() with { Video = [new VideoRequest(9, PixelFormat.Nv12, 640, 360)] });
        Assert.Null(running.Session.VideoPacer(MediaKind.Video));
        await running.Stream.Responses.Writer.WriteAsync(Video(VideoFormat.Nv12, 320, 180));
        await running.Stream.Responses.Writer.WriteAsync(Video(VideoFormat.Nv12, 320, 180, ProtoKind.ScreenSharing));

        await Until(() => running.Session.DroppedOutbound == 2);
        Assert.Empty(running.Platform.Video);
        Assert.Equal(0, running.Session.OutboundVideoSent);
        await End(running);
    }

    [Fact]
    public async Task FramesThePlatformDoesNotTakeYetAreDroppedAndCounted()
    {
        var running = Start(Frames.SendingVideo(), sendStatusActive: false);
        await running.Stream.Responses.Writer.WriteAsync(Video(VideoFormat.H264, 320, 180));

        await Until(() => running.Session.DroppedOutbound == 1);
        Assert.Empty(running.Platform.Video);
        Assert.Contains("media_bridge_frames_dropped_total{direction=\"out\",kind=\"video\"} 1", await running.Metrics.ExportAsync(), StringComparison.Ordinal);
        await End(running);
    }

    [Fact]
    public void EachSendingSocketIsPacedAtItsFastestFormatsRate()
    {
        var session = new CallSession("call-1", Frames.SendingVideo(), new SessionQueues(100, 10, 5), BridgeMetrics.Unexported(), NullLogger.Instance);
        Assert.Equal(TimeSpan.FromSeconds(1 / 30f), session.VideoPacer(MediaKind.Video)?.Period);
        Assert.Equal(TimeSpan.FromSeconds(1 / 15f), session.VideoPacer(MediaKind.ScreenSharing)?.Period);
    }

    [Fact]
    public async Task TheVideoPacerMakesAFastSenderWaitOnceItsQueueIsFull()
    {
        var session = new CallSession("call-1", Frames.SendingVideo(), new SessionQueues(100, 10, 2), BridgeMetrics.Unexported(), NullLogger.Instance);
        var platform = new RecordingPlatformSession();
        session.Attach(platform);
        var pacer = session.VideoPacer(MediaKind.Video)!;
        var frame = new OutboundVideo(MediaKind.Video, PixelFormat.H264, 320, 180, [1], 0);
        await pacer.EnqueueAsync(frame, CancellationToken.None);
        await pacer.EnqueueAsync(frame, CancellationToken.None);
        var third = pacer.EnqueueAsync(frame, CancellationToken.None);
        Assert.False(third.IsCompleted);

        Assert.True(pacer.Tick());
        await third.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Single(platform.Video);
        Assert.Equal(1, session.OutboundVideoSent);
    }

    [Fact]
    public async Task SendsDtmfThroughTheAudioSocketAndRefusesWhatItCannotSend()
    {
        var running = Start(Frames.Settings());
        var dtmf = new SendDtmfTones { DelayBetweenTonesMs = 100 };
        dtmf.Tones.AddRange([DtmfTone._1, DtmfTone.Pound]);
        var empty = new SendDtmfTones();
        var bad = new SendDtmfTones();
        bad.Tones.Add(DtmfTone.Unspecified);
        await running.Stream.Responses.Writer.WriteAsync(new StreamCallResponse { SendDtmf = dtmf });
        await running.Stream.Responses.Writer.WriteAsync(new StreamCallResponse { SendDtmf = empty });
        await running.Stream.Responses.Writer.WriteAsync(new StreamCallResponse { SendDtmf = bad });

        await Until(() => running.Session.DroppedOutbound == 2);
        var sent = Assert.Single(running.Platform.Tones);
        Assert.Equal([Tone.Digit1, Tone.Pound], sent.Tones);
        Assert.Equal(100, sent.Delay);
        Assert.Contains("media_bridge_frames_out_total{kind=\"dtmf\"} 2", await running.Metrics.ExportAsync(), StringComparison.Ordinal);
        await End(running);
    }

    [Fact]
    public async Task AReceiveOnlyCallSendsNoDtmf()
    {
        var running = Start(Frames.Settings(MediaDirection.ReceiveOnly));
        var dtmf = new SendDtmfTones();
        dtmf.Tones.Add(DtmfTone._5);
        await running.Stream.Responses.Writer.WriteAsync(new StreamCallResponse { SendDtmf = dtmf });

        await Until(() => running.Session.DroppedOutbound == 1);
        Assert.Empty(running.Platform.Tones);
        await End(running);
    }
}
