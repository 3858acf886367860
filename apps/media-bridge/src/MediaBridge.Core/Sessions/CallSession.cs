using Grpc.Core;
using Microsoft.Extensions.Logging;
using Switchboard.Media.V1;
using Switchboard.MediaBridge.Metrics;
using Switchboard.MediaBridge.Platform;
using MediaKind = Switchboard.MediaBridge.Platform.MediaKind;

namespace Switchboard.MediaBridge.Sessions;

/** How a call's media session ended. */
public enum SessionEnd
{
    /** The media service ended the call's stream. */
    ServiceEnded,

    /** The bridge ended it (end_session, drain, shutdown). */
    BridgeEnded,

    /** The stream broke (the media service went away, or refused the call). */
    StreamFailed,
}

/** Bounds of a call's queues: received frames waiting for the stream, outbound frames waiting for their slot. */
public sealed record SessionQueues(int Inbound, int OutboundAudio, int OutboundVideo);

/**
 * One call: the platform's sockets on one side, the call's StreamCall to the media service on the
 * other. Platform events are translated and queued without blocking; a pump writes them to the
 * stream; a reader sends back the audio and video (each paced) and the DTMF the media service returns.
 */
public sealed class CallSession : IPlatformEvents
{
    public static readonly TimeSpan AudioFramePeriod = TimeSpan.FromMilliseconds(20);

    private readonly SessionSettings settings;
    private readonly BridgeMetrics metrics;
    private readonly ILogger logger;
    private readonly FrameQueue<StreamCallRequest> inbound;
    private readonly OutboundPacer<ReadOnlyMemory<byte>> pacer;
    private readonly Dictionary<MediaKind, VideoSender> videoSenders = [];
    private readonly CancellationTokenSource ending = new();
    private readonly TaskCompletionSource<SessionEnd> ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IPlatformSession? platformSession;
    private long outboundVideo;
    private long droppedOutbound;

    public CallSession(string callId, SessionSettings settings, SessionQueues queues, BridgeMetrics metrics, ILogger logger)
    {
        CallId = callId;
        this.settings = settings;
        this.metrics = metrics;
        this.logger = logger;
        inbound = new FrameQueue<StreamCallRequest>(queues.Inbound);
        pacer = new OutboundPacer<ReadOnlyMemory<byte>>(queues.OutboundAudio, AudioFramePeriod, SendAudio);
        // A socket that sends gets a pacer at its fastest format's rate; frames for a kind without one are dropped.
        foreach (var plan in VideoLayout.Sending(settings))
        {
            videoSenders[plan.Kind] = new VideoSender(plan, new OutboundPacer<OutboundVideo>(queues.OutboundVideo, VideoLayout.SendPeriod(plan), SendVideo));
        }
    }

    public string CallId { get; }

    /** Received frames and events dropped because the stream could not keep up. */
    public long DroppedFrames => inbound.Dropped;

    public long ForwardedFrames => inbound.Accepted;

    public long OutboundAudioSent => pacer.Sent;

    public long OutboundVideoSent => Interlocked.Read(ref outboundVideo);

    /** Outbound frames and tones not sent: malformed, no socket sends them, or the platform refused them. */
    public long DroppedOutbound => Interlocked.Read(ref droppedOutbound);

    public Task<SessionEnd> Ended => ended.Task;

    internal OutboundPacer<ReadOnlyMemory<byte>> Pacer => pacer;

    internal OutboundPacer<OutboundVideo>? VideoPacer(MediaKind kind) => videoSenders.GetValueOrDefault(kind)?.Pacer;

    /** The platform's sockets for this call; released when the session ends. */
    public void Attach(IPlatformSession session) => platformSession = session;

    public void OnAudio(ReceivedAudio audio) => Offer(FrameTranslation.ToRequest(audio), FrameKinds.Audio);

    public void OnVideo(ReceivedVideo video) => Offer(FrameTranslation.ToRequest(video), FrameKinds.Of(video.Kind));

    public void OnDominantSpeakerChanged(uint? speakerMsi) => Offer(FrameTranslation.DominantSpeaker(speakerMsi), FrameKinds.Event);

    public void OnTone(Tone tone, uint sequenceId) => Offer(FrameTranslation.ToneReceived(tone, sequenceId), FrameKinds.Event);

    public void OnStreamFailure(MediaKind kind, string message)
    {
        logger.LogWarning("media stream failure {Kind}: {Reason}", kind, message);
        Offer(FrameTranslation.StreamFailure(kind, message), FrameKinds.Event);
    }

