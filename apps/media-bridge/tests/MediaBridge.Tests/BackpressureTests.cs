using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.MediaBridge.Platform;
using Switchboard.MediaBridge.Sessions;

namespace Switchboard.MediaBridge.Tests;

public class BackpressureTests
{
    [Fact]
    public void AFullFrameQueueDropsAndCountsWithoutBlocking()
    {
        var queue = new FrameQueue<int>(3);
        var accepted = Enumerable.Range(0, 10).Select(queue.Offer).ToList();
        Assert.Equal([true, true, true, false, false, false, false, false, false, false], accepted);
        Assert.Equal(3, queue.Accepted);
        Assert.Equal(7, queue.Dropped);
        Assert.True(queue.Reader.TryRead(out var first));
        Assert.Equal(0, first);
        Assert.True(queue.Offer(10));
    }

    [Fact]
    public async Task ThePacerSendsOneFramePerTickAndMakesAFastSenderWait()
    {
        var sent = new List<byte>();
        var pacer = new OutboundPacer<ReadOnlyMemory<byte>>(2, CallSession.AudioFramePeriod, f => sent.Add(f.Span[0]));
        await pacer.EnqueueAsync(new byte[] { 1 }, CancellationToken.None);
        await pacer.EnqueueAsync(new byte[] { 2 }, CancellationToken.None);
        var third = pacer.EnqueueAsync(new byte[] { 3 }, CancellationToken.None);
        Assert.False(third.IsCompleted);

        Assert.True(pacer.Tick());
        await third.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(pacer.Tick());
        Assert.True(pacer.Tick());
        Assert.False(pacer.Tick());
        Assert.Equal([1, 2, 3], sent);
        Assert.Equal(3, pacer.Sent);
    }

    [Fact]
    public void EveryReceivedBufferIsDisposedAlsoWhenHandlingFails()
    {
        var delivered = new TrackedBuffer();
        ReceivedBuffers.Consume(delivered, b => 1, _ => { }, NullLogger.Instance);
        var failedCopy = new TrackedBuffer();
        ReceivedBuffers.Consume<TrackedBuffer, int>(failedCopy, _ => throw new InvalidOperationException("bad buffer"), _ => { }, NullLogger.Instance);
        var failedDelivery = new TrackedBuffer();
        ReceivedBuffers.Consume(failedDelivery, b => 1, _ => throw new InvalidOperationException("queue gone"), NullLogger.Instance);
        Assert.True(delivered.Disposed && failedCopy.Disposed && failedDelivery.Disposed);
    }

    private sealed class TrackedBuffer : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
