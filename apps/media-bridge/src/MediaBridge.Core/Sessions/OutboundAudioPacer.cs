using System.Threading.Channels;

namespace Switchboard.MediaBridge.Sessions;

/**
 * Sends the media service's outbound audio into the call one 20 ms frame per tick, however fast it
 * arrives. Enqueueing waits while the queue is full, so a media service that sends faster than real
 * time is slowed by gRPC flow control instead of growing memory or losing audio.
 */
public sealed class OutboundAudioPacer
{
    public static readonly TimeSpan FramePeriod = TimeSpan.FromMilliseconds(20);

    private readonly Channel<ReadOnlyMemory<byte>> frames;
    private readonly Action<ReadOnlyMemory<byte>> send;
    private long sent;

    public OutboundAudioPacer(int capacity, Action<ReadOnlyMemory<byte>> send)
    {
        frames = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        this.send = send;
    }

    public long Sent => Interlocked.Read(ref sent);

    public ValueTask EnqueueAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        frames.Writer.WriteAsync(frame, cancellationToken);

    /** One frame period has passed: send the next frame, if any. */
    public bool Tick()
    {
        if (!frames.Reader.TryRead(out var frame)) return false;
        send(frame);
        Interlocked.Increment(ref sent);
        return true;
    }

    /** Ticks every 20 ms until cancelled. */
    public async Task RunAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(FramePeriod, time);
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
