using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Switchboard.MediaBridge.Configuration;

/** Reads <see cref="BridgeOptions"/> from the environment variable names the chart uses. */
public static class BridgeConfiguration
{
    public const string Platform = "MEDIA_PLATFORM";
    public const string ApplicationId = "MEDIA_APP_ID";
    public const string CertificateThumbprint = "MEDIA_CERTIFICATE_THUMBPRINT";
    public const string CertificateDir = "MEDIA_CERTIFICATE_DIR";
    public const string ServiceFqdn = "MEDIA_SERVICE_FQDN";
    public const string InstancePublicIp = "MEDIA_INSTANCE_PUBLIC_IP";
    public const string InstancePublicPort = "MEDIA_INSTANCE_PUBLIC_PORT";
    public const string InstancePublicPortBase = "MEDIA_INSTANCE_PUBLIC_PORT_BASE";
    public const string PodIndex = "POD_INDEX";
    public const string InstanceInternalPort = "MEDIA_INSTANCE_INTERNAL_PORT";
    public const string HttpPort = "MEDIA_BRIDGE_HTTP_PORT";
    public const string MediaGrpcTarget = "MEDIA_GRPC_TARGET";
    public const string PodName = "POD_NAME";
    public const string FrameQueueCapacity = "MEDIA_BRIDGE_FRAME_QUEUE";
    public const string OutboundAudioCapacity = "MEDIA_BRIDGE_OUTBOUND_AUDIO_QUEUE";
    public const string OutboundVideoCapacity = "MEDIA_BRIDGE_OUTBOUND_VIDEO_QUEUE";

    public static void Bind(BridgeOptions options, IConfiguration config)
    {
        var platform = config[Platform];
        if (!string.IsNullOrWhiteSpace(platform))
        {
            if (Enum.TryParse<PlatformKind>(platform.Trim(), ignoreCase: true, out var kind) && Enum.IsDefined(kind)) options.Platform = kind;
            else options.LoadProblems.Add($"{Platform} must be microsoft or fake, got '{platform}'");
        }
        options.ApplicationId = Text(config, ApplicationId, options.ApplicationId);
        options.CertificateThumbprint = Text(config, CertificateThumbprint, options.CertificateThumbprint);
        options.CertificateDir = Text(config, CertificateDir, options.CertificateDir);
        options.ServiceFqdn = Text(config, ServiceFqdn, options.ServiceFqdn);
        options.InstancePublicIp = Text(config, InstancePublicIp, options.InstancePublicIp);
        options.MediaGrpcTarget = Text(config, MediaGrpcTarget, options.MediaGrpcTarget);
        options.PodName = Text(config, PodName, options.PodName);
        options.InstanceInternalPort = Int(options, config, InstanceInternalPort, options.InstanceInternalPort);
        options.HttpPort = Int(options, config, HttpPort, options.HttpPort);
        options.FrameQueueCapacity = Int(options, config, FrameQueueCapacity, options.FrameQueueCapacity);
        options.OutboundAudioCapacity = Int(options, config, OutboundAudioCapacity, options.OutboundAudioCapacity);
        options.OutboundVideoCapacity = Int(options, config, OutboundVideoCapacity, options.OutboundVideoCapacity);
        if (!string.IsNullOrWhiteSpace(config[InstancePublicPort]))
        {
            options.InstancePublicPort = Int(options, config, InstancePublicPort, 0);
        }
        else if (!string.IsNullOrWhiteSpace(config[InstancePublicPortBase]))
        {
            var portBase = Int(options, config, InstancePublicPortBase, 0);
            var index = Int(options, config, PodIndex, -1);
            if (index < 0) options.LoadProblems.Add($"{PodIndex} is required with {InstancePublicPortBase} (the pod's ordinal)");
            else options.InstancePublicPort = portBase + index;
        }
    }

    private static string Text(IConfiguration config, string key, string fallback)
    {
        var value = config[key];
        return string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();
    }

    private static int Int(BridgeOptions options, IConfiguration config, string key, int fallback)
    {
        var value = config[key];
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) return parsed;
        options.LoadProblems.Add($"{key} must be a whole number, got '{value}'");
        return fallback;
    }
}
