using System.Threading.Channels;

namespace Switchboard.MediaBridge.Sessions;

/**
 * The bounded queue between the platform's event threads and a call's gRPC stream. Writing never
 * blocks: when the queue is full the new item is dropped and counted.
 */
public sealed class FrameQueue<T>
{
    private readonly Channel<T> channel;
    private long dropped;
    private long accepted;

    public FrameQueue(int capacity)
    {
        channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public long Dropped => Interlocked.Read(ref dropped);

    public long Accepted => Interlocked.Read(ref accepted);

    /** False when the item was dropped (queue full or closed). */
    public bool Offer(T item)
    {
        if (channel.Writer.TryWrite(item))
        {
            Interlocked.Increment(ref accepted);
            return true;
        }
        Interlocked.Increment(ref dropped);
        return false;
    }

    public ChannelReader<T> Reader => channel.Reader;

    /** No more items; the reader sees the end once it has read what is queued. */
    public void Complete() => channel.Writer.TryComplete();
}
