using System.Threading.Channels;
using Switchboard.Media.V1;
using Switchboard.MediaBridge.Platform;
using Switchboard.MediaBridge.Sessions;
using MediaKind = Switchboard.MediaBridge.Platform.MediaKind;
using VideoSendFormat = Switchboard.MediaBridge.Platform.VideoSendFormat;

namespace Switchboard.MediaBridge.Tests;

/** A call stream in memory: the test plays the media service. */
internal sealed class MemoryCallStream : ICallStream
{
    public Channel<StreamCallRequest> Requests { get; } = Channel.CreateUnbounded<StreamCallRequest>();

    public Channel<StreamCallResponse> Responses { get; } = Channel.CreateUnbounded<StreamCallResponse>();

    public bool Completed { get; private set; }

    public bool Disposed { get; private set; }

    /** The service ends its side as soon as the bridge half-closes, like the TypeScript service. */
    public bool EndWhenCompleted { get; init; } = true;

    public async Task WriteAsync(StreamCallRequest request, CancellationToken cancellationToken) =>
        await Requests.Writer.WriteAsync(request, cancellationToken);

    public IAsyncEnumerable<StreamCallResponse> ReadAllAsync(CancellationToken cancellationToken) => Responses.Reader.ReadAllAsync(cancellationToken);

    public Task CompleteAsync()
    {
        Completed = true;
        Requests.Writer.TryComplete();
        if (EndWhenCompleted) Responses.Writer.TryComplete();
        return Task.CompletedTask;
    }

    public void Dispose() => Disposed = true;

    public async Task<List<StreamCallRequest>> ReadRequests(int count)
    {
        var read = new List<StreamCallRequest>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (read.Count < count) read.Add(await Requests.Reader.ReadAsync(timeout.Token));
        return read;
    }
}

internal sealed class RecordingPlatformSession : IPlatformSession
{
    public List<byte[]> Audio { get; } = [];

    public List<OutboundVideo> Video { get; } = [];

    public List<(IReadOnlyList<Tone> Tones, int Delay)> Tones { get; } = [];

    public List<string> SubscriptionChanges { get; } = [];

    /** What SendVideo answers: false while the platform's send status is inactive. */
    public bool SendStatusActive { get; set; } = true;

    public bool Disposed { get; private set; }

    public string ConfigurationBlob => "blob";

    public void SendAudio(ReadOnlyMemory<byte> pcm)
    {
        lock (Audio) Audio.Add(pcm.ToArray());
    }

    public bool SendVideo(OutboundVideo frame)
    {
        if (!SendStatusActive) return false;
        lock (Video) Video.Add(frame);
        return true;
    }

    public void SendTones(IReadOnlyList<Tone> tones, int delayBetweenTonesMs) => Tones.Add((tones, delayBetweenTonesMs));

    public void Subscribe(MediaKind kind, WantedVideo request)
    {
        if (request.Msi == 404) throw new InvalidSettingsException("no free video socket");
        if (request.Msi == 500) throw new TimeoutException("internal media failure");
        SubscriptionChanges.Add($"{kind} +{request.Msi}");
    }

    public void Unsubscribe(MediaKind kind, uint msi) => SubscriptionChanges.Add($"{kind} -{msi}");

    public void Dispose() => Disposed = true;
}

internal static class Frames
{
    public static ReceivedAudio Audio(byte fill, long ticks = 0) =>
        new(Enumerable.Repeat(fill, 640).ToArray(), ticks, false, [7], []);

    public static SessionSettings Settings(MediaDirection direction = MediaDirection.SendReceive) =>
        new(direction, false, [], false);

    public static readonly VideoSendFormat H264At30 = new(PixelFormat.H264, 320, 180, 30);

    /** Sends main video at 30 fps and screen sharing at 15 fps. */
    public static SessionSettings SendingVideo() => Settings() with
    {
        VideoDirection = MediaDirection.SendReceive,
        VideoSendFormats = [H264At30],
        ScreenSharingDirection = MediaDirection.SendOnly,
        ScreenSharingSendFormats = [new VideoSendFormat(PixelFormat.Nv12, 1280, 720, 15)],
    };
}
