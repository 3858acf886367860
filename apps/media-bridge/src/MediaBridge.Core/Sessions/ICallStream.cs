using Grpc.Core;
using Switchboard.Media.V1;

namespace Switchboard.MediaBridge.Sessions;

/** A call's StreamCall as the session uses it: write requests one at a time, read responses, end. */
public interface ICallStream : IDisposable
{
    Task WriteAsync(StreamCallRequest request, CancellationToken cancellationToken);

    IAsyncEnumerable<StreamCallResponse> ReadAllAsync(CancellationToken cancellationToken);

    /** No more requests (half-close). */
    Task CompleteAsync();
}

/** <see cref="ICallStream"/> over a gRPC for .NET bidirectional call. */
public sealed class GrpcCallStream(AsyncDuplexStreamingCall<StreamCallRequest, StreamCallResponse> call) : ICallStream
{
    public Task WriteAsync(StreamCallRequest request, CancellationToken cancellationToken) =>
        call.RequestStream.WriteAsync(request, cancellationToken);

    public IAsyncEnumerable<StreamCallResponse> ReadAllAsync(CancellationToken cancellationToken) =>
        call.ResponseStream.ReadAllAsync(cancellationToken);

    public Task CompleteAsync() => call.RequestStream.CompleteAsync();

    public void Dispose() => call.Dispose();
}
