using System.Collections.Concurrent;

namespace Switchboard.MediaBridge.Sessions;

/** Why the bridge refused to create a session. */
public sealed class SessionRefusedException(string message) : Exception(message);

/** The pod's live media sessions, and the drain that waits for the last one to end. */
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, CallSession> sessions = new(StringComparer.Ordinal);
    private readonly object gate = new();
    private TaskCompletionSource idle = Completed();
    private volatile bool draining;

    public int Count => sessions.Count;

    public bool IsDraining => draining;

    public IReadOnlyCollection<CallSession> Sessions => sessions.Values.ToList();

    public void Add(CallSession session)
    {
        lock (gate)
        {
            if (draining) throw new SessionRefusedException("the bridge is draining and takes no new calls");
            if (!sessions.TryAdd(session.CallId, session)) throw new SessionRefusedException($"call {session.CallId} already has a media session");
            if (idle.Task.IsCompleted) idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public CallSession? Find(string callId) => sessions.GetValueOrDefault(callId);

    public void Remove(CallSession session)
    {
        lock (gate)
        {
            if (!sessions.TryRemove(new KeyValuePair<string, CallSession>(session.CallId, session))) return;
            if (sessions.IsEmpty) idle.TrySetResult();
        }
    }

    public void StartDrain() => draining = true;

    /** Completes when no session is left. */
    public Task WhenIdle(CancellationToken cancellationToken)
    {
        lock (gate) return idle.Task.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }
}
