using System.Threading.Channels;

namespace Switchboard.MediaBridge.Sessions;

/**
 * Sends what the media service returns into the call one frame per period (20 ms of audio; one video
 * frame at the send format's rate), however fast it arrives. Enqueueing waits while the queue is full,
 * so a media service that sends faster than real time is slowed by gRPC flow control instead of
 * growing memory or losing frames.
 */
public sealed class OutboundPacer<T>
{
    private readonly Channel<T> frames;
    private readonly Action<T> send;
    private long sent;

    public OutboundPacer(int capacity, TimeSpan period, Action<T> send)
    {
        frames = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        Period = period;
        this.send = send;
    }

    public TimeSpan Period { get; }

    /** Frames handed to the platform. */
    public long Sent => Interlocked.Read(ref sent);

    public ValueTask EnqueueAsync(T frame, CancellationToken cancellationToken) =>
        frames.Writer.WriteAsync(frame, cancellationToken);

    /** One period has passed: send the next frame, if any. */
    public bool Tick()
    {
        if (!frames.Reader.TryRead(out var frame)) return false;
        send(frame);
        Interlocked.Increment(ref sent);
        return true;
    }

    /** Ticks every period until cancelled. */
    public async Task RunAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false)) Tick();
        }
        catch (OperationCanceledException)
        {
            // The call ended.
        }
    }
}
