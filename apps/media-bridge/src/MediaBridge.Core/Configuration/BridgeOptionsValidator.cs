using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Switchboard.MediaBridge.Configuration;

/** Checks every setting and names the environment variable of each bad one. */
public sealed partial class BridgeOptionsValidator : IValidateOptions<BridgeOptions>
{
    public ValidateOptionsResult Validate(string? name, BridgeOptions options)
    {
        var problems = Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static List<string> Problems(BridgeOptions o)
    {
        var problems = new List<string>(o.LoadProblems);
        Port(problems, BridgeConfiguration.HttpPort, o.HttpPort);
        Capacity(problems, BridgeConfiguration.FrameQueueCapacity, o.FrameQueueCapacity);
        Capacity(problems, BridgeConfiguration.OutboundAudioCapacity, o.OutboundAudioCapacity);
        Capacity(problems, BridgeConfiguration.OutboundVideoCapacity, o.OutboundVideoCapacity);
        if (!Uri.TryCreate(o.MediaGrpcTarget.Contains("://", StringComparison.Ordinal) ? o.MediaGrpcTarget : $"http://{o.MediaGrpcTarget}", UriKind.Absolute, out var target)
            || target.Scheme is not ("http" or "https") || target.IsDefaultPort)
        {
            problems.Add($"{BridgeConfiguration.MediaGrpcTarget} must be host:port of the media service, got '{o.MediaGrpcTarget}'");
        }
        if (string.IsNullOrWhiteSpace(o.PodName)) problems.Add($"{BridgeConfiguration.PodName} must not be empty");
        // The fake platform opens no public endpoint, so it needs none of the platform's settings.
        if (o.Platform == PlatformKind.Fake) return problems;

        if (!Guid.TryParse(o.ApplicationId, out _)) problems.Add($"{BridgeConfiguration.ApplicationId} must be the bot's application id (a GUID), got '{o.ApplicationId}'");
        if (!Thumbprint().IsMatch(o.CertificateThumbprint))
        {
            problems.Add($"{BridgeConfiguration.CertificateThumbprint} must be the certificate's SHA-1 thumbprint (40 hex digits), got '{o.CertificateThumbprint}'");
        }
        if (Uri.CheckHostName(o.ServiceFqdn) != UriHostNameType.Dns || !o.ServiceFqdn.Contains('.', StringComparison.Ordinal))
        {
            problems.Add($"{BridgeConfiguration.ServiceFqdn} must be a fully qualified DNS name, got '{o.ServiceFqdn}'");
        }
        // IPAddress.TryParse also takes the short forms ("20.30.40"), which are never meant here.
        if (!IPAddress.TryParse(o.InstancePublicIp, out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || o.InstancePublicIp.Count(c => c == '.') != 3)
        {
            problems.Add($"{BridgeConfiguration.InstancePublicIp} must be an IPv4 address, got '{o.InstancePublicIp}'");
        }
        Port(problems, BridgeConfiguration.InstancePublicPort, o.InstancePublicPort);
        Port(problems, BridgeConfiguration.InstanceInternalPort, o.InstanceInternalPort);
        if (o.HttpPort == o.InstanceInternalPort)
        {
            problems.Add($"{BridgeConfiguration.HttpPort} and {BridgeConfiguration.InstanceInternalPort} must differ, both are {o.HttpPort}");
        }
        return problems;
    }

    private static void Capacity(List<string> problems, string key, int capacity)
    {
        if (capacity is < 1 or > 10_000) problems.Add($"{key} must be 1-10000, got {capacity.ToString(CultureInfo.InvariantCulture)}");
    }

    private static void Port(List<string> problems, string key, int port)
    {
        if (port is < 1 or > 65535) problems.Add($"{key} must be a TCP port (1-65535), got {port.ToString(CultureInfo.InvariantCulture)}");
    }

    [GeneratedRegex("^[0-9A-Fa-f]{40}$")]
    private static partial Regex Thumbprint();
}
