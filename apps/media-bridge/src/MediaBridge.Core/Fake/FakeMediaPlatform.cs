using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Switchboard.MediaBridge.Platform;

namespace Switchboard.MediaBridge.Fake;

/** What a fake session did, for tests and the fake platform's HTTP report. */
public sealed record FakeSessionReport(
    string CallId,
    bool Disposed,
    int AudioFramesPlayed,
    int VideoFramesPlayed,
    int UndisposedBuffers,
    int AudioFramesSent,
    IReadOnlyList<byte> FirstByteOfSentAudio,
    int VideoFramesSent,
    int ScreenSharingFramesSent,
    IReadOnlyList<string> TonesSent,
    IReadOnlyList<string> SubscriptionChanges);

/**
 * A media platform without Microsoft's library: each session plays a script of generated frames
 * and events into the bridge (audio frames at 20 ms, unmixed buffers when asked, then a dominant
 * speaker change and a tone, and a stream failure for screen sharing, which it cannot provide). Its
 * receiving video sockets are active at once: each subscription, at creation or later, plays one video
 * frame of that participant. It records what the bridge sends into the call and every subscription change.
 */
public sealed class FakeMediaPlatform(int audioFrames, TimeProvider time, ILogger<FakeMediaPlatform> logger) : IMediaPlatform
{
    private readonly ConcurrentDictionary<string, FakeSession> sessions = new(StringComparer.Ordinal);
    private bool healthy;

    public bool IsHealthy => healthy;

    public event Action<bool>? HealthChanged;

    public void Initialize(PlatformSettings settings)
    {
        healthy = true;
        HealthChanged?.Invoke(true);
    }

    public IPlatformSession CreateSession(string callId, SessionSettings settings, IPlatformEvents events)
    {
        if (!healthy) throw new InvalidOperationException("the fake media platform is not initialised");
        var session = new FakeSession(callId, settings, events, audioFrames, time, new Logging.CallLogger(logger, callId));
        sessions[callId] = session;
        return session;
    }

    public IReadOnlyList<FakeSessionReport> Report() => sessions.Values.Select(s => s.Report()).OrderBy(r => r.CallId, StringComparer.Ordinal).ToList();

    public void Dispose()
    {
        foreach (var session in sessions.Values) session.Dispose();
        healthy = false;
    }

    /** A received buffer whose disposal is tracked, like the platform's own. */
    internal sealed class FakeBuffer(FakeSession owner, byte[] data) : IDisposable
    {
        private int disposed;

