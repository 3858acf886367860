using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Switchboard.Media.V1;
using Switchboard.MediaBridge.Configuration;
using Switchboard.MediaBridge.Fake;
using Switchboard.MediaBridge.Host;
using Switchboard.MediaBridge.Host.Logging;
using Switchboard.MediaBridge.Host.Platform;
using Switchboard.MediaBridge.Link;
using Switchboard.MediaBridge.Metrics;
using Switchboard.MediaBridge.Platform;
using Switchboard.MediaBridge.Sessions;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddConsole(o => o.FormatterName = JsonLineFormatter.FormatterName).AddConsoleFormatter<JsonLineFormatter, ConsoleFormatterOptions>();
builder.Logging.SetMinimumLevel(LogLevelFrom(builder.Configuration["LOG_LEVEL"]));
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Grpc", LogLevel.Warning);

// Read once for the listener; the same options are validated at start (ValidateOnStart) and name each bad variable.
var bridgeOptions = new BridgeOptions();
BridgeConfiguration.Bind(bridgeOptions, builder.Configuration);
var problems = BridgeOptionsValidator.Problems(bridgeOptions);
if (problems.Count > 0) return Fatal(problems);
builder.Services.AddSingleton<IValidateOptions<BridgeOptions>, BridgeOptionsValidator>();
builder.Services.AddOptions<BridgeOptions>().Configure(o => BridgeConfiguration.Bind(o, builder.Configuration)).ValidateOnStart();
builder.WebHost.UseUrls($"http://0.0.0.0:{bridgeOptions.HttpPort}");

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<SessionRegistry>();
builder.Services.AddSingleton<BridgeHealth>();
builder.Services.AddSingleton(sp =>
{
    var metrics = new BridgeMetrics(Prometheus.Metrics.NewCustomRegistry());
    metrics.Observe(sp.GetRequiredService<SessionRegistry>(), sp.GetRequiredService<BridgeHealth>());
    return metrics;
});
if (bridgeOptions.Platform == PlatformKind.Fake)
{
    var frames = int.TryParse(builder.Configuration["FAKE_PLATFORM_AUDIO_FRAMES"], out var n) && n >= 0 ? n : 50;
    builder.Services.AddSingleton(sp => new FakeMediaPlatform(frames, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FakeMediaPlatform>>()));
    builder.Services.AddSingleton<IMediaPlatform>(sp => sp.GetRequiredService<FakeMediaPlatform>());
}
else
{
    builder.Services.AddSingleton<IMediaPlatform, SkypeMediaPlatform>();
}
// Video frames can be large (1080p NV12 is about 3 MiB): the same 16 MiB cap as the media service.
builder.Services.AddSingleton(_ => new MediaService.MediaServiceClient(Grpc.Net.Client.GrpcChannel.ForAddress(
    bridgeOptions.MediaGrpcAddress,
    new Grpc.Net.Client.GrpcChannelOptions { MaxReceiveMessageSize = 16 * 1024 * 1024, MaxSendMessageSize = 16 * 1024 * 1024 })));
builder.Services.AddSingleton(sp => new MediaServiceLink(
    sp.GetRequiredService<MediaService.MediaServiceClient>(),
    sp.GetRequiredService<IMediaPlatform>(),
    sp.GetRequiredService<SessionRegistry>(),
    sp.GetRequiredService<IOptions<BridgeOptions>>().Value,
    sp.GetRequiredService<BridgeHealth>(),
    sp.GetRequiredService<BridgeMetrics>(),
    sp.GetRequiredService<TimeProvider>(),
    sp.GetRequiredService<ILogger<MediaServiceLink>>()));
builder.Services.AddHostedService<BridgeWorker>();
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

var app = builder.Build();
MapEndpoints(app, bridgeOptions);
try
{
    await app.StartAsync().ConfigureAwait(false);
}
catch (OptionsValidationException ex)
{
    return Fatal(ex.Failures);
}

await app.WaitForShutdownAsync().ConfigureAwait(false);
return Environment.ExitCode;

/** The process refuses to start: one JSON line naming every bad setting, exit code 1. */
static int Fatal(IEnumerable<string> problems)
{
    var list = problems.ToArray();
    Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["level"] = "fatal",
        ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        ["service"] = "media-bridge",
        ["problems"] = list,
        ["msg"] = "invalid configuration: " + string.Join("; ", list),
    }));
    return 1;
}

static LogLevel LogLevelFrom(string? level) => level?.Trim().ToLowerInvariant() switch
{
    "trace" => LogLevel.Trace,
    "debug" => LogLevel.Debug,
    "warn" or "warning" => LogLevel.Warning,
    "error" => LogLevel.Error,
    "fatal" => LogLevel.Critical,
    _ => LogLevel.Information,
};

static void MapEndpoints(WebApplication app, BridgeOptions bridgeOptions)
{
    var sessions = app.Services.GetRequiredService<SessionRegistry>();
    var health = app.Services.GetRequiredService<BridgeHealth>();
    app.MapGet("/health/live", () => Results.Json(new { status = "ok" }));
    app.MapGet("/health/ready", () =>
    {
        var checks = new Dictionary<string, object>
        {
            ["platform"] = health.PlatformHealthy ? new { status = "ok" } : new { status = "error", error = "the media platform is not healthy" },
            ["mediaService"] = health.LinkConnected ? new { status = "ok" } : new { status = "error", error = "not connected to the media service" },
            ["draining"] = sessions.IsDraining ? new { status = "error", error = "the bridge is draining" } : new { status = "ok" },
        };
        var ready = health.Ready && !sessions.IsDraining;
        return Results.Json(new { status = ready ? "ok" : "error", checks }, statusCode: ready ? 200 : 503);
    });
    // The pod's preStop: answered once the last call has ended, so the sockets outlive every call.
    app.MapGet("/drain", async (CancellationToken cancellationToken) =>
    {
        sessions.StartDrain();
        await sessions.WhenIdle(cancellationToken).ConfigureAwait(false);
        return Results.Json(new { draining = true, activeCalls = 0 });
    });
    app.MapGet("/health/calls", () => Results.Json(new { activeCalls = sessions.Count, draining = sessions.IsDraining }));
    var metrics = app.Services.GetRequiredService<BridgeMetrics>();
    app.MapGet("/metrics", async (HttpContext context) =>
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    });
    if (bridgeOptions.Platform == PlatformKind.Fake)
    {
        var fake = app.Services.GetRequiredService<FakeMediaPlatform>();
        app.MapGet("/fake-platform/sessions", () => Results.Json(fake.Report()));
    }
}