    /** A subscription change the media service asked for: null when done, otherwise why not. */
    public string? ChangeVideoSubscription(UpdateVideoSubscription update)
    {
        try
        {
            var kind = FrameTranslation.VideoKindOf(update.Kind, "update_video_subscription");
            var platform = platformSession ?? throw new InvalidSettingsException("the call's sockets are not ready");
            switch (update.ChangeCase)
            {
                case Media.V1.UpdateVideoSubscription.ChangeOneofCase.Subscribe:
                    platform.Subscribe(kind, FrameTranslation.ToWantedVideo(update.Subscribe));
                    logger.LogInformation("{Kind} of msi {Msi} subscribed", kind, update.Subscribe.Msi);
                    break;
                case Media.V1.UpdateVideoSubscription.ChangeOneofCase.UnsubscribeMsi:
                    platform.Unsubscribe(kind, update.UnsubscribeMsi);
                    logger.LogInformation("{Kind} of msi {Msi} unsubscribed", kind, update.UnsubscribeMsi);
                    break;
                default:
                    throw new InvalidSettingsException("update_video_subscription needs subscribe or unsubscribe_msi");
            }
            metrics.SubscriptionUpdated(true);
            return null;
        }
#pragma warning disable CA1031 // Whatever the platform throws (an invalid subscription, a media failure) is the answer, and the link stays up.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            metrics.SubscriptionUpdated(false);
            logger.LogWarning("video subscription not changed: {Reason}", ex.Message);
            return ex.Message;
        }
    }

    /** Ends the session from the bridge's side: the stream is half-closed once queued frames are written. */
    public void End()
    {
        inbound.Complete();
    }

    /**
     * Runs the call's stream until either side ends it, then releases the platform's sockets.
     * Never throws: how it ended is the result.
     */
    public async Task<SessionEnd> RunAsync(ICallStream stream, TimeProvider time, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, ending.Token);
        var token = linked.Token;
        var outcome = SessionEnd.StreamFailed;
        var pacing = Task.WhenAll(videoSenders.Values.Select(v => v.Pacer.RunAsync(time, token)).Append(pacer.RunAsync(time, token)));
        try
        {
            await stream.WriteAsync(new StreamCallRequest { Open = new OpenCall { CallId = CallId, Settings = FrameTranslation.ToProto(settings) } }, token)
                .ConfigureAwait(false);
            var pump = PumpAsync(stream, token);
            var read = ReadAsync(stream, token);
            var first = await Task.WhenAny(pump, read).ConfigureAwait(false);
            if (first == pump)
            {
                // The bridge ended the call: what was queued is written; let the service finish.
                await stream.CompleteAsync().ConfigureAwait(false);
                await read.WaitAsync(TimeSpan.FromSeconds(10), time, CancellationToken.None).ConfigureAwait(false);
                outcome = await pump.ConfigureAwait(false) ? SessionEnd.BridgeEnded : SessionEnd.StreamFailed;
            }
            else
            {
                outcome = await read.ConfigureAwait(false) ? SessionEnd.ServiceEnded : SessionEnd.StreamFailed;
            }
        }
        catch (RpcException ex)
        {
            logger.LogWarning("media stream ended with {Status}: {Detail}", ex.StatusCode, ex.Status.Detail);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning("media stream ended: {Reason}", ex.Message);
        }
        finally
        {
            await ending.CancelAsync().ConfigureAwait(false);
            inbound.Complete();
            await pacing.ConfigureAwait(false);
            platformSession?.Dispose();
            stream.Dispose();
            ended.TrySetResult(outcome);
            metrics.SessionEnded(outcome);
            logger.LogInformation(
                "media session ended ({Outcome}): {Forwarded} frames and events forwarded, {Dropped} dropped, {AudioSent} audio and {VideoSent} video frames sent, {DroppedOutbound} outbound dropped",
                outcome, ForwardedFrames, DroppedFrames, OutboundAudioSent, OutboundVideoSent, DroppedOutbound);
        }
        return outcome;
    }

    /** True when the queue was completed (the bridge ended the call) rather than cancelled. */
    private async Task<bool> PumpAsync(ICallStream stream, CancellationToken token)
    {
        await foreach (var request in inbound.Reader.ReadAllAsync(token).ConfigureAwait(false))
        {
            await stream.WriteAsync(request, token).ConfigureAwait(false);
        }
        return true;
    }

    /** True when the media service ended the stream with OK. */
    private async Task<bool> ReadAsync(ICallStream stream, CancellationToken token)
    {
        await foreach (var response in stream.ReadAllAsync(token).ConfigureAwait(false))
        {
            switch (response.PayloadCase)
            {
                case StreamCallResponse.PayloadOneofCase.Opened:
                    logger.LogInformation("media stream opened on {Pod}", response.Opened.PodName);
                    break;
                case StreamCallResponse.PayloadOneofCase.Audio:
                    var problem = FrameTranslation.OutboundAudioProblem(response.Audio);
                    if (problem is null) await pacer.EnqueueAsync(response.Audio.Data.Memory, token).ConfigureAwait(false);
                    else Drop(FrameKinds.Audio, problem);
                    break;
                case StreamCallResponse.PayloadOneofCase.Video:
                    await EnqueueVideoAsync(response.Video, token).ConfigureAwait(false);
                    break;
                case StreamCallResponse.PayloadOneofCase.SendDtmf:
                    SendTones(response.SendDtmf);
                    break;
                case StreamCallResponse.PayloadOneofCase.Event:
                    logger.LogDebug("media event {Event}", response.Event.EventCase);
                    break;
                case StreamCallResponse.PayloadOneofCase.Error:
                    logger.LogWarning("media service reports {Code}: {Reason}", response.Error.Code, response.Error.Message);
                    break;
                default:
                    break;
            }
        }
        return true;
    }

    private void Offer(StreamCallRequest request, string kind)
    {
        if (inbound.Offer(request))
        {
            metrics.FrameIn(kind);
            return;
        }
        metrics.DroppedIn(kind);
        if (inbound.Dropped % 50 == 1) logger.LogWarning("media stream is behind: {Dropped} frames dropped so far", inbound.Dropped);
    }

    private void SendAudio(ReadOnlyMemory<byte> pcm)
    {
        if (settings.AudioDirection is MediaDirection.ReceiveOnly or MediaDirection.Inactive) return;
        try
        {
            platformSession?.SendAudio(pcm);
            metrics.FrameOut(FrameKinds.Audio);
        }
#pragma warning disable CA1031 // A failed send loses one frame, not the call.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Drop(FrameKinds.Audio, $"outbound audio frame not sent: {ex.Message}");
        }
    }

    /** Waits while the kind's queue is full (gRPC flow control then holds the media service). */
    private async Task EnqueueVideoAsync(VideoFrame frame, CancellationToken token)
    {
        OutboundVideo video;
        try
        {
            video = FrameTranslation.ToOutboundVideo(frame);
        }
        catch (InvalidSettingsException ex)
        {
            Drop(FrameKinds.Video, ex.Message);
            return;
        }
        var kind = FrameKinds.Of(video.Kind);
        if (!videoSenders.TryGetValue(video.Kind, out var sender)) Drop(kind, $"the call has no {kind} socket that sends");
        else if (sender.Plan.SendFormatOf(video) is null) Drop(kind, $"a {video.Width}x{video.Height} {video.Format} frame is not in one of the call's {kind} send formats");
        else await sender.Pacer.EnqueueAsync(video, token).ConfigureAwait(false);
    }

    private void SendVideo(OutboundVideo frame)
    {
        var kind = FrameKinds.Of(frame.Kind);
        try
        {
            if (platformSession?.SendVideo(frame) == true)
            {
                Interlocked.Increment(ref outboundVideo);
                metrics.FrameOut(kind);
            }
            else
            {
                Drop(kind, $"the platform does not take {kind} from the call yet (send status inactive)");
            }
        }
#pragma warning disable CA1031
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Drop(kind, $"outbound {kind} frame not sent: {ex.Message}");
        }
    }

    private void SendTones(SendDtmfTones dtmf)
    {
        try
        {
            if (settings.AudioDirection is MediaDirection.ReceiveOnly or MediaDirection.Inactive)
            {
                throw new InvalidSettingsException("DTMF needs an audio socket that sends; the call's audio only receives");
            }
            var tones = FrameTranslation.ToTones(dtmf);
            platformSession?.SendTones(tones, (int)Math.Min(dtmf.DelayBetweenTonesMs, int.MaxValue));
            foreach (var _ in tones) metrics.FrameOut(FrameKinds.Dtmf);
        }
#pragma warning disable CA1031 // A failed send loses the tones, not the call.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Drop(FrameKinds.Dtmf, ex.Message);
        }
    }

    /** A socket that sends, and the pacer in front of it. */
    private sealed record VideoSender(VideoSocketPlan Plan, OutboundPacer<OutboundVideo> Pacer);

    /** An outbound frame or tone that is not sent: counted, and logged once every 50. */
    private void Drop(string kind, string problem)
    {
        metrics.DroppedOut(kind);
        if (Interlocked.Increment(ref droppedOutbound) % 50 == 1) logger.LogWarning("outbound {Kind} skipped: {Reason}", kind, problem);
    }
}
