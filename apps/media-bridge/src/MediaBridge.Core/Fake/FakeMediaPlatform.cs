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
    int VideoFramesSent);

/**
 * A media platform without Microsoft's library: each session plays a script of generated frames
 * and events into the bridge (audio frames at 20 ms, unmixed buffers when asked, one video frame per
 * subscription, then a dominant speaker change and a tone, and a stream failure for screen sharing,
 * which it cannot provide) and records what the bridge sends into the call.
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
        private int played;
        private int videoPlayed;
        private int outstanding;
        private int sent;
        private int videoSent;
        private int disposed;

        public FakeSession(string callId, SessionSettings settings, IPlatformEvents events, int audioFrames, TimeProvider time, ILogger logger)
        {
            CallId = callId;
            this.settings = settings;
            this.events = events;
            this.logger = logger;
            ConfigurationBlob = JsonSerializer.Serialize(new { platform = "fake", callId });
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
            Interlocked.Increment(ref videoSent);
            return true;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 1) return;
            stop.Cancel();
            stop.Dispose();
        }

        public void BufferDisposed() => Interlocked.Decrement(ref outstanding);

        public FakeSessionReport Report() => new(
            CallId, Volatile.Read(ref disposed) == 1, Volatile.Read(ref played), Volatile.Read(ref videoPlayed), Volatile.Read(ref outstanding),
            Volatile.Read(ref sent), sentFirstBytes.ToArray(), Volatile.Read(ref videoSent));

        private async Task PlayAsync(int audioFrames, TimeProvider time, CancellationToken token)
        {
            try
            {
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20), time);
                for (var i = 0; i < audioFrames && await timer.WaitForNextTickAsync(token).ConfigureAwait(false); i++)
                {
                    Deliver(i);
                    if (i == 0) PlayVideo();
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

        private void PlayVideo()
        {
            foreach (var request in settings.Video)
            {
                // NV12 is 12 bits per pixel; other formats get a token payload.
                const int width = 320, height = 180;
                var bytes = request.Format == PixelFormat.Nv12 ? width * height * 3 / 2 : 1024;
                ReceivedBuffers.Guard(() => events.OnVideo(new ReceivedVideo(request.Msi, request.Format, width, height, new byte[bytes], 0)), logger);
                Interlocked.Increment(ref videoPlayed);
            }
        }
    }
}
