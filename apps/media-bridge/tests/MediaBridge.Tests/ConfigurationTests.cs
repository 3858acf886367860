using Microsoft.Extensions.Configuration;
using Switchboard.MediaBridge.Configuration;

namespace Switchboard.MediaBridge.Tests;

public class ConfigurationTests
{
    private static readonly Dictionary<string, string?> Production = new()
    {
        ["MEDIA_APP_ID"] = "8f0a2c4e-1b3d-4e5f-8a9b-0c1d2e3f4a5b",
        ["MEDIA_CERTIFICATE_THUMBPRINT"] = "ABCDEF0123456789ABCDEF0123456789ABCDEF01",
        ["MEDIA_SERVICE_FQDN"] = "media.bot.example.com",
        ["MEDIA_INSTANCE_PUBLIC_IP"] = "20.30.40.50",
        ["MEDIA_INSTANCE_PUBLIC_PORT_BASE"] = "28550",
        ["POD_INDEX"] = "2",
        ["MEDIA_INSTANCE_INTERNAL_PORT"] = "8445",
        ["MEDIA_BRIDGE_HTTP_PORT"] = "9441",
        ["MEDIA_GRPC_TARGET"] = "127.0.0.1:50051",
        ["POD_NAME"] = "switchboard-media-2",
    };

    private static (BridgeOptions Options, List<string> Problems) Load(Dictionary<string, string?> values)
    {
        var options = new BridgeOptions();
        BridgeConfiguration.Bind(options, new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        return (options, BridgeOptionsValidator.Problems(options));
    }

    private static Dictionary<string, string?> With(string key, string? value) => new(Production) { [key] = value };

    [Fact]
    public void AcceptsTheChartsValuesAndAddsThePodIndexToThePublicPortBase()
    {
        var (options, problems) = Load(Production);
        Assert.Empty(problems);
        Assert.Equal(28552, options.InstancePublicPort);
        Assert.Equal(new Uri("http://127.0.0.1:50051"), options.MediaGrpcAddress);
        Assert.Equal(PlatformKind.Microsoft, options.Platform);
    }

    [Theory]
    [InlineData("MEDIA_APP_ID", "not-a-guid", "MEDIA_APP_ID must be the bot's application id (a GUID), got 'not-a-guid'")]
    [InlineData("MEDIA_CERTIFICATE_THUMBPRINT", "abc", "MEDIA_CERTIFICATE_THUMBPRINT must be the certificate's SHA-1 thumbprint (40 hex digits), got 'abc'")]
    [InlineData("MEDIA_SERVICE_FQDN", "localhost", "MEDIA_SERVICE_FQDN must be a fully qualified DNS name, got 'localhost'")]
    [InlineData("MEDIA_INSTANCE_PUBLIC_IP", "20.30.40", "MEDIA_INSTANCE_PUBLIC_IP must be an IPv4 address, got '20.30.40'")]
    [InlineData("MEDIA_INSTANCE_INTERNAL_PORT", "70000", "MEDIA_INSTANCE_INTERNAL_PORT must be a TCP port (1-65535), got 70000")]
    [InlineData("MEDIA_BRIDGE_HTTP_PORT", "http", "MEDIA_BRIDGE_HTTP_PORT must be a whole number, got 'http'")]
    [InlineData("MEDIA_GRPC_TARGET", "127.0.0.1", "MEDIA_GRPC_TARGET must be host:port of the media service, got '127.0.0.1'")]
    [InlineData("MEDIA_PLATFORM", "teams", "MEDIA_PLATFORM must be microsoft or fake, got 'teams'")]
    [InlineData("MEDIA_BRIDGE_OUTBOUND_VIDEO_QUEUE", "0", "MEDIA_BRIDGE_OUTBOUND_VIDEO_QUEUE must be 1-10000, got 0")]
    public void NamesTheSettingOfEachBadValue(string key, string value, string expected)
    {
        Assert.Contains(expected, Load(With(key, value)).Problems);
    }

    [Fact]
    public void WantsThePodIndexWithAPortBase()
    {
        var (_, problems) = Load(With("POD_INDEX", null));
        Assert.Contains("POD_INDEX is required with MEDIA_INSTANCE_PUBLIC_PORT_BASE (the pod's ordinal)", problems);
    }

    [Fact]
    public void MissingPlatformSettingsAreEachNamed()
    {
        var (_, problems) = Load(new Dictionary<string, string?> { ["MEDIA_GRPC_TARGET"] = "127.0.0.1:50051" });
        Assert.Equal(5, problems.Count);
        Assert.All(
            new[] { "MEDIA_APP_ID", "MEDIA_CERTIFICATE_THUMBPRINT", "MEDIA_SERVICE_FQDN", "MEDIA_INSTANCE_PUBLIC_IP", "MEDIA_INSTANCE_PUBLIC_PORT" },
            key => Assert.Contains(problems, p => p.StartsWith(key + " ", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheFakePlatformNeedsNoPlatformSettings()
    {
        var (options, problems) = Load(new Dictionary<string, string?> { ["MEDIA_PLATFORM"] = "fake", ["MEDIA_GRPC_TARGET"] = "localhost:1234" });
        Assert.Empty(problems);
        Assert.Equal(PlatformKind.Fake, options.Platform);
    }
}
