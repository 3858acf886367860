using Grpc.Core;
using Microsoft.Extensions.Logging;
using Switchboard.Media.V1;
using Switchboard.MediaBridge.Configuration;
using Switchboard.MediaBridge.Logging;
using Switchboard.MediaBridge.Metrics;
using Switchboard.MediaBridge.Platform;
using Switchboard.MediaBridge.Sessions;

namespace Switchboard.MediaBridge.Link;

/**
 * The bridge's side of ConnectBridge: keeps the stream to the media service open (reconnecting with
 * backoff), creates a media session for each create_session and answers with its blob, ends sessions
 * on end_session, changes a call's video subscriptions on update_video_subscription (and answers),
 * and tells the service when the platform's health changes.
 */
public sealed class MediaServiceLink(
    MediaService.MediaServiceClient client,
    IMediaPlatform platform,
    SessionRegistry sessions,
    BridgeOptions options,
    BridgeHealth health,
    BridgeMetrics metrics,
    TimeProvider time,
    ILogger<MediaServiceLink> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private IClientStreamWriter<ConnectBridgeRequest>? writer;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        platform.HealthChanged += OnHealthChanged;
        var backoff = TimeSpan.FromMilliseconds(100);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromMilliseconds(100);
                }
                catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    logger.LogWarning("media service link down ({Status}: {Detail}), retrying in {Backoff} ms", ex.StatusCode, ex.Status.Detail, backoff.TotalMilliseconds);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                finally
                {
                    health.LinkConnected = false;
                    writer = null;
                }
                await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            platform.HealthChanged -= OnHealthChanged;
        }
    }

    private async Task ConnectOnceAsync(CancellationToken cancellationToken)
    {
        using var call = client.ConnectBridge(cancellationToken: cancellationToken);
        writer = call.RequestStream;
        await SendAsync(Hello(), cancellationToken).ConfigureAwait(false);
        health.LinkConnected = true;
        logger.LogInformation("connected to the media service at {Target}", options.MediaGrpcTarget);
        await foreach (var command in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (command.PayloadCase)
            {
                case ConnectBridgeResponse.PayloadOneofCase.CreateSession:
                    await SendAsync(CreateSession(command.CreateSession, cancellationToken), cancellationToken).ConfigureAwait(false);
                    break;
                case ConnectBridgeResponse.PayloadOneofCase.EndSession:
                    EndSession(command.EndSession.CallId);
                    break;
                case ConnectBridgeResponse.PayloadOneofCase.UpdateVideoSubscription:
                    await SendAsync(ChangeVideoSubscription(command.UpdateVideoSubscription), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    break;
            }
        }
        logger.LogWarning("the media service ended the bridge link");
    }

    /** Creates the sockets and starts the call's stream; the answer carries the blob or the reason. */
    internal ConnectBridgeRequest CreateSession(CreateMediaSession command, CancellationToken cancellationToken)
    {
        var callId = command.CallId;
        var log = new CallLogger(logger, callId);
        CallSession? session = null;
        try
        {
            var settings = FrameTranslation.ToSessionSettings(command.Settings);
            session = new CallSession(callId, settings, new SessionQueues(options.FrameQueueCapacity, options.OutboundAudioCapacity, options.OutboundVideoCapacity), metrics, log);
            sessions.Add(session);
            var platformSession = platform.CreateSession(callId, settings, session);
            session.Attach(platformSession);
            _ = RunSessionAsync(session, cancellationToken);
            log.LogInformation("media session created");
            return new ConnectBridgeRequest { SessionCreated = new MediaSessionCreated { CallId = callId, MediaConfigurationBlob = platformSession.ConfigurationBlob } };
        }
        catch (Exception ex) when (ex is InvalidSettingsException or SessionRefusedException || !platform.IsHealthy)
        {
            if (session is not null) sessions.Remove(session);
            log.LogWarning("media session not created: {Reason}", ex.Message);
            return new ConnectBridgeRequest { SessionFailed = new MediaSessionFailed { CallId = callId, Message = ex.Message } };
        }
#pragma warning disable CA1031 // Whatever the platform throws is reported to the media service, and the link stays up.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (session is not null) sessions.Remove(session);
            log.LogError(ex, "media platform could not create the session");
            return new ConnectBridgeRequest { SessionFailed = new MediaSessionFailed { CallId = callId, Message = $"media platform: {ex.Message}" } };
        }
    }

    /** Answers with the same request id: an empty error when the subscription changed. */
    internal ConnectBridgeRequest ChangeVideoSubscription(UpdateVideoSubscription update)
    {
        var session = sessions.Find(update.CallId);
        string error;
        if (session is null)
        {
            error = $"call {update.CallId} has no media session on this bridge";
            metrics.SubscriptionUpdated(false);
        }
        else
        {
            error = session.ChangeVideoSubscription(update) ?? "";
        }
        return new ConnectBridgeRequest { VideoSubscriptionUpdated = new VideoSubscriptionUpdated { CallId = update.CallId, RequestId = update.RequestId, Error = error } };
    }

    private void EndSession(string callId)
    {
        var session = sessions.Find(callId);
        if (session is null) return;
        new CallLogger(logger, callId).LogInformation("media session ended by the media service");
        session.End();
    }

    private async Task RunSessionAsync(CallSession session, CancellationToken cancellationToken)
    {
        try
        {
            // Each call gets its own stream; the service matches it to the prepared call by the open message.
            var stream = new GrpcCallStream(client.StreamCall(cancellationToken: cancellationToken));
            await session.RunAsync(stream, time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sessions.Remove(session);
        }
    }

    private void OnHealthChanged(bool healthy)
    {
        health.PlatformHealthy = healthy;
        logger.LogInformation("media platform health changed: {Healthy}", healthy);
        // Fire and forget from the platform's thread; a lost hello is resent on reconnect.
        _ = SendQuietlyAsync(Hello());
    }

    private ConnectBridgeRequest Hello() => new() { Hello = new BridgeHello { PodName = options.PodName, PlatformHealthy = platform.IsHealthy } };

    private async Task SendQuietlyAsync(ConnectBridgeRequest request)
    {
        try
        {
            await SendAsync(request, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException or ObjectDisposedException)
        {
            logger.LogDebug("health not sent to the media service: {Reason}", ex.Message);
        }
    }

    private async Task SendAsync(ConnectBridgeRequest request, CancellationToken cancellationToken)
    {
        var target = writer;
        if (target is null) return;
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await target.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeLock.Release();
        }
    }
}
