using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Switchboard.MediaBridge.Host.Logging;

/**
 * One JSON object per line, shaped like the TypeScript services' pino lines:
 * {"level":"info","time":"…","service":"media-bridge","callId":"…","msg":"…"}; scope values
 * (the call id) and message arguments become fields.
 */
public sealed class JsonLineFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "switchboard-json";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("level", Level(logEntry.LogLevel));
            json.WriteString("time", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("service", "media-bridge");
            var written = new HashSet<string>(StringComparer.Ordinal) { "level", "time", "service", "msg", "err" };
            scopeProvider?.ForEachScope((scope, state) => Fields(scope, state.json, state.written), (json, written));
            Fields(logEntry.State, json, written);
            if (logEntry.Exception is { } ex) json.WriteString("err", ex.ToString());
            json.WriteString("msg", message);
            json.WriteEndObject();
        }
        textWriter.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        textWriter.Write('\n');
    }

    private static void Fields(object? values, Utf8JsonWriter json, HashSet<string> written)
    {
        if (values is not IEnumerable<KeyValuePair<string, object?>> pairs) return;
        foreach (var (key, value) in pairs)
        {
            if (key == "{OriginalFormat}" || !written.Add(Camel(key))) continue;
            var name = Camel(key);
            switch (value)
            {
                case null: json.WriteNull(name); break;
                case bool b: json.WriteBoolean(name, b); break;
                case int or long or uint or ulong or double or float: json.WriteNumber(name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                default: json.WriteString(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            }
        }
    }

    private static string Camel(string key) => key.Length == 0 ? key : char.ToLowerInvariant(key[0]) + key[1..];

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "fatal",
    };
}
