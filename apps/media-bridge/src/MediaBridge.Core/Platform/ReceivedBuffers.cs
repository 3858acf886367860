using Microsoft.Extensions.Logging;

namespace Switchboard.MediaBridge.Platform;

/**
 * How an adapter hands a platform buffer on: copy what is needed, deliver it, and dispose the buffer
 * whatever happens. The platform requires every received buffer to be disposed promptly, and an
 * exception must never escape into the platform's event thread.
 */
public static class ReceivedBuffers
{
    public static void Consume<TBuffer, TFrame>(TBuffer buffer, Func<TBuffer, TFrame> copy, Action<TFrame> deliver, ILogger logger)
        where TBuffer : IDisposable
    {
        try
        {
            deliver(copy(buffer));
        }
#pragma warning disable CA1031 // The platform's thread must survive any failure of ours.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "received media buffer not handled");
        }
        finally
        {
            buffer.Dispose();
        }
    }

    /** Runs a non-buffer event handler with the same guarantee that nothing escapes. */
    public static void Guard(Action handle, ILogger logger)
    {
        try
        {
            handle();
        }
#pragma warning disable CA1031
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "media platform event not handled");
        }
    }
}
