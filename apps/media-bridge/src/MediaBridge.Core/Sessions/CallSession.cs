using Grpc.Core;
using Microsoft.Extensions.Logging;
using Switchboard.Media.V1;
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

/**
 * One call: the platform's sockets on one side, the call's StreamCall to the media service on the
 * other. Platform events are translated and queued without blocking; a pump writes them to the
 * stream; a reader sends back the audio (paced) and video the media service returns.
 */
public sealed class CallSession : IPlatformEvents
{
    private readonly SessionSettings settings;
    private readonly ILogger logger;
    private readonly FrameQueue<StreamCallRequest> inbound;
    private readonly OutboundAudioPacer pacer;
    private readonly CancellationTokenSource ending = new();
    private readonly TaskCompletionSource<SessionEnd> ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IPlatformSession? platformSession;
    private long outboundVideo;
    private long rejectedOutbound;

    public CallSession(string callId, SessionSettings settings, int frameQueueCapacity, int outboundAudioCapacity, ILogger logger)
    {
        CallId = callId;
        this.settings = settings;
        this.logger = logger;
        inbound = new FrameQueue<StreamCallRequest>(frameQueueCapacity);
        pacer = new OutboundAudioPacer(outboundAudioCapacity, SendAudio);
    }

    public string CallId { get; }

    /** Received frames and events dropped because the stream could not keep up. */
    public long DroppedFrames => inbound.Dropped;

    public long ForwardedFrames => inbound.Accepted;

    public long OutboundAudioSent => pacer.Sent;

    public long OutboundVideoSent => Interlocked.Read(ref outboundVideo);

    public Task<SessionEnd> Ended => ended.Task;

    internal OutboundAudioPacer Pacer => pacer;

    /** The platform's sockets for this call; released when the session ends. */
    public void Attach(IPlatformSession session) => platformSession = session;

    public void OnAudio(ReceivedAudio audio) => Offer(FrameTranslation.ToRequest(audio));

    public void OnVideo(ReceivedVideo video) => Offer(FrameTranslation.ToRequest(video));

    public void OnDominantSpeakerChanged(uint? speakerMsi) => Offer(FrameTranslation.DominantSpeaker(speakerMsi));

    public void OnTone(Tone tone, uint sequenceId) => Offer(FrameTranslation.ToneReceived(tone, sequenceId));

    public void OnStreamFailure(MediaKind kind, string message)
    {
        logger.LogWarning("media stream failure {Kind}: {Reason}", kind, message);
        Offer(FrameTranslation.StreamFailure(kind, message));
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
        var pacing = pacer.RunAsync(time, token);
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
            logger.LogInformation(
                "media session ended ({Outcome}): {Forwarded} frames and events forwarded, {Dropped} dropped, {AudioSent} audio and {VideoSent} video frames sent",
                outcome, ForwardedFrames, DroppedFrames, OutboundAudioSent, OutboundVideoSent);
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
                    else Reject(problem);
                    break;
                case StreamCallResponse.PayloadOneofCase.Video:
                    SendVideo(response.Video);
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

    private void Offer(StreamCallRequest request)
    {
        if (!inbound.Offer(request) && inbound.Dropped % 50 == 1)
        {
            logger.LogWarning("media stream is behind: {Dropped} frames dropped so far", inbound.Dropped);
        }
    }

    private void SendAudio(ReadOnlyMemory<byte> pcm)
    {
        if (settings.AudioDirection is MediaDirection.ReceiveOnly or MediaDirection.Inactive) return;
        try
        {
            platformSession?.SendAudio(pcm);
        }
#pragma warning disable CA1031 // A failed send loses one frame, not the call.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "outbound audio frame not sent");
        }
    }

    private void SendVideo(VideoFrame frame)
    {
        try
        {
            if (platformSession?.SendVideo(FrameTranslation.ToOutboundVideo(frame)) == true) Interlocked.Increment(ref outboundVideo);
        }
        catch (InvalidSettingsException ex)
        {
            Reject(ex.Message);
        }
#pragma warning disable CA1031
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "outbound video frame not sent");
        }
    }

    private void Reject(string problem)
    {
        if (Interlocked.Increment(ref rejectedOutbound) % 50 == 1) logger.LogWarning("outbound frame skipped: {Reason}", problem);
    }
}