        public byte[] Data => data;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) owner.BufferDisposed();
        }
    }

    internal sealed class FakeSession : IPlatformSession
    {
        private const long TicksPerFrame = 200_000;
        private readonly CancellationTokenSource stop = new();
        private readonly IPlatformEvents events;
        private readonly SessionSettings settings;
        private readonly ILogger logger;
        private readonly ConcurrentQueue<byte> sentFirstBytes = new();
        private readonly ConcurrentQueue<string> tonesSent = new();
        private readonly ConcurrentQueue<string> subscriptionChanges = new();
        private readonly Dictionary<MediaKind, VideoSubscriptions> subscriptions = [];
        private readonly HashSet<MediaKind> sending = [];
        private int played;
        private int videoPlayed;
        private int outstanding;
        private int sent;
        private int videoSent;
        private int screenSharingSent;
        private int disposed;

        public FakeSession(string callId, SessionSettings settings, IPlatformEvents events, int audioFrames, TimeProvider time, ILogger logger)
        {
            CallId = callId;
            this.settings = settings;
            this.events = events;
            this.logger = logger;
            ConfigurationBlob = JsonSerializer.Serialize(new { platform = "fake", callId });
            var main = VideoLayout.MainVideo(settings);
            var screen = VideoLayout.ScreenSharing(settings);
            foreach (var plan in VideoLayout.Sending(settings)) sending.Add(plan.Kind);
            Watch(MediaKind.Video, main.Where(p => p.Receives).Select(p => p.ReceiveFormat).ToList(), settings.Video);
            Watch(MediaKind.ScreenSharing, screen is { Receives: true } ? [screen.ReceiveFormat] : [], []);
            _ = Task.Run(() => PlayAsync(audioFrames, time, stop.Token));
        }

        public string CallId { get; }

        public string ConfigurationBlob { get; }

        public void SendAudio(ReadOnlyMemory<byte> pcm)
        {
            if (sentFirstBytes.Count < 1000) sentFirstBytes.Enqueue(pcm.Span[0]);
            Interlocked.Increment(ref sent);
        }

        public bool SendVideo(OutboundVideo frame)
        {
            if (!sending.Contains(frame.Kind)) return false;
            if (frame.Kind == MediaKind.ScreenSharing) Interlocked.Increment(ref screenSharingSent);
            else Interlocked.Increment(ref videoSent);
            return true;
        }

        public void SendTones(IReadOnlyList<Tone> tones, int delayBetweenTonesMs)
        {
            foreach (var tone in tones) tonesSent.Enqueue(tone.ToString());
        }

        public void Subscribe(MediaKind kind, WantedVideo request) => subscriptions[kind].Subscribe(request);

        public void Unsubscribe(MediaKind kind, uint msi) => subscriptions[kind].Unsubscribe(msi);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 1) return;
            stop.Cancel();
            stop.Dispose();
        }

        public void BufferDisposed() => Interlocked.Decrement(ref outstanding);

        public FakeSessionReport Report() => new(
            CallId, Volatile.Read(ref disposed) == 1, Volatile.Read(ref played), Volatile.Read(ref videoPlayed), Volatile.Read(ref outstanding),
            Volatile.Read(ref sent), sentFirstBytes.ToArray(), Volatile.Read(ref videoSent), Volatile.Read(ref screenSharingSent),
            tonesSent.ToArray(), subscriptionChanges.ToArray());

        /** Every receiving socket is active at once, so what each should receive is applied now. */
        private void Watch(MediaKind kind, IReadOnlyList<PixelFormat> formats, IReadOnlyList<VideoRequest> initial)
        {
            var watched = new VideoSubscriptions(kind, formats, initial, (socket, request) => Apply(kind, socket, request));
            subscriptions[kind] = watched;
            for (var i = 0; i < formats.Count; i++) watched.ReceiveStatusChanged(i, true);
        }

        /** A subscription plays one frame of the participant (NV12 is 12 bits per pixel; other formats get a token payload). */
        private void Apply(MediaKind kind, int socket, VideoRequest? request)
        {
            var name = kind == MediaKind.ScreenSharing ? "screen_sharing" : "video";
            if (request is null)
            {
                subscriptionChanges.Enqueue($"{name} socket {socket}: none");
                return;
            }
            subscriptionChanges.Enqueue($"{name} socket {socket}: msi {request.Msi}");
            const int width = 320, height = 180;
            var bytes = request.Format == PixelFormat.Nv12 ? width * height * 3 / 2 : 1024;
            ReceivedBuffers.Guard(() => events.OnVideo(new ReceivedVideo(request.Msi, request.Format, width, height, new byte[bytes], 0, kind)), logger);
            Interlocked.Increment(ref videoPlayed);
        }

        private async Task PlayAsync(int audioFrames, TimeProvider time, CancellationToken token)
        {
            try
            {
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20), time);
                for (var i = 0; i < audioFrames && await timer.WaitForNextTickAsync(token).ConfigureAwait(false); i++)
                {
                    Deliver(i);
                }
                ReceivedBuffers.Guard(() => events.OnDominantSpeakerChanged(7), logger);
                ReceivedBuffers.Guard(() => events.OnTone(Tone.Pound, 1), logger);
                if (settings.ReceiveScreenSharing)
                {
                    ReceivedBuffers.Guard(() => events.OnStreamFailure(MediaKind.ScreenSharing, "the fake media platform has no screen to share"), logger);
                }
            }
            catch (OperationCanceledException)
            {
                // The session was disposed.
            }
            catch (ObjectDisposedException)
            {
                // The session was disposed.
            }
        }

        /** One 20 ms frame: every byte is the frame's index, so the other side can check order. */
        private void Deliver(int index)
        {
            var pcm = new byte[640];
            Array.Fill(pcm, (byte)index);
            Interlocked.Increment(ref outstanding);
            var buffer = new FakeBuffer(this, pcm);
            ReceivedBuffers.Consume(buffer, b => Copy(b, index), events.OnAudio, logger);
            Interlocked.Increment(ref played);
        }

        private ReceivedAudio Copy(FakeBuffer buffer, int index)
        {
            var ticks = index * TicksPerFrame;
            if (!settings.ReceiveUnmixedAudio) return new ReceivedAudio((byte[])buffer.Data.Clone(), ticks, false, [7], []);
            // Unmixed: two speakers, no mixed data, as the platform delivers it.
            return new ReceivedAudio([], ticks, false, [7, 8], [
                new UnmixedAudio(7, (byte[])buffer.Data.Clone(), ticks - 1000),
                new UnmixedAudio(8, (byte[])buffer.Data.Clone(), ticks - 2000),
            ]);
        }
    }
}
