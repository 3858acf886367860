using Microsoft.Extensions.Logging;

namespace Switchboard.MediaBridge.Logging;

/**
 * A logger whose every line carries the call id, also on the platform's threads where no scope
 * flows (the JSON formatter writes scope values as fields, like the TypeScript services' callId).
 */
public sealed class CallLogger(ILogger inner, string callId) : ILogger
{
    private readonly KeyValuePair<string, object?>[] scope = [new("callId", callId)];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        using (inner.BeginScope(scope)) inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
