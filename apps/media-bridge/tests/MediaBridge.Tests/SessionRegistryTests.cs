using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.MediaBridge.Sessions;

namespace Switchboard.MediaBridge.Tests;

public class SessionRegistryTests
{
    private static CallSession Session(string callId) => new(callId, Frames.Settings(), new SessionQueues(10, 10, 10), Metrics.BridgeMetrics.Unexported(), NullLogger.Instance);

    [Fact]
    public void RefusesASecondSessionForACall()
    {
        var registry = new SessionRegistry();
        registry.Add(Session("a"));
        Assert.Equal("call a already has a media session", Assert.Throws<SessionRefusedException>(() => registry.Add(Session("a"))).Message);
        Assert.Equal(1, registry.Count);
    }

    [Fact]
    public async Task DrainRefusesNewCallsAndCompletesWhenTheLastSessionIsGone()
    {
        var registry = new SessionRegistry();
        var a = Session("a");
        var b = Session("b");
        registry.Add(a);
        registry.Add(b);
        registry.StartDrain();
        Assert.Throws<SessionRefusedException>(() => registry.Add(Session("c")));
        var idle = registry.WhenIdle(CancellationToken.None);
        registry.Remove(a);
        Assert.False(idle.IsCompleted);
        Assert.Same(b, registry.Find("b"));
        registry.Remove(b);
        await idle.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Null(registry.Find("b"));
    }

    [Fact]
    public void RemovingAnEndedSessionLeavesItsSuccessorAlone()
    {
        var registry = new SessionRegistry();
        var first = Session("a");
        registry.Add(first);
        registry.Remove(first);
        var second = Session("a");
        registry.Add(second);
        registry.Remove(first);
        Assert.Same(second, registry.Find("a"));
    }
}
